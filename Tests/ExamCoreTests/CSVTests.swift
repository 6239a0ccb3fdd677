import Foundation
import Testing
import _ExamTestSupport

@testable import ExamCore

@Suite struct CSVTests {
  @Test func parsesQuotedFieldsAndKeepsLineNumbers() throws {
    let table = try CSVTable(parsing: "\u{FEFF}a,b\r\n1,\"x, \"\"y\"\"\"\n\n2,\"multi\nline\"\n3,z", source: "t.csv")
    #expect(table.header == ["a", "b"])
    #expect(table.rows.map(\.fields) == [["1", "x, \"y\""], ["2", "multi\nline"], ["3", "z"]])
    #expect(table.rows.map(\.line) == [2, 4, 6])
  }

  @Test func namesTheLineOfARowWithTheWrongFieldCount() {
    let error = #expect(throws: ExamError.self) { try CSVTable(parsing: "a,b\n1,2\n3\n", source: "t.csv") }
    #expect(error?.code == .invalidInput)
    #expect(error?.location == "line 3")
  }

  @Test func namesMissingColumns() throws {
    let table = try CSVTable(parsing: "a,b\n", source: "t.csv")
    let error = #expect(throws: ExamError.self) { try table.require(columns: ["a", "c"]) }
    #expect(error?.description.contains("lacks the column(s) c") == true)
  }

  @Test func writerRoundTrips() throws {
    var writer = CSVWriter(header: ["name", "note"], byteOrderMark: true)
    writer.append(["張三", "said \"hi\", left"])
    let table = try CSVTable(parsing: writer.text, source: "w.csv")
    #expect(writer.text.hasPrefix("\u{FEFF}"))
    #expect(table.rows[0].fields == ["張三", "said \"hi\", left"])
  }
}

@Suite struct CSVFileReaderTests {
  static let text =
    "\u{FEFF}id,name,note\r\n1,\"Wang, Li\",\"said \"\"hi\"\"\nthen left\"\r\n\n2,Zhang,\n3,\"\",\"\"\"\"\n"

  /// Every piece size, from one byte up, gives what CSVTable gives for the whole text.
  @Test func readsTheSameRecordsAsCSVTableWhateverThePieceSize() async throws {
    try await withTemporaryDirectory { dir in
      try Self.text.write(toFile: dir.file("t.csv"), atomically: true, encoding: .utf8)
      let table = try CSVTable(parsing: Self.text, source: "t.csv")
      #expect(
        table.rows.map(\.fields) == [
          ["1", "Wang, Li", "said \"hi\"\nthen left"], ["2", "Zhang", ""], ["3", "", "\""],
        ])
      for chunk in [1, 2, 3, 5, 7, 64, 1 << 20] {
        var header: [String] = []
        var rows: [CSVTable.Row] = []
        try CSVFileReader(path: dir.file("t.csv"), source: "t.csv", chunkBytes: chunk).forEachRow(header: {
          header = $0
        }) {
          rows.append($0)
        }
        #expect(header == table.header, "chunk \(chunk)")
        #expect(rows.map(\.fields) == table.rows.map(\.fields), "chunk \(chunk)")
        #expect(rows.map(\.line) == [2, 5, 6], "chunk \(chunk)")
      }
    }
  }

  /// A field over 1 MiB (an unclosed quote swallowing the file, or a hostile cell) is refused with its line, and
  /// memory stops at the limit instead of following the field.
  @Test func refusesAFieldOverTheLimitNamingItsLine() async throws {
    try await withTemporaryDirectory { dir in
      let text = "id,note\n1,short\n2,\"" + String(repeating: "x", count: 3 << 20) + "\"\n3,after\n"
      try text.write(toFile: dir.file("big.csv"), atomically: true, encoding: .utf8)
      let tableError = #expect(throws: ExamError.self) { try CSVTable(parsing: text, source: "big.csv") }
      #expect(tableError?.location == "line 3" && tableError?.code == .invalidInput)
      let streamError = #expect(throws: ExamError.self) {
        let reader = try CSVFileReader(path: dir.file("big.csv"), source: "big.csv", chunkBytes: 64 << 10)
        try reader.forEachRow(header: { _ in }) { _ in }
      }
      #expect(streamError?.location == "line 3" && streamError?.message.contains("longer than 1 MiB") == true)
    }
  }

  @Test func namesTheLineOfARowOfTheWrongWidthAndOfAnUnclosedQuote() async throws {
    try await withTemporaryDirectory { dir in
      try "a,b\n1,2\n3\n".write(toFile: dir.file("w.csv"), atomically: true, encoding: .utf8)
      let wide = #expect(throws: ExamError.self) {
        try CSVFileReader(path: dir.file("w.csv")).forEachRow(header: { _ in }) { _ in }
      }
      #expect(wide?.location == "line 3")
      try "a,b\n1,\"2\n".write(toFile: dir.file("q.csv"), atomically: true, encoding: .utf8)
      let quote = #expect(throws: ExamError.self) {
        try CSVFileReader(path: dir.file("q.csv")).forEachRow(header: { _ in }) { _ in }
      }
      #expect(quote?.location == "line 2" && quote?.message.contains("never closed") == true)
      let missing = #expect(throws: ExamError.self) {
        try CSVFileReader(path: dir.file("none.csv")).forEachRow(header: { _ in }) { _ in }
      }
      #expect(missing?.code == .notFound)
    }
  }

  @Test(arguments: [
    ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("-3.5", "-3.5"), ("+86", "+86"), ("1e5", "1e5"), ("张三", "张三"), ("a=b", "a=b"), ("", ""),
  ])
  func spreadsheetCellsNeverStartAFormula(_ c: (String, String)) throws {
    #expect(CSVWriter.escapeForSpreadsheet(c.0) == c.1)
    var sheet = CSVWriter(header: ["cell"], byteOrderMark: true)
    sheet.append([c.0])
    #expect(sheet.text == "\u{FEFF}cell\n" + c.1 + "\n")
    // a machine-readable CSV keeps the value as it is, and reads back the same
    var plain = CSVWriter(header: ["cell"])
    plain.append([c.0])
    #expect(try CSVTable(parsing: plain.text, source: "t.csv").rows.first?.fields == [c.0] || c.0.isEmpty)
    // The fast byte scan large exports use (Records' records.csv) never skips a cell this would change.
    #expect(CSVWriter.mayNeedSpreadsheetEscaping(c.0) || CSVWriter.escapeForSpreadsheet(c.0) == c.0)
  }

  @Test func theFastScanAgreesWithTheEscapeOnEveryShortCell() {
    // One list of formula starters (review of #17): every one- and two-byte ASCII cell, and a few others.
    let bytes = (0..<128).map { UInt8($0) }
    var cells = bytes.map { String(decoding: [$0], as: UTF8.self) }
    for a in bytes where a % 3 == 0 {
      for b in bytes where b % 5 == 0 { cells.append(String(decoding: [a, b], as: UTF8.self)) }
    }
    cells += ["\r\n=1", "'=1", "张=", "=张", "\u{FEFF}=1"]
    for cell in cells {
      #expect(
        CSVWriter.mayNeedSpreadsheetEscaping(cell) || CSVWriter.escapeForSpreadsheet(cell) == cell,
        "\(Array(cell.utf8))")
    }
  }
}
