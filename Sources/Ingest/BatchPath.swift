/// Rules for paths inside a batch (manifest `file` values and zip entry names).
enum BatchPath {
  /// The path as `/`-separated components relative to the batch, or nil when it escapes or is unsafe:
  /// absolute, a drive letter, a `..` component, a NUL or control character.
  static func safeRelative(_ raw: String) -> String? {
    let path = raw.replacingAll("\\", with: "/")
    if path.isEmpty || path.hasPrefix("/") { return nil }
    let scalars = Array(path.unicodeScalars)
    if scalars.count >= 2, scalars[1] == ":", scalars[0].properties.isAlphabetic { return nil }
    if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return nil }
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == ".." { return nil }
      if part == "." { continue }
      parts.append(part)
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  /// Operating-system litter that a batch may carry without a manifest row (ignored, not refused).
  static func isSystemLitter(_ relative: String) -> Bool {
    let name = relative.split(separator: "/").last.map(String.init) ?? relative
    return relative.hasPrefix("__MACOSX/") || name.hasPrefix(".") || name == "Thumbs.db" || name == "desktop.ini"
  }
}
