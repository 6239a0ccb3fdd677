import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Records

@Suite struct ImportTests {
  @Test func nationalIdCheckCharacterAndMask() {
    #expect(NationalID.problem("11010519491231002X") == nil)  // the standard's worked example
    #expect(NationalID.problem("110105194912310021") != nil)
    #expect(NationalID.problem("11010519491231002") != nil)
    #expect(NationalID.problem(Fixtures.nationalId(7)) == nil)
    #expect(NationalID.masked("11010519491231002X") == "110105********002X")
  }

  @Test func dimensionsHaveTheirChineseNames() {
    #expect(RecordDimension.allCases.map(\.chineseName) == ["品德發(fā)展與公民素養(yǎng)", "修習(xí)課程與學(xué)業(yè)成績(jī)", "身心健康與藝術(shù)素養(yǎng)", "創(chuàng)新精神與實(shí)踐能力"])
    #expect(RecordDimension(text: "身心健康與藝術(shù)素養(yǎng)") == .health)
    #expect(RecordDimension(text: "Innovation and practice") == .innovation)
  }

  @Test func importsACSVAndTheSameFileTwiceAddsNothing() async throws {
    let database = try ExamDatabase.inMemory()
    try await withTemporaryDirectory { dir in
      let path = dir.file("school.csv")
      try Fixtures.csv(Fixtures.completeStudent(1) + Fixtures.completeStudent(2)).write(toFile: path, atomically: true, encoding: .utf8)
      let first = try RecordsImporter.importFile(path, database: database, audit: Fixtures.audit())
      #expect(first.studentsInserted == 2)
      #expect(first.entriesInserted == 10)
      let second = try RecordsImporter.importFile(path, database: database, audit: Fixtures.audit())
      #expect(!second.changed)
      #expect(second.entriesUnchanged == 10)
      #expect(try database.auditTrail().count == 1)  // the second import changed nothing, so no audit line
      let entries = try database.recordEntries()[Fixtures.nationalId(1)] ?? []
      #expect(entries.count == 5)
      #expect(entries.first { $0.type == .researchProject }?.indicator == "科創(chuàng)社團(tuán)")
      #expect(entries.filter { $0.dimension == .character }.count == 2)  // the Chinese dimension name was read
    }
  }

  @Test func aChangedStatusUpdatesTheEntryInPlace() throws {
    let database = try ExamDatabase.inMemory()
    let before = Fixtures.csv([Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理", status: "entered")])
    let after = Fixtures.csv([Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理", status: "approved")])
    let a = try RecordsImport.parse(csv: before, source: "a.csv")
    _ = try database.importRecords(students: a.students, entries: a.entries, audit: Fixtures.audit())
    let b = try RecordsImport.parse(csv: after, source: "b.csv")
    let summary = try database.importRecords(students: b.students, entries: b.entries, audit: Fixtures.audit())
    #expect(summary.entriesUpdated == 1)
    #expect(summary.entriesInserted == 0)
    #expect(try database.recordEntries()[Fixtures.nationalId(1)]?.map(\.status) == [.approved])
  }

  @Test func everyBadRowIsNamedAndNothingIsImported() async throws {
    let database = try ExamDatabase.inMemory()
    var badId = Fixtures.line(3, dimension: "academic", type: "course-grade", title: "化學(xué)")
    badId = badId.replacingOccurrences(of: Fixtures.nationalId(3), with: String(Fixtures.nationalId(3).dropLast()) + "0")
    let text = Fixtures.csv(Fixtures.completeStudent(1) + [
      Fixtures.line(2, dimension: "sports", type: "course-grade", title: "語文"),  // line 7
      badId,  // line 8
      Fixtures.line(4, dimension: "character", type: "volunteer-service", title: "地鐵站引導(dǎo)"),  // line 9: no hours
      Fixtures.line(5, dimension: "health", type: "course-grade", title: "英語", date: "2026-02-30"),  // line 10: 2 errors
      Fixtures.line(6, dimension: "academic", type: "course-grade", title: "歷史", status: "done"),  // line 11
    ])
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(csv: text, source: "bad.csv") }
    let locations = errors?.errors.map { $0.location ?? "" } ?? []
    #expect(locations == [
      "line 7, column dimension", "line 8, column national_id", "line 9, column hours", "line 10, column dimension",
      "line 10, column date", "line 11, column status",
    ])
    #expect(errors?.errors.allSatisfy { $0.code == .invalidInput && $0.file == "bad.csv" } == true)
    try await withTemporaryDirectory { dir in
      try text.write(toFile: dir.file("bad.csv"), atomically: true, encoding: .utf8)
      #expect(throws: ExamErrors.self) { try RecordsImporter.importFile(dir.file("bad.csv"), database: database, audit: Fixtures.audit()) }
    }
    #expect(try database.recordStudents().isEmpty)
    #expect(try database.recordEntries().isEmpty)
  }

  @Test func rowsOfOneStudentMustAgree() throws {
    let a = Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理")
    let b = Fixtures.line(1, dimension: "academic", type: "course-grade", title: "化學(xué)").replacingOccurrences(of: "高二(1)班", with: "高二(2)班")
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(csv: Fixtures.csv([a, b]), source: "x.csv") }
    #expect(errors?.errors.map(\.location) == ["line 3"])
  }

  @Test func aStudentNumberOfAnotherStudentIsAConflict() throws {
    let database = try ExamDatabase.inMemory()
    let a = try RecordsImport.parse(csv: Fixtures.csv([Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理")]), source: "a.csv")
    _ = try database.importRecords(students: a.students, entries: a.entries, audit: Fixtures.audit())
    let clash = Fixtures.line(2, dimension: "academic", type: "course-grade", title: "物理").replacingOccurrences(of: ",S2,", with: ",S1,")
    let b = try RecordsImport.parse(csv: Fixtures.csv([clash]), source: "b.csv")
    let error = #expect(throws: ExamError.self) {
      try database.importRecords(students: b.students, entries: b.entries, audit: Fixtures.audit())
    }
    #expect(error?.code == .conflict)
    #expect(try database.recordStudents().count == 1)
  }

  @Test func importsJSONAndNamesBadKeysByIndex() throws {
    let good = """
      {"entries": [{"national_id": "\(Fixtures.nationalId(1))", "student_number": "S1", "name": "張三", "school": "市實(shí)驗(yàn)中學(xué)",
        "district": "浦東新區(qū)", "class": "高二(1)班", "cohort": 2027, "dimension": "character", "type": "volunteer-service",
        "title": "社區(qū)服務(wù)", "date": "2026-03-01", "hours": 12.5, "evidence": "證書 17", "status": "confirmed"}]}
      """
    let parsed = try RecordsImport.parse(json: Data(good.utf8), source: "a.json")
    #expect(parsed.entries.first?.hours == 12.5)
    #expect(parsed.entries.first?.status == .confirmed)
    #expect(parsed.students.first?.cohort == 2027)
    let bad = good.replacingOccurrences(of: "\"hours\": 12.5", with: "\"hours\": -3")
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(json: Data(bad.utf8), source: "b.json") }
    #expect(errors?.errors.map(\.location) == ["entries[0], key hours"])
  }

  @Test func levelTestsComeOnlyFromResults() throws {
    let text = Fixtures.csv([Fixtures.line(1, dimension: "academic", type: "level-test", title: "英語聽說")])
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(csv: text, source: "x.csv") }
    #expect(errors?.errors.map(\.location) == ["line 2, column type"])
  }
}
