import Foundation
import Testing
import _ExamTestSupport

@testable import ExamCore

/// The one home of rules every module used to copy: dates, national IDs, numbers, text decoding, input files,
/// which exam.
@Suite struct SharedRulesTests {
  @Test(arguments: [
    ("2026-02-28", true), ("2024-02-29", true), ("2026-02-29", false), ("2026-02-31", false), ("2026-04-31", false),
    ("2026-12-31", true), ("2026-13-01", false), ("2026-1-01", false), ("26-01-01", false), ("1899-12-31", false),
    ("2000-02-29", true), ("1900-02-29", false), ("2026-00-10", false), ("2026-+1-01", false),
  ])
  func calendarDatesAreRealDays(_ c: (String, Bool)) {
    #expect(CalendarDate.isValid(c.0) == c.1)
    if c.1 { #expect(CalendarDate(c.0)?.description == c.0) }
  }

  @Test func timestampsRejectDaysThatDoNotExist() {
    #expect(Timestamp.parse("2026-02-28T08:00:00Z") != nil)
    #expect(Timestamp.parse("2026-02-31T08:00:00Z") == nil)  // 31 February used to become 3 March
    #expect(Timestamp.parse("2026-04-31T08:00:00+08:00") == nil)
  }

  @Test func nationalIdsCheckTheBirthDateAndTheCheckCharacter() {
    #expect(NationalID.problem(with: "11010519491231002X") == nil)
    #expect(NationalID.problem(with: "11010519491231002x") == nil)
    #expect(NationalID.problem(with: "310104201002300110") == .badDate("2010-02-30"))
    #expect(NationalID.problem(with: "310104201002150113") == .checkCharacter(expected: "2", found: "3"))
    #expect(NationalID.normalised("11010519491231002x") == "11010519491231002X")
    #expect(NationalID.masked("11010519491231002X") == "110105********002X")
  }

  @Test func numbersReadAsPeopleWriteThem() {
    #expect(NumberText.plain(35) == "35")
    #expect(NumberText.plain(0.25) == "0.25")
    #expect(NumberText.plain(0.123456789, decimals: 6) == "0.123457")
    #expect(NumberText.plain(2.96, decimals: 1) == "3")
    #expect(NumberText.plain(1e20) == "1e+20")
    #expect(String(format1: 12.34) == "12.3")
    #expect(String(format1: 4) == "4.0")
    #expect(String(format1: -0.46) == "-0.5")  // the copies printed 0.5
  }

  @Test func decodesEveryEncodingOfferedAndNamesTheBadByte() throws {
    let text = "name,school\n王勇涛,南洋模范中学\n"
    #expect(try TextDecoding.decode(Array(text.utf8), source: "t").encoding == .utf8)
    #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), source: "t") == (text, .utf8))
    #expect(try TextDecoding.decode(gb18030Bytes(text), source: "t") == (text, .gb18030))
    let utf16: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { u -> [UInt8] in [UInt8(u & 0xFF), UInt8(u >> 8)] }
    #expect(try TextDecoding.decode(utf16, source: "t") == (text, .utf16LE))
    // 0x80 alone is neither UTF-8 nor GB18030.
    let e = #expect(throws: ExamError.self) { try TextDecoding.decode(Array("ab,c\n".utf8) + [0x80], source: "t.csv") }
    #expect(e?.code == .unsupportedFormat && e?.location == "byte 5")
  }

  /// A GB18030 file read a few bytes at a time (characters cut between pieces) gives the same rows as read whole.
  @Test(arguments: [1, 2, 3, 7, 1 << 20])
  func streamsGB18030AcrossPieces(_ chunk: Int) async throws {
    let text = "candidate,name,school\n1,王勇涛,南洋模范中学\n2,欧阳𠀀,\"徐汇中学,初中部\"\n"
    try await withTemporaryDirectory { dir in
      FileManager.default.createFile(atPath: dir.file("gb.csv"), contents: Data(gb18030Bytes(text)))
      var rows: [[String]] = []
      try CSVFileReader(path: dir.file("gb.csv"), source: "gb.csv", chunkBytes: chunk).forEachRow(header: { _ in }) {
        rows.append($0.fields)
      }
      #expect(rows == [["1", "王勇涛", "南洋模范中学"], ["2", "欧阳𠀀", "徐汇中学,初中部"]])
      #expect(try CSVTable(contentsOf: dir.file("gb.csv")).rows.map(\.fields) == rows)
    }
  }

  @Test func inputFilesNameWhatIsWrong() async throws {
    try await withTemporaryDirectory { dir in
      #expect((#expect(throws: ExamError.self) { try InputFile.bytes(dir.file("missing.csv")) })?.code == .notFound)
      // A folder is bad input (exit 65), not a read failure (#17 class 16).
      #expect((#expect(throws: ExamError.self) { try InputFile.bytes(dir.path) })?.code == .invalidInput)
      FileManager.default.createFile(atPath: dir.file("a.txt"), contents: Data(gb18030Bytes("你好")))
      let text = try InputFile.text(dir.file("a.txt"))
      #expect(text == "你好")
    }
  }

  @Test func theOnlyExamIsTheDefault() throws {
    #expect(try ExamSelection.resolve(nil, among: ["E1"]) == "E1")
    #expect(try ExamSelection.resolve("E2", among: ["E1", "E2"]) == "E2")
    #expect((#expect(throws: ExamError.self) { try ExamSelection.resolve(nil, among: ["E1", "E2"]) })?.code == .usage)
    #expect((#expect(throws: ExamError.self) { try ExamSelection.resolve(nil, among: []) })?.code == .usage)
  }
}

extension SharedRulesTests {
  @Test func fixedDecimalsForTables() {
    #expect(NumberText.fixed(0.5) == "0.500")
    #expect(NumberText.fixed(0.12345) == "0.123")
    #expect(NumberText.fixed(-0.0004) == "0.000")
    #expect(NumberText.fixed(-1.25, decimals: 1) == "-1.3")
    #expect(NumberText.fixed(2, decimals: 2) == "2.00")
    #expect(NumberText.fixed(.nan) == "nan")
  }
}
