/// A parsed CSV table (RFC 4180: quoted fields, doubled quotes, CR LF or LF), with line numbers kept
/// so errors can name the line a bad value is on.
public struct CSVTable: Sendable {
  /// One data row: its fields and the 1-based line of the file it starts on.
  public struct Row: Sendable {
    public var line: Int
    public var fields: [String]
  }

  public var header: [String]
  public var rows: [Row]
  /// The file name used in error messages.
  public var source: String

  /// Parses `text`; the first record is the header. A leading UTF-8 byte-order mark is dropped.
  /// - Throws: `ExamError.invalidInput` naming the line of an unclosed quote or a row whose field
  ///   count differs from the header's.
  public init(parsing text: String, source: String) throws(ExamError) {
    self.source = source
    var records = try CSVTable.records(in: text, source: source)
    guard !records.isEmpty else {
      throw ExamError(.invalidInput, file: source, "the file is empty", fix: "give a CSV file with a header line")
    }
    let first = records.removeFirst()
    header = first.fields.map { $0.trimmingSpaces() }
    rows = []
    rows.reserveCapacity(records.count)
    for record in records {
      if record.fields.count == 1 && record.fields[0].isEmpty { continue }  // blank line
      guard record.fields.count == header.count else {
        throw ExamError(
          .invalidInput, file: source, location: "line \(record.line)",
          "has \(record.fields.count) fields but the header has \(header.count)",
          fix: "quote fields that contain commas and give every row the header's columns")
      }
      rows.append(record)
    }
  }

  /// The index of `column` in the header, or nil.
  public func index(of column: String) -> Int? { header.firstIndex(of: column) }

  /// Checks that every named column is present.
  public func require(columns: [String]) throws(ExamError) {
    try Self.require(columns: columns, in: header, source: source)
  }

  /// Checks that every named column is in `header` (of the file `source`).
  public static func require(columns: [String], in header: [String], source: String) throws(ExamError) {
    let missing = columns.filter { !header.contains($0) }
    guard missing.isEmpty else {
      throw ExamError(
        .invalidInput, file: source, location: "line 1",
        "the header lacks the column(s) \(missing.joined(separator: ", ")) (found: \(header.joined(separator: ",")))",
        fix: "use the header \(columns.joined(separator: ","))")
    }
  }

  /// The value of `column` in `row`, or "" when the column is absent.
  public func value(_ row: Row, _ column: String) -> String {
    guard let i = index(of: column) else { return "" }
    return row.fields[i]
  }

  static func records(in text: String, source: String) throws(ExamError) -> [Row] {
    var records: [Row] = []
    var parser = CSVRecordParser(skippingByteOrderMark: true)
    Array(text.utf8).withUnsafeBufferPointer { parser.feed($0) { records.append($0) } }
    try parser.checkFieldLengths(source: source)
    if let last = try parser.finish(source: source) { records.append(last) }
    return records
  }
}

/// The RFC 4180 record splitter behind `CSVTable` and `CSVFileReader`: bytes in (in any number of pieces),
/// records out with the line each starts on. Quoted fields may hold commas, doubled quotes and line breaks.
struct CSVRecordParser {
  private var fields: [String] = []
  private var field: [UInt8] = []
  private var inQuotes = false
  /// A quote was seen inside a quoted field; the next byte says whether it was doubled or closed the field.
  private var quoteSeen = false
  private var line = 1
  private var recordLine = 1
  /// Bytes of a leading UTF-8 byte-order mark still to match (and drop).
  private var byteOrderMark: [UInt8]
  /// Longest field kept (bytes): names, ids, notes and evidence lines are far shorter. A longer field stops
  /// growing here, so memory does not follow one bad field, and `checkFieldLengths` names its line.
  static let maxFieldBytes = 1 << 20
  /// The line of the first record with a field over `maxFieldBytes`.
  private var overlongFieldLine: Int?

  init(skippingByteOrderMark: Bool) { byteOrderMark = skippingByteOrderMark ? [0xEF, 0xBB, 0xBF] : [] }

  mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (CSVTable.Row) throws -> Void) rethrows {
    var start = 0
    while !byteOrderMark.isEmpty && start < bytes.count {
      if bytes[start] != byteOrderMark[0] {
        field += [0xEF, 0xBB, 0xBF].prefix(3 - byteOrderMark.count)  // not a BOM after all: keep what was held back
        byteOrderMark = []
        break
      }
      byteOrderMark.removeFirst()
      start += 1
    }
    for byte in UnsafeBufferPointer(rebasing: bytes[start...]) {
      if quoteSeen {
        quoteSeen = false
        if byte == UInt8(ascii: "\"") {
          append(byte)
          continue
        }
        inQuotes = false  // the quote closed the field; this byte is outside it
      }
      if inQuotes {
        if byte == UInt8(ascii: "\"") {
          quoteSeen = true
        } else {
          if byte == UInt8(ascii: "\n") { line += 1 }
          append(byte)
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inQuotes = true
      case UInt8(ascii: ","): endField()
      case UInt8(ascii: "\r"): break
      case UInt8(ascii: "\n"):
        endField()
        let record = CSVTable.Row(line: recordLine, fields: fields)
        fields.removeAll(keepingCapacity: true)
        line += 1
        recordLine = line
        try emit(record)
      default: append(byte)
      }
    }
  }

  /// The last record when the input does not end with a line break.
  /// - Throws: `ExamError.invalidInput` naming the line of a quoted field that is never closed.
  mutating func finish(source: String) throws(ExamError) -> CSVTable.Row? {
    if quoteSeen {
      quoteSeen = false
      inQuotes = false
    }
    if inQuotes {
      throw ExamError(
        .invalidInput, file: source, location: "line \(recordLine)", "a quoted field is never closed",
        fix: "close the quote, and double any quote inside a field (\"\")")
    }
    if !field.isEmpty || !fields.isEmpty {
      endField()
      let record = CSVTable.Row(line: recordLine, fields: fields)
      fields.removeAll()
      return record
    }
    return nil
  }

  /// - Throws: `ExamError.invalidInput` when a field seen so far is longer than `maxFieldBytes`.
  func checkFieldLengths(source: String) throws(ExamError) {
    if let line = overlongFieldLine {
      throw ExamError(
        .invalidInput, file: source, location: "line \(line)",
        "a field is longer than \(Self.maxFieldBytes >> 20) MiB",
        fix: "check for an unclosed quote before this line, or shorten the field")
    }
  }

  @inline(__always) private mutating func append(_ byte: UInt8) {
    if field.count < Self.maxFieldBytes {
      field.append(byte)
    } else if overlongFieldLine == nil {
      overlongFieldLine = recordLine
    }
  }

  private mutating func endField() {
    fields.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
  }
}

/// Writes CSV text: fields with commas, quotes or line breaks are quoted; lines end with LF.
///
/// A CSV meant for spreadsheets (`byteOrderMark: true`: tickets, room and door lists, irregularity reports) also
/// neutralises formulas (see `escapeForSpreadsheet`), since its cells can come from outside: a candidate id in a
/// seat machine's log, a name in a roster.
public struct CSVWriter: Sendable {
  public private(set) var text: String
  private let neutralisingFormulas: Bool

  /// - Parameters:
  ///   - byteOrderMark: start with a UTF-8 BOM, so Excel on Chinese Windows reads UTF-8.
  ///   - neutralisingFormulas: escape cells a spreadsheet would run as formulas; defaults to `byteOrderMark`.
  public init(header: [String], byteOrderMark: Bool = false, neutralisingFormulas: Bool? = nil) {
    text = byteOrderMark ? "\u{FEFF}" : ""
    self.neutralisingFormulas = neutralisingFormulas ?? byteOrderMark
    append(header)
  }

  public mutating func append(_ fields: [String]) {
    text += fields.map(neutralisingFormulas ? CSVWriter.escapeForSpreadsheet : CSVWriter.escape).joined(separator: ",")
    text += "\n"
  }

  public static func escape(_ field: String) -> String {
    if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
    return field
  }

  /// `escape`, and a cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a
  /// carriage return, and is not a plain number) is prefixed with `'` so it shows as the text it is (OWASP's
  /// advice on CSV injection). `-3.5` stays a number; `=HYPERLINK(…)` becomes `'=HYPERLINK(…)`.
  public static func escapeForSpreadsheet(_ field: String) -> String {
    guard let first = field.utf8.first, mayStartFormula(first), !isPlainNumber(field) else {
      return escape(field)
    }
    return escape("'" + field)
  }

  /// Whether a cell whose first UTF-8 byte is `byte` may run as a formula in a spreadsheet: `=`, `+`, `-`, `@`,
  /// TAB or CR. The one list of formula starters; `escapeForSpreadsheet` and fast writers both use it.
  @inlinable
  public static func mayStartFormula(_ byte: UInt8) -> Bool {
    byte == 61 || byte == 43 || byte == 45 || byte == 64 || byte == 9 || byte == 13
  }

  /// Whether `escapeForSpreadsheet` may change `field`, by a scan of its bytes (no grapheme breaking): a
  /// formula starter first, or a comma, quote or line break anywhere. For writers of large exports, which call
  /// `escapeForSpreadsheet` only when this is true.
  public static func mayNeedSpreadsheetEscaping(_ field: String) -> Bool {
    guard let first = field.utf8.first else { return false }
    return mayStartFormula(first) || field.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
  }

  private static func isPlainNumber(_ field: String) -> Bool {
    field.unicodeScalars.allSatisfy { "0123456789+-.eE".unicodeScalars.contains($0) } && Double(field) != nil
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  public func trimmingSpaces() -> String {
    var scalars = Substring(self)
    while let f = scalars.first, f == " " || f == "\t" { scalars.removeFirst() }
    while let l = scalars.last, l == " " || l == "\t" { scalars.removeLast() }
    return String(scalars)
  }

  /// Every occurrence of `target` replaced (no Foundation needed).
  public func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    out.reserveCapacity(count)
    for c in self { if c == target { out += replacement } else { out.append(c) } }
    return out
  }
}
