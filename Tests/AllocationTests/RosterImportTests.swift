import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Allocation

func auditLine(_ summary: String) -> AuditEntry {
  AuditEntry(at: Timestamp.now(), operator: "test", command: "test", arguments: "", summary: summary)
}

@Suite struct RosterImportTests {
  static let roster = """
    candidate,name,national_id,school,district,accommodations
    2026010001,王勇涛,310104201002150112,南洋模范中学,徐汇区,
    2026010002,欧阳𠀀,11010519491231002X,"徐汇中学,初中部",徐汇区,accessible-seat;extra-time
    2026020003,李娜,440524200801010011,延安初级中学,长宁区,separate-room

    """

  @Test func nationalIdCheckCharacterAndBirthDate() {
    #expect(NationalID.problem(with: "11010519491231002X") == nil)
    #expect(NationalID.problem(with: "11010519491231002x") == nil)
    #expect(NationalID.problem(with: "310104201002150112") == nil)
    #expect(NationalID.problem(with: "310104201002150113") == .checkCharacter(expected: "2", found: "3"))
    #expect(NationalID.problem(with: "31010420100215011") == .length(17))
    #expect(NationalID.problem(with: "3101042010021501A2") == .notDigits)
    #expect(NationalID.problem(with: "310104201002300110") == .badDate("2010-02-30"))
    #expect(NationalID.problem(with: "310104200002290110") == nil)  // 2000 is a leap year
    #expect(NationalID.problem(with: "310104190002290114") == .badDate("1900-02-29"))
    #expect(NationalID.problem(with: "310104203001010117", latestYear: 2026) == .badDate("2030-01-01"))
  }

  @Test func gb18030RosterKeepsChineseNamesAndSchools() async throws {
    try await withTemporaryDirectory { dir in
      let bytes = gb18030Bytes(Self.roster)
      #expect(String(validating: bytes, as: UTF8.self) == nil)  // really not UTF-8
      #expect(bytes.starts(with: Array("candidate".utf8)))
      let wang: [UInt8] = [0xCD, 0xF5]  // 王 in GB18030
      #expect(bytes.indices.contains { bytes[$0...].starts(with: wang) })
      let path = dir.file("roster-gb.csv")
      FileManager.default.createFile(atPath: path, contents: Data(bytes))
      let file = try RosterFile(path: path)
      #expect(file.encoding == .gb18030)
      #expect(file.errors.isEmpty)
      #expect(file.candidates.map(\.name) == ["王勇涛", "欧阳𠀀", "李娜"])
      #expect(file.candidates.map(\.school) == ["南洋模范中学", "徐汇中学,初中部", "延安初级中学"])
      #expect(file.candidates[1].accommodations == [.accessibleSeat, .extraTime])

      let database = try ExamDatabase.inMemory()
      let service = RoomsService(database: database)
      let first = try await service.importRoster(path: path, skipBad: false, latestBirthYear: 2026, audit: auditLine)
      #expect(first.summary.inserted == 3)
      #expect(try database.candidate(id: "2026010002")?.name == "欧阳𠀀")
      // The same roster in UTF-8 with a BOM is the same data: re-importing changes nothing, no audit line.
      let utf8 = dir.file("roster-utf8.csv")
      FileManager.default.createFile(atPath: utf8, contents: Data([0xEF, 0xBB, 0xBF] + Array(Self.roster.utf8)))
      let auditBefore = try database.auditTrail().count
      let again = try await service.importRoster(path: utf8, skipBad: false, latestBirthYear: 2026, audit: auditLine)
      #expect(again.encoding == .utf8)
      #expect(again.summary.inserted == 0 && again.summary.updated == 0 && again.summary.unchanged == 3)
      #expect(try database.auditTrail().count == auditBefore)
    }
  }

  struct BadRow: Sendable, CustomTestStringConvertible {
    let row: String
    let location: String
    let message: String
    var testDescription: String { location }
  }

  @Test(arguments: [
    BadRow(
      row: "2026010009,张三,310104201002150113,甲中学,徐汇区,", location: "line 3, column national_id",
      message:
        "value '310104********0113' has the check character 3 but its digits give 2 (ISO 7064 MOD 11-2); a digit is mistyped"
    ),
    BadRow(
      row: "2026010009,张三,31010420100215011,甲中学,徐汇区,", location: "line 3, column national_id",
      message: "value '310104*******5011' is 17 characters long; a national ID has 18"),
    BadRow(
      row: "2026010009,张三,310104201002300110,甲中学,徐汇区,", location: "line 3, column national_id",
      message: "value '310104********0110' contains the birth date 2010-02-30, which is not a real date"),
    BadRow(
      row: "2026010009,张三,11010519491231002X,甲中学,徐汇区,", location: "line 3, column national_id",
      message: "value '110105********002X' repeats the national ID of line 2"),
    BadRow(
      row: "2026010001,张三,440524200801010011,甲中学,徐汇区,", location: "line 3, column candidate",
      message: "value '2026010001' repeats the candidate number of line 2"),
    BadRow(row: ",张三,440524200801010011,甲中学,徐汇区,", location: "line 3, column candidate", message: "value '' is empty"),
    BadRow(
      row: "2026010009,,440524200801010011,甲中学,徐汇区,", location: "line 3, column name", message: "value '' is empty"),
    BadRow(
      row: "2026010009,张三,440524200801010011,,徐汇区,", location: "line 3, column school", message: "value '' is empty"),
    BadRow(
      row: "2026010009,张三,440524200801010011,甲中学,,", location: "line 3, column district", message: "value '' is empty"),
    BadRow(
      row: "2026010009,张三,440524200801010011,甲中学,徐汇区,wheelchair", location: "line 3, column accommodations",
      message: "value 'wheelchair' is not a known accommodation"),
  ])
  func badRowIsReportedWithLineColumnValueAndReason(_ c: BadRow) throws {
    let text =
      "candidate,name,national_id,school,district,accommodations\n"
      + "2026010001,王勇涛,11010519491231002X,南洋模范中学,徐汇区,\n" + c.row + "\n"
    let file = try RosterFile(text: text, source: "r.csv", latestBirthYear: 2026)
    #expect(file.errors.count == 1)
    #expect(file.errors.first?.code == .invalidInput)
    #expect(file.errors.first?.file == "r.csv")
    #expect(file.errors.first?.location == c.location)
    #expect(file.errors.first?.message == c.message)
    #expect(file.candidates.map(\.id) == ["2026010001"])
  }

  @Test func anyBadRowImportsNothingUnlessSkipBad() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("r.csv")
      let text = Self.roster + "2026010009,张三,310104201002150113,甲中学,徐汇区,\n2026010010,李四,123,乙中学,徐汇区,nope\n"
      FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
      let database = try ExamDatabase.inMemory()
      let service = RoomsService(database: database)
      let error = await #expect(throws: ExamErrors.self) {
        try await service.importRoster(path: path, skipBad: false, latestBirthYear: 2026, audit: auditLine)
      }
      #expect(
        error?.errors.map(\.location) == [
          "line 5, column national_id", "line 6, column national_id",
          "line 6, column accommodations",
        ])
      #expect(try database.candidates().isEmpty)
      let outcome = try await service.importRoster(path: path, skipBad: true, latestBirthYear: 2026, audit: auditLine)
      #expect(outcome.summary.inserted == 3)
      #expect(outcome.skipped.count == 3)
      #expect(try database.candidates().count == 3)
    }
  }

  @Test func noMessageShowsAFullNationalID() throws {
    // #17 class 13: every national ID in a message is masked (the line number finds the row).
    let full = "11010519491231002X"
    let text =
      "candidate,name,national_id,school,district,accommodations\n"
      + "2026010001,王勇涛,\(full),南洋模范中学,徐汇区,\n2026010002,张三,\(full),甲中学,徐汇区,\n"
      + "2026010003,李四,110105194912310021,甲中学,徐汇区,\n"
    let file = try RosterFile(text: text, source: "r.csv", latestBirthYear: 2026)
    #expect(file.errors.count == 2)
    for error in file.errors {
      #expect(!error.description.contains(full) && !error.description.contains("110105194912310021"), "\(error)")
      #expect(error.description.contains("110105********00"))
    }
  }

  @Test func aRosterWrongThroughoutKeepsAndPrintsOnlyTheFirstErrors() async throws {
    // #17 class 15: one error per bad row of a 1.5-million-row file was held and printed; now the first 100 and a count.
    try await withTemporaryDirectory { dir in
      let path = dir.file("r.csv")
      var text = Self.roster
      for i in 0..<500 { text += "2026019\(String(format: "%03d", i)),张三,123,甲中学,徐汇区,\n" }
      FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
      let file = try RosterFile(path: path, latestBirthYear: 2026)
      #expect(file.errors.count == RosterFile.maxErrorsKept)
      #expect(file.errorCount == 500 && file.badLineCount == 500 && file.rowCount == 503)
      #expect(file.candidates.count == 3)
      let database = try ExamDatabase.inMemory()
      let service = RoomsService(database: database)
      let errors = await #expect(throws: ExamErrors.self) {
        try await service.importRoster(path: path, skipBad: false, latestBirthYear: 2026, audit: auditLine)
      }
      #expect(errors?.errors.count == RosterFile.maxErrorsKept + 1)
      #expect(errors?.errors.last?.message.contains("400 more bad values (500 in all, on 500 of 503 rows") == true)
      #expect(errors?.exitCode == 65)
      let outcome = try await service.importRoster(path: path, skipBad: true, latestBirthYear: 2026, audit: auditLine)
      #expect(
        outcome.skipped.count == RosterFile.maxErrorsKept && outcome.skippedCount == 500 && outcome.skippedRows == 500)
      #expect(outcome.summary.inserted == 3)
    }
  }

  @Test func aFolderWhereAFileBelongsIsBadInputNotAnIOError() throws {
    // #17 class 16: exit 65 with a message, not 1.
    try withTemporaryDirectorySync { dir in
      for attempt in [
        { () throws -> Void in _ = try RosterFile(path: dir.path) },
        { () throws -> Void in _ = try InputFile.bytes(dir.path) },
        { () throws -> Void in try CSVFileReader(path: dir.path).forEachRow(header: { _ in }) { _ in } },
      ] {
        let error = #expect(throws: ExamError.self) { try attempt() }
        #expect(error?.code == .invalidInput && error?.exitCode == 65)
        #expect(error?.message.contains("is a folder") == true)
      }
    }
  }

  @Test func missingColumnAndMissingFileAreReported() throws {
    let e1 = #expect(throws: ExamError.self) { try RosterFile(text: "candidate,name\n1,a\n", source: "r.csv") }
    #expect(e1?.code == .invalidInput)
    let e2 = #expect(throws: ExamError.self) { try RosterFile(path: "/nonexistent/roster.csv") }
    #expect(e2?.code == .notFound)
  }
}

func withTemporaryDirectorySync<R>(_ body: (TemporaryDirectory) throws -> R) rethrows -> R {
  let directory = TemporaryDirectory()
  defer { directory.remove() }
  return try body(directory)
}
