import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file being written through a 1 MiB buffer, fsynced on `close()`. Owns its descriptor; not thread-safe.
///
/// Used inside an export's temporary folder only: the folder, not each file, is what is renamed into place.
final class OutputFile {
  let path: String
  private var fd: Int32
  private var buffer: [UInt8] = []

  init(path: String) throws(ExamError) {
    self.path = path
    // Exports hold students' identities: owner-only from the moment they exist (#17 class 16).
    try AtomicFile.makeDirectories(AtomicFile.parentOf(path), mode: 0o700)
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw Self.osError("cannot create", path) }
    buffer.reserveCapacity(1 << 20)
  }

  /// Appends UTF-8 text.
  func write(_ text: String) throws(ExamError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 20 { try flush() }
  }

  func flush() throws(ExamError) {
    var offset = 0
    while offset < buffer.count {
      let n = buffer.withUnsafeBytes { raw in
        #if canImport(Glibc)
          Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        #else
          Darwin.write(fd, raw.baseAddress! + offset, raw.count - offset)
        #endif
      }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw Self.osError("cannot write", path) }
      offset += n
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, fsyncs and closes the file.
  func close() throws(ExamError) {
    guard fd >= 0 else { return }
    try flush()
    let synced = fsync(fd) == 0
    #if canImport(Glibc)
      Glibc.close(fd)
    #else
      Darwin.close(fd)
    #endif
    fd = -1
    guard synced else { throw Self.osError("cannot sync", path) }
  }

  deinit {
    if fd >= 0 {
      #if canImport(Glibc)
        Glibc.close(fd)
      #else
        Darwin.close(fd)
      #endif
    }
  }

  /// Writes a whole small file.
  static func write(_ text: String, to path: String) throws(ExamError) {
    let file = try OutputFile(path: path)
    try file.write(text)
    try file.close()
  }

  static func osError(_ what: String, _ path: String) -> ExamError {
    ExamError(
      .io, file: path, "\(what) the file", fix: "check free space and permissions on the folder",
      underlying: String(cString: strerror(errno)))
  }
}
