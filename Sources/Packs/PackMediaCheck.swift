import AudioIO
import ExamCore

/// Checks the media files a pack names: inside the folder, present, not links, and readable
/// (audio through libsndfile, pictures by their signature). Records each audio file's length.
struct PackMediaCheck {
  let directory: String
  let files: Set<String>
  let fileList: [String]
  let links: Set<String>
  let diagnostics: PackDiagnostics
  /// Seconds of each readable audio file, by relative path.
  private(set) var audioSeconds: [String: Double] = [:]
  private var checked: [String: Bool] = [:]

  init(directory: String, diagnostics: PackDiagnostics) {
    self.directory = directory
    self.diagnostics = diagnostics
    let listing = PackFiles.list(directory)
    fileList = listing.files
    files = Set(listing.files)
    links = Set(listing.links)
  }

  enum Kind { case audio, picture }

  /// Checks `file` named at `keyPath`; returns whether it is usable.
  @discardableResult
  mutating func check(_ file: String, kind: Kind, at keyPath: String) -> Bool {
    guard PackFiles.isContained(file) else {
      diagnostics.report(
        at: keyPath, "'\(file)' is not a path inside the pack folder",
        fix: "use a relative path without '..' or a leading '/', e.g. audio/LA1.flac, and copy the file into the folder"
      )
      return false
    }
    if links.contains(file) {
      diagnostics.report(
        at: keyPath, "'\(file)' is a symbolic link or special file",
        fix: "replace the link with a copy of the file itself (packs carry real files only)")
      return false
    }
    guard files.contains(file) else {
      let hint = DidYouMean.suggestion(for: file, among: fileList).map { " (did you mean '\($0)'?)" } ?? ""
      diagnostics.report(
        .notFound, at: keyPath, "media file '\(file)' does not exist in the pack folder",
        fix: "add the file at \(directory)/\(file) or correct the path\(hint)")
      return false
    }
    if let known = checked[file] { return known }
    let ok: Bool
    switch kind {
    case .audio: ok = checkAudio(file, keyPath)
    case .picture: ok = checkPicture(file, keyPath)
    }
    checked[file] = ok
    return ok
  }

  private mutating func checkAudio(_ file: String, _ keyPath: String) -> Bool {
    do {
      let info = try audioFileInfo(atPath: directory + "/" + file)
      guard info.frameCount > 0 else {
        diagnostics.report(.corrupt, at: keyPath, "audio '\(file)' has no samples", fix: "export the recording again")
        return false
      }
      audioSeconds[file] = info.durationSeconds
      return true
    } catch {
      diagnostics.report(
        .unsupportedFormat, at: keyPath, "'\(file)' cannot be read as audio by libsndfile",
        fix: "convert it to FLAC or WAV (e.g. `sox in.mp4 -r 16000 -c 1 out.flac`) and name the new file",
        underlying: error.underlying ?? error.message)
      return false
    }
  }

  private func checkPicture(_ file: String, _ keyPath: String) -> Bool {
    let ext = file.split(separator: ".").last.map { $0.lowercased() } ?? ""
    let head = (try? InputFile.bytes(directory + "/" + file)).map { Array($0.prefix(512)) } ?? []
    let isPNG = head.starts(with: [0x89, 0x50, 0x4E, 0x47])
    let isJPEG = head.starts(with: [0xFF, 0xD8, 0xFF])
    let isSVG = String(decoding: head, as: UTF8.self).contains("<svg")
    let ok =
      switch ext {
      case "png": isPNG
      case "jpg", "jpeg": isJPEG
      case "svg": isSVG
      default: false
      }
    if !ok {
      diagnostics.report(
        .unsupportedFormat, at: keyPath,
        PackSchema.pictureExtensions.contains(ext)
          ? "'\(file)' is not a valid \(ext.uppercased()) picture" : "'\(file)' is not a PNG, JPEG or SVG picture",
        fix: "save the picture as PNG, JPEG or SVG with the matching extension")
    }
    return ok
  }
}
