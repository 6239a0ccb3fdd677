#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one way exports that hold students' identities are written — records, seat plans and tickets, proctoring
/// reports: owner-only from the moment they exist (folders 0700 from `mkdir`, files 0600 from `open`, never a
/// chmod afterwards; #17 class 16).
///
/// An instance is a file being written through a 1 MiB buffer, fsynced on `close()`; it owns its descriptor and is
/// not thread-safe. Use it inside a temporary folder that is renamed into place as a whole (records); files written
/// one by one into a folder that already holds a previous export use `writeAtomically` instead.
public final class PrivateOutputFile {
  /// Mode of the folders an export creates.
  public static let folderMode: mode_t = 0o700
  /// Mode of the files an export writes.
  public static let fileMode: mode_t = 0o600

  public let path: String
  private var fd: Int32
  private var buffer: [UInt8] = []

  public init(path: String) throws(ExamError) {
    self.path = path
    try Self.makeFolders(AtomicFile.parentOf(path))
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Self.fileMode)
    guard fd >= 0 else { throw Self.osError("cannot create", path) }
    buffer.reserveCapacity(1 << 20)
  }

  /// Appends UTF-8 text.
  public func write(_ text: String) throws(ExamError) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 20 { try flush() }
  }

  public func flush() throws(ExamError) {
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
  public func close() throws(ExamError) {
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
  public static func write(_ text: String, to path: String) throws(ExamError) {
    let file = try PrivateOutputFile(path: path)
    try file.write(text)
    try file.close()
  }

  /// Writes a whole file atomically (temporary file created 0600 beside it, fsynced, renamed over `path`), making
  /// missing parent folders 0700. A previous export's file at `path` is replaced, mode included.
  public static func writeAtomically(_ text: String, to path: String) throws(ExamError) {
    try makeFolders(AtomicFile.parentOf(path))
    try AtomicFile.write(text: text, to: path, mode: fileMode)
  }

  /// Creates `directory` and missing parents with mode 0700 (existing folders are left as they are).
  public static func makeFolders(_ directory: String) throws(ExamError) {
    try AtomicFile.makeDirectories(directory, mode: folderMode)
  }

  static func osError(_ what: String, _ path: String) -> ExamError {
    ExamError(
      .io, file: path, "\(what) the file", fix: "check free space and permissions on the folder",
      underlying: String(cString: strerror(errno)))
  }
}
