#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Text files from exam offices and schools: UTF-8 (with or without a byte-order mark), UTF-16 with a
/// byte-order mark, or GB18030 (Excel's "CSV" on Chinese Windows). Foundation on Linux has no GB18030 decoder,
/// so everything that is not UTF-8 goes through glibc's iconv. Every CSV input (roster, records, answers,
/// manifests, marks) is decoded here, whole (`decode`) or a piece at a time (`StreamDecoder`).
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
    if bytes.starts(with: [0xFF, 0xFE]) {
      return (try iconv(Array(bytes.dropFirst(2)), from: .utf16LE, source: source), .utf16LE)
    }
    if bytes.starts(with: [0xFE, 0xFF]) {
      return (try iconv(Array(bytes.dropFirst(2)), from: .utf16BE, source: source), .utf16BE)
    }
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    if let text = String(validating: body, as: UTF8.self) { return (text, .utf8) }
    return (try iconv(body, from: .gb18030, source: source), .gb18030)
  }

  /// Converts `bytes` from `encoding` to a String with iconv.
  /// - Throws: `ExamError.unsupportedFormat` naming the byte offset of the first sequence that is not valid in it.
  public static func iconv(_ bytes: [UInt8], from encoding: Encoding, source: String) throws(ExamError) -> String {
    let converter = try IconvConverter(from: encoding, source: source)
    var output: [UInt8] = []
    try bytes.withUnsafeBufferPointer { (input) throws(ExamError) in
      let used = try converter.convert(input, into: &output, offset: 0)
      guard used == input.count else { throw converter.invalid(at: used) }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes a file a piece at a time into UTF-8 bytes, for readers whose memory must not grow with the file.
  ///
  /// The encoding is found as `decode` finds it: a UTF-16 or UTF-8 byte-order mark; else, at the first bytes that
  /// are not ASCII (ASCII reads the same in UTF-8 and GB18030, so it passes through until then), UTF-8 when the
  /// next `sniffBytes` bytes are valid UTF-8, GB18030 otherwise. UTF-8 passes through; the others go through
  /// iconv, with a multi-byte character cut between pieces carried over to the next.
  public struct StreamDecoder {
    public private(set) var encoding: Encoding?
    let source: String
    /// Bytes after the first non-ASCII byte that decide between UTF-8 and GB18030.
    let sniffBytes = 64
    private var converter: IconvConverter?
    /// Bytes held back: while looking for a byte-order mark or sniffing, or a character cut at a piece's end.
    private var pending: [UInt8] = []
    private var sawStart = false
    /// Bytes of the file consumed before `pending` (for error offsets).
    private var consumed = 0

    public init(source: String) { self.source = source }

    /// Decodes the next piece of the file; `body` receives UTF-8 bytes (possibly none).
    public mutating func feed(_ piece: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void)
      throws
    {
      if encoding == .utf8 && pending.isEmpty {
        consumed += piece.count
        return try body(piece)
      }
      pending += piece
      try drain(final: false, body)
    }

    /// Decodes what is held back at the end of the file.
    /// - Throws: `ExamError.unsupportedFormat` when the file ends inside a character.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
      try drain(final: true, body)
      if !pending.isEmpty, let converter { throw converter.invalid(at: consumed) }
    }

    private mutating func drain(final: Bool, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
      if !sawStart {
        guard pending.count >= 3 || final else { return }
        sawStart = true
        if pending.starts(with: [0xFF, 0xFE]) {
          try choose(.utf16LE, skipping: 2)
        } else if pending.starts(with: [0xFE, 0xFF]) {
          try choose(.utf16BE, skipping: 2)
        } else if pending.starts(with: [0xEF, 0xBB, 0xBF]) {
          try choose(.utf8, skipping: 3)
        }
      }
      if encoding == nil {
        let ascii = pending.firstIndex { $0 >= 0x80 } ?? pending.count
        try emit(count: ascii, body)
        guard !pending.isEmpty, pending.count >= sniffBytes || final else { return }
        let utf8 = pending.withUnsafeBufferPointer { TextDecoding.isUTF8($0) }
        try choose(utf8 ? .utf8 : .gb18030, skipping: 0)
      }
      guard let converter else { return try emit(count: pending.count, body) }
      var output: [UInt8] = []
      let used = try pending.withUnsafeBufferPointer { (all) throws(ExamError) in
        try converter.convert(all, into: &output, offset: consumed)
      }
      consumed += used
      pending.removeFirst(used)
      if pending.count > 16 { throw converter.invalid(at: consumed) }  // no character is that long: a bad sequence
      try output.withUnsafeBufferPointer { try body($0) }
    }

    private mutating func choose(_ found: Encoding, skipping count: Int) throws(ExamError) {
      encoding = found
      pending.removeFirst(count)
      consumed += count
      if found != .utf8 { converter = try IconvConverter(from: found, source: source) }
    }

    /// Hands the first `count` pending bytes on unchanged.
    private mutating func emit(count: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
      guard count > 0 else { return }
      try pending.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[..<count])) }
      pending.removeFirst(count)
      consumed += count
    }
  }

  /// Whether `bytes` are valid UTF-8, allowing a multi-byte sequence cut off at the very end.
  static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var end = bytes.count
    // Drop an incomplete last sequence (at most 3 bytes: a lead byte and its continuations so far).
    var back = 0
    while back < 3 && end - back - 1 >= 0 && bytes[end - back - 1] & 0xC0 == 0x80 { back += 1 }
    if end - back - 1 >= 0 {
      let lead = bytes[end - back - 1]
      let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
      if length > back + 1 { end -= back + 1 }
    }
    return String(validating: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self) != nil
  }
}

/// One iconv conversion descriptor to UTF-8, owned: closed in `deinit`. Not shared between tasks.
final class IconvConverter {
  private let handle: iconv_t
  let encoding: TextDecoding.Encoding
  let source: String

  init(from encoding: TextDecoding.Encoding, source: String) throws(ExamError) {
    let opened: iconv_t? = iconv_open("UTF-8", encoding.rawValue)
    guard let opened, opened != iconv_t(bitPattern: -1) else {
      throw ExamError(
        .unsupportedFormat, file: source, "this system's iconv cannot read \(encoding.rawValue)",
        fix: "save the file as UTF-8 (Excel: Save As → CSV UTF-8)")
    }
    handle = opened
    self.encoding = encoding
    self.source = source
  }

  deinit { iconv_close(handle) }

  /// Converts as much of `input` as forms whole characters, appending UTF-8 to `output`; returns the bytes used.
  /// A character cut off at the end of `input` is left unused (the caller carries it over).
  /// - Throws: `ExamError.unsupportedFormat` at a sequence that is not valid (`offset` + its position in `input`).
  func convert(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], offset: Int) throws(ExamError) -> Int {
    guard let base = input.baseAddress, !input.isEmpty else { return 0 }
    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(
      mutating: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
    var inLeft = input.count
    var buffer = [UInt8](repeating: 0, count: input.count * 4 + 16)
    var failed = false
    let produced = buffer.withUnsafeMutableBufferPointer { out -> Int in
      var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress)?.assumingMemoryBound(
        to: CChar.self)
      var outLeft = out.count
      // The output holds 4 bytes per input byte, so E2BIG cannot happen; EINVAL is a cut-off character.
      if iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft) == -1 && errno == EILSEQ { failed = true }
      return out.count - outLeft
    }
    output += buffer[..<produced]
    let used = input.count - inLeft
    if failed { throw invalid(at: offset + used) }
    return used
  }

  func invalid(at offset: Int) -> ExamError {
    ExamError(
      .unsupportedFormat, file: source, location: "byte \(offset)", "is neither UTF-8 nor \(encoding.rawValue) text",
      fix: "save the file from Excel as CSV (UTF-8 or the Chinese default GB18030)")
  }
}
