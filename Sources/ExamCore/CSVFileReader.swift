#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a CSV file one record at a time in 1 MiB pieces, so memory does not grow with the file: the same
/// rules as `CSVTable` (header first, UTF-8 BOM dropped, blank lines skipped, every row as wide as the header).
/// The encoding (UTF-8, UTF-16 with BOM, GB18030) is found from the first piece (`TextDecoding.StreamDecoder`).
/// Owns its file descriptor for the length of `forEachRow`.
public struct CSVFileReader: Sendable {
  public let path: String
  /// The name used in error messages (the path, unless given).
  public let source: String

  /// Bytes read at a time (small values in tests put records and quotes across pieces).
  let chunkBytes: Int

  public init(path: String, source: String? = nil) { self.init(path: path, source: source, chunkBytes: 1 << 20) }

  init(path: String, source: String?, chunkBytes: Int) {
    self.path = path
    self.source = source ?? path
    self.chunkBytes = max(1, chunkBytes)
  }

  /// Calls `header` with the header's fields, then `body` with each data row, in file order; `bytesRead` with
  /// the bytes read so far after each piece (for progress).
  /// - Returns: the encoding the file was found to be in.
  /// - Throws: `ExamError` (`.notFound`, `.io`, `.invalidInput` for an empty file, an unclosed quote or a row
  ///   whose field count differs from the header's, naming its line), or what the closures throw.
  @discardableResult
  public func forEachRow(
    header: ([String]) throws -> Void, bytesRead: (Int) -> Void = { _ in },
    _ body: (CSVTable.Row) throws -> Void
  ) throws -> TextDecoding.Encoding? {
    try InputFile.requireRegularFile(path)
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw ExamError(
        errno == ENOENT ? .notFound : .io, file: source, "cannot be opened", fix: "check the path and its permissions")
    }
    defer { close(fd) }
    var parser = CSVRecordParser(skippingByteOrderMark: true)
    var decoder = TextDecoding.StreamDecoder(source: source)
    var columns: [String]?
    func take(_ record: CSVTable.Row) throws {
      guard let width = columns?.count else {
        let names = record.fields.map { $0.trimmingSpaces() }
        columns = names
        try header(names)
        return
      }
      if record.fields.count == 1 && record.fields[0].isEmpty { return }  // blank line
      guard record.fields.count == width else {
        throw ExamError(
          .invalidInput, file: source, location: "line \(record.line)",
          "has \(record.fields.count) fields but the header has \(width)",
          fix: "quote fields that contain commas and give every row the header's columns")
      }
      try body(record)
    }
    var buffer = [UInt8](repeating: 0, count: chunkBytes)
    var total = 0
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw ExamError(
          .io, file: source, "cannot be read", fix: "check the disk", underlying: String(cString: strerror(errno)))
      }
      if count == 0 { break }
      try buffer.withUnsafeBufferPointer { all in
        try decoder.feed(UnsafeBufferPointer(rebasing: all[0..<count])) { try parser.feed($0, take) }
      }
      try parser.checkFieldLengths(source: source)
      total += count
      bytesRead(total)
    }
    try decoder.finish { try parser.feed($0, take) }
    if let last = try parser.finish(source: source) { try take(last) }
    if columns == nil {
      throw ExamError(.invalidInput, file: source, "the file is empty", fix: "give a CSV file with a header line")
    }
    return decoder.encoding
  }
}
