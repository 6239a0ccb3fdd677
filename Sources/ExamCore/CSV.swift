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
    var fields: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var line = 1
    var recordLine = 1
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    var i = 0
    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
    }
    while i < bytes.count {
      let byte = bytes[i]
      if inQuotes {
        if byte == UInt8(ascii: "\"") {
          if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
            field.append(byte)
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          if byte == UInt8(ascii: "\n") { line += 1 }
          field.append(byte)
        }
      } else {
        switch byte {
        case UInt8(ascii: "\""): inQuotes = true
        case UInt8(ascii: ","): endField()
        case UInt8(ascii: "\r"): break
        case UInt8(ascii: "\n"):
          endField()
          records.append(Row(line: recordLine, fields: fields))
          fields.removeAll()
          line += 1
          recordLine = line
        default: field.append(byte)
        }
      }
      i += 1
    }
    if inQuotes {
      throw ExamError(
        .invalidInput, file: source, location: "line \(recordLine)", "a quoted field is never closed",
        fix: "close the quote, and double any quote inside a field (\"\")")
    }
    if !field.isEmpty || !fields.isEmpty {
      endField()
      records.append(Row(line: recordLine, fields: fields))
    }
    return records
  }
}

/// Writes CSV text: fields with commas, quotes or line breaks are quoted; lines end with LF.
public struct CSVWriter: Sendable {
  public private(set) var text: String

  /// - Parameter byteOrderMark: start with a UTF-8 BOM, so Excel on Chinese Windows reads UTF-8.
  public init(header: [String], byteOrderMark: Bool = false) {
    text = byteOrderMark ? "\u{FEFF}" : ""
    append(header)
  }

  public mutating func append(_ fields: [String]) {
    text += fields.map(CSVWriter.escape).joined(separator: ",")
    text += "\n"
  }

  public static func escape(_ field: String) -> String {
    if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
    return field
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
