import ExamCore
import Testing

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
