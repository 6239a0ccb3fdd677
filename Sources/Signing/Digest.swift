import Crypto
import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SHA-256 digests as lower-case hex, of bytes or of files streamed in 1 MiB blocks.
public enum Digest {
  /// SHA-256 of a string's UTF-8 bytes.
  public static func sha256(text: String) -> String { hex(SHA256.hash(data: Array(text.utf8))) }

  /// SHA-256 of an in-memory buffer.
  public static func sha256(bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

  /// SHA-256 of a file's contents, read in blocks so any size fits in bounded memory.
  /// - Throws: `ExamError.notFound` or `.io` naming the file.
  public static func sha256(fileAtPath path: String) throws(ExamError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let missing = errno == ENOENT
      throw ExamError(
        missing ? .notFound : .io, file: path, missing ? "no such file" : "cannot read the file",
        fix: missing ? "check the path" : "check the file's permissions",
        underlying: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var hasher = SHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ExamError(.io, file: path, "read failed", underlying: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
    return hex(hasher.finalize())
  }

  public static func hex(_ digest: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 15)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether `text` is 64 lower-case hex digits.
  public static func isSHA256Hex(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }
}
