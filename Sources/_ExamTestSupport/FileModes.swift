import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Every path under `root` (itself included) that is not owner-only — folders other than 0700, files other than
/// 0600, links — as `relative-path mode` lines; empty when the whole export is private.
public func pathsNotOwnerOnly(_ root: String) -> [String] {
  let relatives = [""] + ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []).sorted()
  return relatives.compactMap { relative in
    let path = relative.isEmpty ? root : root + "/" + relative
    var info = stat()
    guard lstat(path, &info) == 0 else { return "\(relative) missing" }
    let mode = info.st_mode & 0o777
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return mode == 0o700 ? nil : "\(relative)/ \(String(mode, radix: 8))"
    case S_IFREG: return mode == 0o600 ? nil : "\(relative) \(String(mode, radix: 8))"
    default: return "\(relative) not a file or folder"
    }
  }
}
