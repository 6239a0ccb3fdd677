import ExamCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files of a pack folder, and small file helpers the builder and reader share.
enum PackFiles {
  /// Every regular file under `directory`, as sorted relative paths with `/` separators. Hidden files and
  /// folders (`.name`) are skipped; symbolic links are returned separately, because packs must not contain them.
  static func list(_ directory: String) -> (files: [String], links: [String]) {
    var files: [String] = []
    var links: [String] = []
    func walk(_ relative: String) {
      let full = relative.isEmpty ? directory : directory + "/" + relative
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: full) else { return }
      for name in names where !name.hasPrefix(".") {
        let path = relative.isEmpty ? name : relative + "/" + name
        var info = stat()
        guard lstat(directory + "/" + path, &info) == 0 else { continue }
        switch info.st_mode & S_IFMT {
        case S_IFLNK: links.append(path)
        case S_IFDIR: walk(path)
        case S_IFREG: files.append(path)
        default: links.append(path)
        }
      }
    }
    walk("")
    return (files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }), links.sorted())
  }

  /// Whether `path` is a plain relative path that stays inside its folder: not empty, not absolute, no `..`,
  /// `.` or empty components, no backslashes or NUL bytes.
  static func isContained(_ path: String) -> Bool {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else { return false }
    return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
      $0 != ".." && $0 != "." && !$0.isEmpty
    }
  }

  /// Flushes a finished file to disk (before it is renamed into place).
  static func fsyncFile(_ path: String) throws(ExamError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0, fsync(fd) == 0 else {
      if fd >= 0 { close(fd) }
      throw ExamError(
        .io, file: path, "cannot flush the file to disk", fix: "check free space and permissions",
        underlying: String(cString: strerror(errno)))
    }
    close(fd)
  }

  /// Writes a scratch file (an extracted pack member) without fsync: it lives only as long as the command, so
  /// durability buys nothing, and 24 fsyncs cost more than the rest of `inspect` together.
  static func writeScratch(_ bytes: [UInt8], to path: String) throws(ExamError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw ExamError(
        .io, file: path, "cannot create the extracted file", fix: "check free space in the temporary folder",
        underlying: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw ExamError(
          .io, file: path, "cannot write the extracted file", fix: "check free space in the temporary folder",
          underlying: String(cString: strerror(errno)))
      }
      offset += n
    }
  }

  /// The system's temporary directory, without a trailing slash.
  static var systemTemporaryDirectory: String {
    var base = NSTemporaryDirectory()
    while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
    return base
  }
}
