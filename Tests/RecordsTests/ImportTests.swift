import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Records

@Suite struct ImportTests {
  @Test func nationalIdCheckCharacterAndMask() {
    #expect(NationalID.problem(with: "11010519491231002X") == nil)  // the standard's worked example
    #expect(NationalID.problem(with: "110105194912310021") != nil)
    #expect(NationalID.problem(with: "11010519491231002") != nil)
    #expect(NationalID.problem(with: Fixtures.nationalId(7)) == nil)
    #expect(NationalID.masked("11010519491231002X") == "110105********002X")
  }

  @Test func dimensionsHaveTheirChineseNames() {
    #expect(RecordDimension.allCases.map(\.chineseName) == ["品德发展与公民素养", "修习课程与学业成绩", "身心健康与艺术素养", "创新精神与实践能力"])
    #expect(RecordDimension(text: "身心健康与艺术素养") == .health)
    #expect(RecordDimension(text: "Innovation and practice") == .innovation)
    #expect(
      RecordDimension(
        text: "\u{54C1}\u{5FB7}\u{767C}(f\u{101})\u{5C55}\u{8207}\u{516C}\u{6C11}\u{7D20}\u{990A}(y\u{01CE}ng)")
        == .character)  // traditional, with pinyin
    #expect(RecordEntryStatus(text: "學校審核") == .approved)
  }

  @Test(arguments: TestBackend.all) func importsACSVAndTheSameFileTwiceAddsNothing(backend: TestBackend) async throws {
    try await backend.withRecordsStore { (database: any RecordsStore) async throws in
      try await withTemporaryDirectory { dir in
        let path = dir.file("school.csv")
        try Fixtures.csv(Fixtures.completeStudent(1) + Fixtures.completeStudent(2)).write(
          toFile: path, atomically: true, encoding: .utf8)
        let first = try await RecordsImporter.importFile(path, store: database, audit: Fixtures.audit())
        #expect(first.studentsInserted == 2)
        #expect(first.entriesInserted == 10)
        let second = try await RecordsImporter.importFile(path, store: database, audit: Fixtures.audit())
        #expect(!second.changed)
        #expect(second.entriesUnchanged == 10)
        // The second import changed nothing, so no audit line.
        #expect(try await database.auditTrail(limit: nil).count == 1)
        let entries = try await database.recordEntries(RecordFilter())[Fixtures.nationalId(1)] ?? []
        #expect(entries.count == 5)
        #expect(entries.first { $0.type == .researchProject }?.indicator == "科创社团")
        #expect(entries.filter { $0.dimension == .character }.count == 2)  // the Chinese dimension name was read
        #expect(try await database.recordStudent(nationalId: Fixtures.nationalId(2))?.name == "学生2")
      }
    }
  }

  /// Excel on Chinese Windows saves CSV as GB18030: the streamed import used to store its names as U+FFFD.
  @Test func importsAGB18030FileWithItsChineseText() async throws {
    let text = Fixtures.csv(Fixtures.completeStudent(1) + Fixtures.completeStudent(2))
    let expected = try RecordsImport.parse(csv: text, source: "u.csv")
    let database = try ExamDatabase.inMemory()
    try await withTemporaryDirectory { dir in
      let bytes = gb18030Bytes(text)
      #expect(String(validating: bytes, as: UTF8.self) == nil)  // really not UTF-8
      let path = dir.file("school-gb.csv")
      FileManager.default.createFile(atPath: path, contents: Data(bytes))
      let summary = try await RecordsImporter.importFile(path, store: database, audit: Fixtures.audit())
      #expect(summary.studentsInserted == 2 && summary.entriesInserted == 10)
      #expect(try RecordsImport.read(path: path).students == expected.students)
    }
    #expect(try database.recordStudents().map(\.name) == ["学生1", "学生2"])
    #expect(try database.recordStudents() == expected.students)
    #expect(Set(try database.recordEntries().values.flatMap { $0 }) == Set(expected.entries))
  }

  /// The streamed CSV import stores exactly what checking the whole text and importing it stores, repeated
  /// identical rows included.
  @Test(arguments: TestBackend.all) func theStreamedImportStoresWhatTheWholeFileImportStores(backend: TestBackend)
    async throws
  {
    let rows = Fixtures.completeStudent(1) + Fixtures.completeStudent(2) + [Fixtures.completeStudent(1)[2]]
    let text = Fixtures.csv(rows)
    let whole = try ExamDatabase.inMemory()
    let parsed = try RecordsImport.parse(csv: text, source: "s.csv")
    let expected = try whole.importRecords(students: parsed.students, entries: parsed.entries, audit: Fixtures.audit())
    try await backend.withRecordsStore { (streamed: any RecordsStore) async throws in
      try await withTemporaryDirectory { dir in
        try text.write(toFile: dir.file("s.csv"), atomically: true, encoding: .utf8)
        #expect(
          try await RecordsImporter.importFile(dir.file("s.csv"), store: streamed, audit: Fixtures.audit()) == expected)
      }
      #expect(expected.entriesInserted == 10 && expected.studentsInserted == 2)
      #expect(try await streamed.recordStudents(RecordFilter()) == whole.recordStudents())
      #expect(try await streamed.recordEntries(RecordFilter()) == whole.recordEntries())
      #expect(
        try await streamed.auditTrail(limit: nil).map { $0.summary.hasSuffix("s.csv: 2 student(s), 10 entr(ies)") }
          == [true])
    }
  }

  @Test(arguments: TestBackend.all) func aChangedStatusUpdatesTheEntryInPlace(backend: TestBackend) async throws {
    try await backend.withRecordsStore { (database: any RecordsStore) async throws in
      let before = Fixtures.csv([
        Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理", status: "entered")
      ])
      let after = Fixtures.csv([
        Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理", status: "approved")
      ])
      let a = try RecordsImport.parse(csv: before, source: "a.csv")
      _ = try await database.importRecords(students: a.students, entries: a.entries, audit: Fixtures.audit())
      let b = try RecordsImport.parse(csv: after, source: "b.csv")
      let summary = try await database.importRecords(students: b.students, entries: b.entries, audit: Fixtures.audit())
      #expect(summary.entriesUpdated == 1)
      #expect(summary.entriesInserted == 0)
      #expect(try await database.recordEntries(RecordFilter())[Fixtures.nationalId(1)]?.map(\.status) == [.approved])
    }
  }

  @Test func noMessageShowsAFullNationalID() async throws {
    // #17 class 13: records errors and --ids file errors mask every national ID.
    let one = Fixtures.nationalId(1)
    let two = Fixtures.nationalId(2)
    let mistyped = String(one.dropLast()) + (one.hasSuffix("0") ? "1" : "0")
    let text = Fixtures.csv([
      Fixtures.line(1, dimension: "academic", type: "course-grade", title: "化学"),
      Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理").replacingOccurrences(
        of: "学生1", with: "学生X"),
      Fixtures.line(2, dimension: "academic", type: "course-grade", title: "化学").replacingOccurrences(
        of: ",S2,", with: ",S1,"),
      Fixtures.line(1, dimension: "academic", type: "course-grade", title: "生物").replacingOccurrences(
        of: one, with: mistyped),
    ])
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(csv: text, source: "r.csv") }
    #expect(errors?.errors.count == 3)
    for error in errors?.errors ?? [] {
      for id in [one, two, mistyped] { #expect(!error.description.contains(id), "\(error)") }
    }
    try await withTemporaryDirectory { dir in
      try "\(one)\n\(mistyped)\n".write(toFile: dir.file("ids.txt"), atomically: true, encoding: .utf8)
      let bad = #expect(throws: ExamErrors.self) { try RecordsExport.readIds(path: dir.file("ids.txt")) }
      #expect(bad?.errors.count == 1)
      #expect(
        bad?.errors.first.map {
          !$0.description.contains(mistyped) && $0.description.contains(NationalID.masked(mistyped))
        } == true)
    }
  }

  @Test func everyBadRowIsNamedAndNothingIsImported() async throws {
    let database = try ExamDatabase.inMemory()
    var badId = Fixtures.line(3, dimension: "academic", type: "course-grade", title: "化学")
    badId = badId.replacingOccurrences(
      of: Fixtures.nationalId(3), with: String(Fixtures.nationalId(3).dropLast()) + "0")
    let text = Fixtures.csv(
      Fixtures.completeStudent(1) + [
        Fixtures.line(2, dimension: "sports", type: "course-grade", title: "语文"),  // line 7
        badId,  // line 8
        Fixtures.line(4, dimension: "character", type: "volunteer-service", title: "地铁站引导"),  // line 9: no hours
        // line 10: 2 errors
        Fixtures.line(5, dimension: "health", type: "course-grade", title: "英语", date: "2026-02-30"),
        Fixtures.line(6, dimension: "academic", type: "course-grade", title: "历史", status: "done"),  // line 11
      ])
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(csv: text, source: "bad.csv") }
    let locations = errors?.errors.map { $0.location ?? "" } ?? []
    #expect(
      locations == [
        "line 7, column dimension", "line 8, column national_id", "line 9, column hours", "line 10, column dimension",
        "line 10, column date", "line 11, column status",
      ])
    #expect(errors?.errors.allSatisfy { $0.code == .invalidInput && $0.file == "bad.csv" } == true)
    try await withTemporaryDirectory { dir in
      try text.write(toFile: dir.file("bad.csv"), atomically: true, encoding: .utf8)
      // The streamed import (a piece at a time, two passes) names the same rows.
      let streamed = await #expect(throws: ExamErrors.self) {
        try await RecordsImporter.importFile(dir.file("bad.csv"), store: database, audit: Fixtures.audit())
      }
      #expect(streamed?.errors.map { $0.location ?? "" } == locations)
    }
    #expect(try database.recordStudents().isEmpty)
    #expect(try database.recordEntries().isEmpty)
  }

  @Test func rowsOfOneStudentMustAgree() throws {
    let a = Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理")
    let b = Fixtures.line(1, dimension: "academic", type: "course-grade", title: "化学").replacingOccurrences(
      of: "高二(1)班", with: "高二(2)班")
    let errors = #expect(throws: ExamErrors.self) {
      try RecordsImport.parse(csv: Fixtures.csv([a, b]), source: "x.csv")
    }
    #expect(errors?.errors.map(\.location) == ["line 3"])
  }

  @Test(arguments: TestBackend.all) func aStudentNumberOfAnotherStudentIsAConflict(backend: TestBackend) async throws {
    try await backend.withRecordsStore { (database: any RecordsStore) async throws in
      let a = try RecordsImport.parse(
        csv: Fixtures.csv([Fixtures.line(1, dimension: "academic", type: "course-grade", title: "物理")]), source: "a.csv"
      )
      _ = try await database.importRecords(students: a.students, entries: a.entries, audit: Fixtures.audit())
      let clash = Fixtures.line(2, dimension: "academic", type: "course-grade", title: "物理").replacingOccurrences(
        of: ",S2,", with: ",S1,")
      let b = try RecordsImport.parse(csv: Fixtures.csv([clash]), source: "b.csv")
      let error = await #expect(throws: ExamError.self) {
        try await database.importRecords(students: b.students, entries: b.entries, audit: Fixtures.audit())
      }
      #expect(error?.code == .conflict)
      #expect(try await database.recordStudents(RecordFilter()).count == 1)
    }
  }

  @Test func importsJSONAndNamesBadKeysByIndex() throws {
    let good = """
      {"entries": [{"national_id": "\(Fixtures.nationalId(1))", "student_number": "S1", "name": "张三", "school": "市实验中学",
        "district": "浦东新区", "class": "高二(1)班", "cohort": 2027, "dimension": "character", "type": "volunteer-service",
        "title": "社区服务", "date": "2026-03-01", "hours": 12.5, "evidence": "证书 17", "status": "confirmed"}]}
      """
    let parsed = try RecordsImport.parse(json: Data(good.utf8), source: "a.json")
    #expect(parsed.entries.first?.hours == 12.5)
    #expect(parsed.entries.first?.status == .confirmed)
    #expect(parsed.students.first?.cohort == 2027)
    let bad = good.replacingOccurrences(of: "\"hours\": 12.5", with: "\"hours\": -3")
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(json: Data(bad.utf8), source: "b.json") }
    #expect(errors?.errors.map(\.location) == ["entries[0] (line 1), key hours"])
    // Line numbers follow the objects of a pretty-printed array, braces inside strings notwithstanding.
    let pretty = "[\n  {\"title\": \"{not an object}\"},\n\n  {\"national_id\": \"x\"}\n]"
    #expect(RecordsImport.objectLines(Array(pretty.utf8), wrapped: false) == [2, 4])
    let wrapped = "{\"school\": [1, {\"a\": 2}],\n \"entries\": [\n {}, {},\n {\"b\": [{}]}]}"
    #expect(RecordsImport.objectLines(Array(wrapped.utf8), wrapped: true) == [3, 3, 4])
  }

  @Test func levelTestsComeOnlyFromResults() throws {
    let text = Fixtures.csv([Fixtures.line(1, dimension: "academic", type: "level-test", title: "英语听说")])
    let errors = #expect(throws: ExamErrors.self) { try RecordsImport.parse(csv: text, source: "x.csv") }
    #expect(errors?.errors.map(\.location) == ["line 2, column type"])
  }
}
