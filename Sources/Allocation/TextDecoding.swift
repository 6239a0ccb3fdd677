import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Text files from exam offices: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
/// or GB18030 (Excel's "CSV" on Chinese Windows). Foundation on Linux has no GB18030 decoder, so GB18030 goes
/// through glibc's iconv.
public enum TextDecoding {
  public enum Encoding: String, Sendable {
    case utf8 = "UTF-8"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case gb18030 = "GB18030"
  }

  /// Decodes `bytes`, detecting the encoding: a BOM wins; valid UTF-8 is UTF-8; otherwise GB18030.
  /// - Throws: `ExamError.unsupportedFormat` naming the first byte offset that is neither.
  public static func decode(_ bytes: [UInt8], source: String) throws(ExamError) -> (text: String, encoding: Encoding) {
    if bytes.starts(with: [0xFF, 0xFE]) { return (try iconv(Array(bytes.dropFirst(2)), from: .utf16LE, source: source), .utf16LE) }
    if bytes.starts(with: [0xFE, 0xFF]) { return (try iconv(Array(bytes.dropFirst(2)), from: .utf16BE, source: source), .utf16BE) }
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    if let text = String(validating: body, as: UTF8.self) { return (text, .utf8) }
    return (try iconv(body, from: .gb18030, source: source), .gb18030)
  }

  /// Converts `bytes` from `encoding` to a String with iconv.
  public static func iconv(_ bytes: [UInt8], from encoding: Encoding, source: String) throws(ExamError) -> String {
    let handle = iconv_open("UTF-8", encoding.rawValue)
    guard handle != iconv_t(bitPattern: -1) else {
      throw ExamError(.unsupportedFormat, file: source, "this system's iconv cannot read \(encoding.rawValue)",
        fix: "save the file as UTF-8 (Excel: Save As → CSV UTF-8)")
    }
    defer { iconv_close(handle) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
    let total = input.count
    let (result, left, produced): (Int, Int, Int) = input.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress)?
          .assumingMemoryBound(to: CChar.self)
        var inLeft = inBuffer.count
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress)?
          .assumingMemoryBound(to: CChar.self)
        var outLeft = outBuffer.count
        let r = Glibc.iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
        return (r, inLeft, outBuffer.count - outLeft)
      }
    }
    guard result != -1, left == 0 else {
      throw ExamError(.unsupportedFormat, file: source, location: "byte \(total - left)",
        "is neither UTF-8 nor \(encoding.rawValue) text",
        fix: "save the roster from Excel as CSV (UTF-8 or the Chinese default GB18030)")
    }
    return String(decoding: output.prefix(produced), as: UTF8.self)
  }
}
