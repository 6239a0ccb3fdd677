import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The bytes of one upload on disk: one owner of one file descriptor. Bytes are appended at the acknowledged
/// offset; anything past it (a chunk cut off mid-way, or written before a crash and never acknowledged) is cut
/// off first, so the file always ends at what the store says was received.
///
/// One request owns it for the length of one PATCH (`tryLock` keeps PATCHes of one upload apart, on one server or
/// several); its calls run
/// on `StoreThreads` one job after another, each awaited before the next, so no two threads ever use it at once —
/// hence `@unchecked Sendable`.
final class UploadFile: @unchecked Sendable {
  let path: String
  private var descriptor: Int32

  /// Opens (creating when `create`) the upload file for writing.
  init(path: String, create: Bool) throws(ExamError) {
    self.path = path
    descriptor = open(path, O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0o600)
    guard descriptor >= 0 else {
      throw ExamError(
        .io, file: path, "cannot open the upload file", fix: "check that the store's .uploads folder is writable",
        underlying: String(cString: strerror(errno)))
    }
  }

  /// Takes the file's exclusive lock without waiting (`flock`; over NFS the kernel makes it a lock on the whole
  /// file that other machines see), held until `close`: so two servers sharing the upload folder never write one
  /// upload at once. Returns false when another process (or another handle) holds it.
  func tryLock() throws(ExamError) -> Bool {
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      if errno == EWOULDBLOCK { return false }
      throw ioError("cannot lock the upload file")
    }
    return true
  }

  /// Cuts the file to `offset` bytes and places the write position there.
  func truncate(to offset: Int64) throws(ExamError) {
    guard ftruncate(descriptor, off_t(offset)) == 0, lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
      throw ioError("cannot cut the upload back to \(offset) bytes")
    }
  }

  /// Appends `bytes` at the write position.
  func append(_ bytes: UnsafeRawBufferPointer) throws(ExamError) {
    var done = 0
    while done < bytes.count {
      let written = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
      if written < 0 {
        if errno == EINTR { continue }
        throw ioError("cannot write the upload (disk full?)")
      }
      done += written
    }
  }

  /// Flushes the file to disk: called before an offset is acknowledged.
  func sync() throws(ExamError) {
    guard fsync(descriptor) == 0 else { throw ioError("cannot flush the upload to disk") }
  }

  func close() {
    if descriptor >= 0 { _ = Glibc.close(descriptor) }
    descriptor = -1
  }

  deinit { close() }

  private func ioError(_ message: String) -> ExamError {
    ExamError(
      .io, file: path, message, fix: "check the disk under the store", underlying: String(cString: strerror(errno)))
  }

  /// Free bytes on the file system holding `folder`, or nil when it cannot be read.
  static func freeBytes(under folder: String) -> Int64? {
    var info = statvfs()
    guard statvfs(folder, &info) == 0 else { return nil }
    return Int64(info.f_bavail) * Int64(info.f_frsize)
  }
}
