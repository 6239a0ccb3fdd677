import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Checks that a pack's zip bytes are laid out exactly as `PackBuilder` writes them, so that a changed byte in
/// the zip's own bookkeeping (dates, attributes, flags, versions, gaps or bytes appended) is caught as surely as
/// a changed byte of content, which the manifest's SHA-256 and each entry's CRC-32 already cover.
///
/// The layout: stored (uncompressed) entries back to back from offset 0, each a local header (version 2.0, UTF-8 flag, date
/// 1980-01-01 00:00, no extra field) and its data; then the central directory with matching records (made by
/// Unix 2.1, mode 0100644, no extra field or comment); then the end record with no comment, ending the file.
/// Reads headers only (bounded), never the entries' data.
enum ZipLayout {
  static let localSignature: UInt32 = 0x0403_4B50
  static let centralSignature: UInt32 = 0x0201_4B50
  static let endSignature: UInt32 = 0x0605_4B50
  static let versionMadeBy: UInt16 = 0x0315
  static let versionNeeded: UInt16 = 20
  static let utf8Flag: UInt16 = 0x0800
  /// 1980-01-01 in MS-DOS date format; the time is 0.
  static let dosDate: UInt16 = 33
  static let regularFileMode: UInt32 = 0o100644 << 16
  static let maxCentralDirectoryBytes = 64 << 20

  /// Problems found, each naming the entry whose header differs (or the central directory / end record).
  static func problems(path: String) -> [ExamError] {
    let fix = "the pack was changed after it was built: get a fresh copy from the exam office"
    func problem(_ location: String, _ what: String) -> [ExamError] {
      [ExamError(.integrity, file: path, location: location, "the zip's bookkeeping was altered: \(what)", fix: fix)]
    }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return problem("zip", "the file cannot be read") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_size >= 22 else { return problem("zip end record", "the file is too short") }
    let size = Int(info.st_size)
    guard let end = readAt(fd, size - 22, 22), end.u32(0) == endSignature else {
      return problem("zip end record", "the file does not end with a comment-free end record")
    }
    let count = Int(end.u16(10))
    let directorySize = Int(end.u32(12))
    let directoryOffset = Int(end.u32(16))
    guard end.u16(4) == 0, end.u16(6) == 0, end.u16(8) == end.u16(10), end.u16(20) == 0,
      directoryOffset + directorySize == size - 22, directorySize <= maxCentralDirectoryBytes,
      let directory = readAt(fd, directoryOffset, directorySize)
    else { return problem("zip end record", "its counts, sizes or offsets do not match the file") }

    var cursor = 0
    var expectedOffset = 0
    for index in 0..<count {
      guard cursor + 46 <= directory.count, directory.u32(cursor) == centralSignature else {
        return problem("zip central directory", "record \(index) is malformed")
      }
      let nameLength = Int(directory.u16(cursor + 28))
      guard cursor + 46 + nameLength <= directory.count else {
        return problem("zip central directory", "record \(index) is cut off")
      }
      let nameBytes = Array(directory[(cursor + 46)..<(cursor + 46 + nameLength)])
      let name = String(decoding: nameBytes, as: UTF8.self)
      let record = Array(directory[cursor..<(cursor + 46)])
      let method = record.u16(10)
      guard record.u16(4) == versionMadeBy, record.u16(6) == versionNeeded, record.u16(8) == utf8Flag,
        method == 0, record.u16(12) == 0, record.u16(14) == dosDate, record.u16(30) == 0,
        record.u16(32) == 0, record.u16(34) == 0, record.u16(36) == 0, record.u32(38) == regularFileMode,
        Int(record.u32(42)) == expectedOffset
      else { return problem(name, "its central directory record differs from what `exam pack build` writes") }
      let compressedSize = Int(record.u32(20))
      guard let local = readAt(fd, expectedOffset, 30 + nameLength), local.u32(0) == localSignature,
        local.u16(4) == versionNeeded, local.u16(6) == utf8Flag, local.u16(8) == method, local.u16(10) == 0,
        local.u16(12) == dosDate, local.u32(14) == record.u32(16), local.u32(18) == record.u32(20),
        local.u32(22) == record.u32(24), Int(local.u16(26)) == nameLength, local.u16(28) == 0,
        Array(local[30...]) == nameBytes
      else {
        return problem(
          name, "its local header differs from its central directory record or from what `exam pack build` writes")
      }
      expectedOffset += 30 + nameLength + compressedSize
      cursor += 46 + nameLength
    }
    guard cursor == directory.count, expectedOffset == directoryOffset else {
      return problem("zip central directory", "there are bytes between or after the entries that no entry accounts for")
    }
    return []
  }

  /// `count` bytes at `offset`, or nil when the file is shorter.
  private static func readAt(_ fd: Int32, _ offset: Int, _ count: Int) -> [UInt8]? {
    guard offset >= 0, count >= 0 else { return nil }
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return nil }
      done += n
    }
    return bytes
  }
}

extension Array where Element == UInt8 {
  /// Little-endian 16-bit value at `at`.
  func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
  /// Little-endian 32-bit value at `at`.
  func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
}
