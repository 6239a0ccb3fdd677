import ExamCore
import Signing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Content-addressed files beside the database: `store/ab/cd/<sha256>.<ext>`.
///
/// A file is written to a temporary name, fsynced and renamed into place, so a crash leaves either
/// nothing or the whole file; putting the same bytes twice stores them once.
public struct ContentStore: Sendable {
  public let root: String

  public init(root: String) { self.root = root }

  /// The path a file with this digest and extension has (or would have) in the store.
  public func path(sha256: String, ext: String) -> String {
    let a = sha256.prefix(2)
    let b = sha256.dropFirst(2).prefix(2)
    return "\(root)/\(a)/\(b)/\(sha256).\(ext)"
  }

  public func contains(sha256: String, ext: String) -> Bool {
    access(path(sha256: sha256, ext: ext), F_OK) == 0
  }

  /// Stores the bytes of `bytes` and returns their SHA-256.
  @discardableResult
  public func put(bytes: [UInt8], ext: String) throws(ExamError) -> String {
    let sha = Digest.sha256(bytes: bytes)
    let target = path(sha256: sha, ext: ext)
    if access(target, F_OK) != 0 { try AtomicFile.write(bytes, to: target) }
    return sha
  }

  /// Copies the file at `source` into the store (streamed), returning its SHA-256.
  /// - Parameter expectedSha256: when known, skips hashing twice and checks the copy against it.
  @discardableResult
  public func put(fileAtPath source: String, ext: String) throws(ExamError) -> String {
    let sha = try Digest.sha256(fileAtPath: source)
    let target = path(sha256: sha, ext: ext)
    if access(target, F_OK) == 0 { return sha }
    try AtomicFile.makeDirectories(AtomicFile.parentOf(target))
    let temporary = target + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try copy(source, to: temporary)
    try AtomicFile.commit(temporary: temporary, to: target)
    return sha
  }

  /// Moves an already-written, fsynced temporary file into the store under `sha256` (e.g. an encoder's output).
  public func adopt(temporaryFile: String, sha256: String, ext: String) throws(ExamError) -> String {
    let target = path(sha256: sha256, ext: ext)
    if access(target, F_OK) == 0 {
      unlink(temporaryFile)
      return target
    }
    try AtomicFile.makeDirectories(AtomicFile.parentOf(target))
    try AtomicFile.commit(temporary: temporaryFile, to: target)
    return target
  }

  private func copy(_ source: String, to destination: String) throws(ExamError) {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      throw ExamError(.io, file: source, "cannot read the file", underlying: String(cString: strerror(errno)))
    }
    defer { close(input) }
    let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard output >= 0 else {
      throw ExamError(.io, file: destination, "cannot create the file", underlying: String(cString: strerror(errno)))
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var failed = false
    while !failed {
      let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      if n == 0 { break }
      if n < 0 { failed = true; break }
      let written = buffer.withUnsafeBytes { write(output, $0.baseAddress, n) }
      if written != n { failed = true }
    }
    if !failed && fsync(output) != 0 { failed = true }
    let savedErrno = errno
    close(output)
    if failed {
      unlink(destination)
      throw ExamError(
        .io, file: destination, "cannot copy into the content store", fix: "check free space",
        underlying: String(cString: strerror(savedErrno)))
    }
  }
}
