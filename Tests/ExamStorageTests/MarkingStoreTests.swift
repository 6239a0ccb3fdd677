import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

/// `MarkingStore` on both backends: the same calls give the same rows (SQLite always, PostgreSQL with the test
/// cluster).
@Suite struct MarkingStoreTests {
  let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "t", command: "test", arguments: "", summary: "")

  /// E1 with candidates C1…C3 (schools S1…S3), each with one answer to SA1; C1's answer has a second version.
  /// Returns the current recordings, by candidate, and the first version of C1's.
  func sitting(_ db: any MarkingStore) async throws -> (current: [StoredRecording], replaced: StoredRecording) {
    _ = try await db.importExam(SampleData.exam(), audit: audit)
    _ = try await db.importCandidates((1...3).map { SampleData.candidate($0, school: "S\($0)") }, audit: audit)
    func recording(_ candidate: Int, _ sha: Character) -> StoredRecording {
      StoredRecording(
        examId: "E1", candidateId: "C\(candidate)", itemId: "SA1", originalSha256: String(repeating: sha, count: 64),
        originalName: "a.wav", storedSha256: String(repeating: sha, count: 64), durationSeconds: 3,
        originalSampleRate: 16000, originalChannels: 1, originalFormat: "WAV/PCM_16", centreId: "T1",
        recordedAt: "2026-06-14T08:40:00Z", ingestedAt: "2026-06-14T12:00:00Z", batchId: "b1")
    }
    let first = try await db.insertAnswers(recordings: [recording(1, "1")], listening: [], audit: nil).recordings
    _ = try await db.insertAnswers(
      recordings: [recording(1, "4"), recording(2, "2"), recording(3, "3")], listening: [], audit: nil)
    let current = try await db.recordings(examId: "E1", currentOnly: true).sorted { $0.candidateId < $1.candidateId }
    return (current, try #require(first.first))
  }

  func score(_ r: StoredRecording, points: Double?, needsHuman: Bool) -> MachineScore {
    MachineScore(
      recordingId: r.id!, examId: r.examId, candidateId: r.candidateId, itemId: r.itemId,
      features: ["speech_rate": 3.5], aspects: ["fluency": 2.25], points: points, confidence: needsHuman ? 0.2 : 0.9,
      needsHuman: needsHuman, reason: needsHuman ? "low confidence" : "", modelVersion: "m1",
      scoredAt: "2026-06-15T00:00:00Z")
  }

  @Test(arguments: TestBackend.all) func machineScoresAreStoredOnceWithTheirMarks(backend: TestBackend) async throws {
    try await backend.withMarkingStore { (db: any MarkingStore) async throws in
      let (current, replaced) = try await sitting(db)
      #expect(try await db.scoringModelJSON(version: nil) == nil)
      try await db.saveScoringModel(version: "m1", json: "{\"v\":1}", audit: audit)
      try await db.saveScoringModel(version: "m1", json: "{\"v\":2}", audit: audit)  // the same version: kept
      #expect(try await db.scoringModelJSON(version: "m1") == "{\"v\":1}")
      #expect(try await db.scoringModelJSON(version: nil) == "{\"v\":1}")
      let auditLines = try await db.auditTrail(limit: nil).count

      // Unscored, page by page: the replaced version is not scored.
      #expect(try await db.scoringProgress(examId: "E1") == (3, 0))
      let firstPage = try await db.unscoredRecordings(examId: "E1", afterId: 0, limit: 2)
      #expect(firstPage.map(\.id) == current.compactMap(\.id).sorted().prefix(2).map { $0 })
      let rest = try await db.unscoredRecordings(examId: nil, afterId: firstPage.last!.id!, limit: 10)
      #expect(firstPage.count + rest.count == 3 && !(firstPage + rest).contains { $0.id == replaced.id })

      let scores = [
        score(current[0], points: 2.5, needsHuman: false), score(current[1], points: 1, needsHuman: true),
        score(current[2], points: nil, needsHuman: true),
      ]
      let confident: Set<Int64> = [current[0].id!]
      #expect(try await db.saveMachineScores(scores, finalRecordingIds: confident, audit: audit) == 3)
      #expect(try await db.saveMachineScores(scores, finalRecordingIds: confident, audit: audit) == 0)
      #expect(try await db.auditTrail(limit: nil).count == auditLines + 1)
      #expect(try await db.machineScores(examId: "E1") == scores.sorted { $0.recordingId < $1.recordingId })
      #expect(try await db.scoringProgress(examId: nil) == (3, 3))
      #expect(try await db.unscoredRecordings(examId: "E1", afterId: 0, limit: 10).isEmpty)
      // A machine mark for each score with points; the confident one is final on it.
      let marks = try await db.marks(examId: "E1")
      #expect(marks.map(\.recordingId) == [current[0].id!, current[1].id!].sorted())
      #expect(marks.allSatisfy { $0.kind == .machine && $0.raterId == "machine" && $0.source == "model m1" })
      let finals = try await db.finalMarks(examId: "E1")
      #expect(finals.count == 1 && finals.first?.points == 2.5 && finals.first?.method == "machine (confident)")
      #expect(finals.first?.markIds == marks.filter { $0.recordingId == current[0].id }.compactMap(\.id))
    }
  }

  @Test(arguments: TestBackend.all) func assignmentsMarksAndFinals(backend: TestBackend) async throws {
    try await backend.withMarkingStore { (db: any MarkingStore) async throws in
      let (current, replaced) = try await sitting(db)
      let raters = [
        Rater(id: "R2", name: "Wang", school: "S9"), Rater(id: "R1", name: "Li", school: "S8"),
        Rater(id: "R1", name: "Li Wei", school: "S8"),
      ]
      try await db.importRaters(raters, audit: audit)
      try await db.importRaters([Rater(id: "R3", name: "Zhao", school: "S1")], audit: audit)
      #expect(try await db.raters().map(\.id) == ["R1", "R2", "R3"])
      #expect(try await db.raters().first?.name == "Li Wei")

      let answer = current[1].id!
      func assign(_ recording: Int64, _ rater: String, _ slot: Int) -> MarkAssignment {
        MarkAssignment(recordingId: recording, raterId: rater, slot: slot, assignedAt: "t")
      }
      let plan = [
        assign(answer, "R1", 1), assign(answer, "R2", 2), assign(answer, "R3", 1),  // slot 1 taken: kept as it was
        assign(replaced.id!, "R1", 1),  // an earlier version's: stored, not listed for the exam
      ]
      #expect(try await db.saveAssignments(plan, audit: audit) == 3)
      #expect(try await db.saveAssignments(plan, audit: audit) == 0)
      #expect(try await db.assignments(examId: "E1") == [assign(answer, "R1", 1), assign(answer, "R2", 2)])

      func mark(_ rater: String, _ points: Double, _ source: String = "sheet.csv") -> Mark {
        Mark(recordingId: answer, raterId: rater, kind: .human, points: points, markedAt: "t", source: source)
      }
      let final = FinalMark(
        recordingId: answer, examId: "E1", candidateId: "C2", itemId: "SA1", points: 2, method: "mean of two",
        markIds: [], decidedAt: "t")
      #expect(
        try await db.saveMarks([mark("R1", 2), mark("R2", 2), mark("R1", 2)], finals: [final], audit: audit) == 2)
      let stored = try await db.marks(examId: "E1")
      #expect(stored.map(\.raterId) == ["R1", "R2"])
      #expect(try await db.finalMarks(examId: "E1").first?.markIds == stored.compactMap(\.id))
      #expect(try await db.saveMarks([mark("R1", 2)], finals: [], audit: audit) == 0)  // the same file again
      let auditLines = try await db.auditTrail(limit: nil).count
      // Another mark of R2 on the same answer: refused, and nothing of the call is written.
      let error = await #expect(throws: ExamError.self) {
        try await db.saveMarks([mark("R3", 1), mark("R2", 3, "late.csv")], finals: [], audit: audit)
      }
      #expect(error?.code == .conflict && error?.file == "late.csv")
      #expect(try await db.marks(examId: "E1") == stored)
      #expect(try await db.auditTrail(limit: nil).count == auditLines)
      // An arbiter's mark and a final mark that replaces the first.
      let arbiter = Mark(recordingId: answer, raterId: "R3", kind: .arbiter, points: 3, markedAt: "t2", source: "desk")
      var decided = final
      decided.points = 3
      decided.method = "arbiter"
      #expect(try await db.saveMarks([arbiter], finals: [decided], audit: audit) == 1)
      let finals = try await db.finalMarks(examId: "E1")
      #expect(finals.count == 1 && finals.first?.points == 3 && finals.first?.method == "arbiter")
      #expect(finals.first?.markIds == [try #require(try await db.marks(examId: "E1").last?.id)])
    }
  }

  @Test(arguments: TestBackend.all) func resultsAreReplacedNotDoubled(backend: TestBackend) async throws {
    try await backend.withMarkingStore { (db: any MarkingStore) async throws in
      _ = try await db.importExam(SampleData.exam(), audit: audit)
      _ = try await db.importCandidates([SampleData.candidate(1), SampleData.candidate(2)], audit: audit)
      var result = CandidateResult(
        examId: "E1", candidateId: "C2", sittingDate: "2026-06-14", total: 1.5, listening: 1,
        speaking: 0.5, sectionScores: ["LA": 1, "SA": 0.5], level: "A", finalisedAt: "2026-06-20T00:00:00Z")
      let other = CandidateResult(
        examId: "E1", candidateId: "C1", sittingDate: "2026-06-14", total: 0, listening: 0, speaking: 0,
        sectionScores: [:], level: CandidateResult.absentLevel, finalisedAt: "2026-06-20T00:00:00Z")
      try await db.saveResults([result, other], audit: audit)
      result.total = 2
      result.sectionScores["SA"] = 1
      try await db.saveResults([result], audit: audit)
      #expect(try await db.results(examId: "E1") == [other, result])
      #expect(try await db.results(examId: nil) == [other, result])
      #expect(try await db.results(examId: "E2").isEmpty)
    }
  }
}
