import ExamCore
import ExamStorage
import Scoring
import Testing
import _ExamTestSupport

/// A candidate allocated to the exam who left no answer and never logged in did not sit it: level `absent`
/// (缺考), not D; one who logged in and answered nothing sat it and gets D.
@Suite struct AbsentCandidateTests {
  @Test(arguments: TestBackend.all) func allocatedCandidatesWithoutAnyAnswerAreAbsentNotD(backend: TestBackend)
    async throws
  {
    try await backend.withMarkingStore { (database: any MarkingStore) async throws in
      let audit = AuditEntry(at: "2026-06-14T12:00:00Z", operator: "test", command: "t", arguments: "", summary: "t")
      let exam = ExamDefinition(
        id: "E1", title: "Test",
        sections: [
          SectionDefinition(
            id: "L", title: "Listening", part: .listening, points: 2,
            items: [
              ItemDefinition(id: "L1", type: .choice, points: 1, answerKey: "B"),
              ItemDefinition(id: "L2", type: .choice, points: 1, answerKey: "C"),
            ])
        ], packSha256: String(repeating: "a", count: 64))
      _ = try await database.importExam(exam, audit: audit)
      _ = try await database.importCandidates((1...4).map { SampleData.candidate($0) }, audit: audit)
      _ = try await database.replaceVenues(
        centres: [SampleData.centre()], sessions: [SampleData.session], adjacency: [], audit: audit)
      try await database.replaceAllocation(
        examId: "E1",
        ["1-1", "1-2", "1-3", "2-1"].enumerated().map { k, seat in
          SeatAssignment(
            examId: "E1", candidateId: SampleData.candidate(k + 1).id, sessionId: "AM", centreId: "T1",
            roomId: "R1", seatId: seat)
        }, audit: audit)
      // Candidate 1 sat and got both items wrong; candidate 2 sat and got one right; candidate 3 never came;
      // candidate 4 logged in at the seat machine and answered nothing.
      let (c1, c2, c3) = (SampleData.candidate(1).id, SampleData.candidate(2).id, SampleData.candidate(3).id)
      let c4 = SampleData.candidate(4).id
      _ = try await database.insertSeatEvents(
        [
          SeatEvent(
            examId: "E1", machineId: "M4", seq: 1, at: 1_000, centreId: "T1",
            roomId: "R1", seatId: "2-1", candidateId: c4, type: .login)
        ], audit: nil)
      _ = try await database.insertAnswers(
        recordings: [],
        listening: [
          ListeningAnswer(
            examId: "E1", candidateId: c1, itemId: "L1", choice: "A", answeredAt: "", centreId: "T1", batchId: "b1"),
          ListeningAnswer(
            examId: "E1", candidateId: c2, itemId: "L2", choice: "C", answeredAt: "", centreId: "T1", batchId: "b1"),
        ], audit: audit)
      let results = Dictionary(
        uniqueKeysWithValues: try await ResultFinaliser(store: database)
          .compute(examId: "E1", finalisedAt: "2026-06-20T00:00:00Z").map { ($0.candidateId, $0) })
      #expect(results.count == 4)
      #expect(results[c1]?.level == "D" && results[c1]?.total == 0 && results[c1]?.isAbsent == false)
      #expect(results[c2]?.level == "D" && results[c2]?.total == 1)
      #expect(
        results[c3]?.level == CandidateResult.absentLevel && results[c3]?.isAbsent == true && results[c3]?.total == 0)
      #expect(results[c3]?.sittingDate == "2026-06-14")
      #expect(results[c4]?.level == "D" && results[c4]?.total == 0)
    }
  }
}
