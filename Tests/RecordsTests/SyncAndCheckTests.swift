import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

@testable import Records

@Suite struct SyncAndCheckTests {
  /// Runs `body` on a store of `backend` holding the complete records of `students`.
  static func withStore(
    on backend: TestBackend, students: ClosedRange<Int>?, _ body: (any RecordsStore) async throws -> Void
  ) async throws {
    try await backend.withRecordsStore { database in
      if let students {
        let parsed = try RecordsImport.parse(
          csv: Fixtures.csv(students.flatMap { Fixtures.completeStudent($0) }), source: "s.csv")
        _ = try await database.importRecords(
          students: parsed.students, entries: parsed.entries, audit: Fixtures.audit())
      }
      try await body(database)
    }
  }

  @Test func aMissedSittingCountsOnlyWhenThereIsNoOther() throws {
    func sitting(_ exam: String, total: Double, level: String, date: String) -> RecordTestSitting {
      RecordTestSitting(
        nationalId: "X", examId: exam, examTitle: exam, candidateId: "C", sittingDate: date, total: total,
        maxTotal: 35, listening: total, speaking: 0, sectionScores: [:], level: level, counted: false)
    }
    // Absent in June (0 points), sat in November and scored 0 too: the sitting counts, not the absence.
    var two = [
      sitting("E1", total: 0, level: CandidateResult.absentLevel, date: "2026-06-14"),
      sitting("E2", total: 0, level: "D", date: "2026-11-08"),
    ]
    RecordsSync.markCounted(&two)
    #expect(two.map(\.counted) == [false, true])
    var one = [sitting("E1", total: 0, level: CandidateResult.absentLevel, date: "2026-06-14")]
    RecordsSync.markCounted(&one)
    #expect(one.map(\.counted) == [true])
    #expect(RecordsFormat.levelText(CandidateResult.absentLevel) == "缺考 absent" && RecordsFormat.levelText("B") == "B")
  }

  @Test(arguments: TestBackend.all) func twoSittingsAreBothKeptAndTheHigherCounts(backend: TestBackend) async throws {
    try await Self.withStore(on: backend, students: 1...2) { (database: any RecordsStore) async throws in
      try await Fixtures.examWithCandidates(database, examId: "E1", students: 1...2)
      try await database.saveResults(
        [
          Fixtures.result("E1", 1, total: 1.5, date: "2026-06-14"),
          Fixtures.result("E1", 2, total: 1.0, date: "2026-06-14"),
        ], audit: Fixtures.audit())
      let first = try await RecordsSync.sync(examId: "E1", store: database, audit: Fixtures.audit("records sync"))
      #expect(first.inserted == 2)
      // Student 1 sits again in the autumn and does worse; student 2 does better.
      try await Fixtures.examWithCandidates(database, examId: "E2", students: 1...2)
      try await database.saveResults(
        [
          Fixtures.result("E2", 1, total: 1.0, date: "2026-11-08"),
          Fixtures.result("E2", 2, total: 2.0, date: "2026-11-08"),
        ], audit: Fixtures.audit())
      let second = try await RecordsSync.sync(examId: "E2", store: database, audit: Fixtures.audit("records sync"))
      #expect(second.inserted == 2)
      #expect(second.updated == 1)  // student 2's June sitting is no longer counted
      let sittings = try await database.recordTestSittings(RecordFilter())
      let one = sittings[Fixtures.nationalId(1)] ?? []
      let two = sittings[Fixtures.nationalId(2)] ?? []
      #expect(one.map(\.examId) == ["E1", "E2"])
      #expect(one.map(\.counted) == [true, false])
      #expect(two.map(\.counted) == [false, true])
      #expect(one.first?.sectionScores == ["LA": 0.75, "SA": 0.75])
      #expect(one.first?.maxTotal == 2)
      #expect(one.first?.level == "A")
      #expect(one.first?.sittingDate == "2026-06-14")
      // Idempotent: syncing again changes nothing and writes no audit line.
      let auditBefore = try await database.auditTrail(limit: nil).count
      let again = try await RecordsSync.sync(examId: "E2", store: database, audit: Fixtures.audit("records sync"))
      #expect(again.inserted == 0 && again.updated == 0)
      #expect(try await database.auditTrail(limit: nil).count == auditBefore)
    }
  }

  @Test(arguments: TestBackend.all) func candidatesWithoutARecordAreListed(backend: TestBackend) async throws {
    try await Self.withStore(on: backend, students: 1...1) { (database: any RecordsStore) async throws in
      try await Fixtures.examWithCandidates(database, examId: "E1", students: 1...3)
      try await database.saveResults(
        (1...3).map { Fixtures.result("E1", $0, total: 1, date: "2026-06-14") }, audit: Fixtures.audit())
      let summary = try await RecordsSync.sync(examId: "E1", store: database, audit: Fixtures.audit())
      #expect(summary.inserted == 1)
      #expect(summary.unmatchedCandidates == ["C2", "C3"])
    }
  }

  @Test(arguments: TestBackend.all) func syncOfAnUnknownExamIsNotFound(backend: TestBackend) async throws {
    try await Self.withStore(on: backend, students: nil) { (database: any RecordsStore) async throws in
      let error = await #expect(throws: ExamError.self) {
        try await RecordsSync.sync(examId: "NOPE", store: database, audit: Fixtures.audit())
      }
      #expect(error?.code == .notFound)
    }
  }

  @Test(arguments: TestBackend.all) func checksFindEachKindOfGapPerStudentAndSchool(backend: TestBackend) async throws {
    try await Self.withStore(on: backend, students: 1...1) { (database: any RecordsStore) async throws in
      let gaps = try RecordsImport.parse(
        csv: Fixtures.csv([
          Fixtures.line(
            2, school: "二中", dimension: "character", type: "volunteer-service", title: "社区", hours: "20",
            evidence: "", status: "entered"),
          Fixtures.line(2, school: "二中", dimension: "academic", type: "course-grade", title: "数学", score: "80"),
        ]), source: "g.csv")
      _ = try await database.importRecords(students: gaps.students, entries: gaps.entries, audit: Fixtures.audit())
      let (students, schools) = try await RecordChecks.run(RecordFilter(), store: database)
      let complete = students.first { $0.studentNumber == "S1" }
      #expect(complete?.isComplete == true)
      #expect(complete?.volunteerHours == 64)
      let gap = students.first { $0.studentNumber == "S2" }
      #expect(gap?.missingDimensions == [.health, .innovation])
      #expect(
        gap?.issues.map(\.kind) == [
          .missingDimension, .missingDimension, .volunteerHoursShort, .noEvidence, .notApproved,
        ])
      #expect(schools.map(\.school) == ["二中", "市实验中学"])
      #expect(schools.first?.studentsWithIssues == 1)
      #expect(schools.first?.studentsByIssue["volunteer-hours-short"] == 1)
      #expect(schools.last?.studentsWithIssues == 0)
    }
  }

  @Test(arguments: TestBackend.all) func aTestSittingFillsTheAcademicDimension(backend: TestBackend) async throws {
    try await Self.withStore(on: backend, students: nil) { (database: any RecordsStore) async throws in
      let parsed = try RecordsImport.parse(
        csv: Fixtures.csv([
          Fixtures.line(1, dimension: "character", type: "volunteer-service", title: "社区", hours: "60"),
          Fixtures.line(1, dimension: "health", type: "art-activity", title: "合唱"),
          Fixtures.line(1, dimension: "innovation", type: "award", title: "科技节二等奖"),
        ]), source: "a.csv")
      _ = try await database.importRecords(students: parsed.students, entries: parsed.entries, audit: Fixtures.audit())
      #expect(
        try await RecordChecks.run(RecordFilter(), store: database).students.first?.missingDimensions == [.academic])
      try await Fixtures.examWithCandidates(database, examId: "E1", students: 1...1)
      try await database.saveResults([Fixtures.result("E1", 1, total: 2, date: "2026-06-14")], audit: Fixtures.audit())
      _ = try await RecordsSync.sync(examId: "E1", store: database, audit: Fixtures.audit())
      #expect(try await RecordChecks.run(RecordFilter(), store: database).students.first?.isComplete == true)
    }
  }
}
