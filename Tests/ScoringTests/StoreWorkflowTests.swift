import ExamCore
import ExamStorage
import Foundation
import Scoring
import Testing
import _ExamTestSupport

/// Features by audio path; a path containing "broken" fails like unreadable audio.
struct StubExtractor: FeatureExtractor {
  var byPath: [String: [String: Double]]
  func features(audioPath: String, referencePath: String?) throws(ExamError) -> [String: Double] {
    guard let f = byPath[audioPath] else { throw ExamError(.corrupt, file: audioPath, "cannot be decoded") }
    return f
  }
}

/// An exam with a listening item, a read-aloud sentence and an open answer, two candidates of two schools,
/// and their answers in an in-memory store.
struct WorkflowFixture {
  let database: any MarkingStore
  let store = ContentStore(root: "/nonexistent/store")
  let exam: ExamDefinition
  let model: ScoringModel
  var extractor: StubExtractor

  static func audit(_ what: String) -> AuditEntry {
    AuditEntry(at: "2026-06-14T12:00:00Z", operator: "test", command: what, arguments: "", summary: what)
  }

  init(database: any MarkingStore) async throws {
    self.database = database
    exam = ExamDefinition(
      id: "E1", title: "Test",
      sections: [
        SectionDefinition(
          id: "L", title: "Listening", part: .listening, points: 2,
          items: [
            ItemDefinition(id: "L1", type: .choice, points: 1, answerKey: "B"),
            ItemDefinition(id: "L2", type: .choice, points: 1, answerKey: "C"),
          ]),
        SectionDefinition(
          id: "R", title: "Read aloud", part: .speaking, points: 2,
          items: [
            ItemDefinition(
              id: "R1", type: .readSentence, points: 2, referenceText: "ba ba ba ba ba ba ba ba",
              rubric: Rubric(criteria: [.init(name: "fluency", points: 2)], tolerance: 0.5))
          ]),
        SectionDefinition(
          id: "O", title: "Situational", part: .speaking, points: 4,
          items: [
            ItemDefinition(
              id: "O1", type: .situational, points: 4,
              rubric: Rubric(
                criteria: [.init(name: "content", points: 2), .init(name: "fluency", points: 2)], tolerance: 1))
          ]),
      ], packSha256: String(repeating: "a", count: 64))
    _ = try await database.importExam(exam, audit: Self.audit("pack import"))
    _ = try await database.importCandidates(
      [SampleData.candidate(1, school: "S1"), SampleData.candidate(2, school: "S2")],
      audit: Self.audit("candidates"))
    let (samples, ratings) = syntheticSamples(count: 200, seed: 9)
    model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, ratings),
      scaleMaximum: ratings.scaleMaximum, aspects: ratings.aspects, source: "synthetic", createdAt: "")
    var recordings: [StoredRecording] = []
    var byPath: [String: [String: Double]] = [:]
    for (c, candidate) in ["C1", "C2"].enumerated() {
      for (k, item) in ["R1", "O1"].enumerated() {
        let sha = String(repeating: "\(c)\(k)", count: 32)
        recordings.append(
          StoredRecording(
            examId: "E1", candidateId: candidate, itemId: item, originalSha256: sha,
            originalName: "\(item).wav", storedSha256: sha, durationSeconds: 5, originalSampleRate: 16000,
            originalChannels: 1,
            originalFormat: "WAV/PCM_16", centreId: "T1", recordedAt: "2026-06-14T09:00:00Z",
            ingestedAt: "2026-06-14T11:00:00Z",
            batchId: "b1"))
        byPath[store.path(sha256: sha, ext: "flac")] = samples[c].features
      }
    }
    _ = try await database.insertAnswers(
      recordings: recordings,
      listening: [
        ListeningAnswer(
          examId: "E1", candidateId: "C1", itemId: "L1", choice: "B", answeredAt: "", centreId: "T1", batchId: "b1"),
        ListeningAnswer(
          examId: "E1", candidateId: "C1", itemId: "L2", choice: "A", answeredAt: "", centreId: "T1", batchId: "b1"),
        ListeningAnswer(
          examId: "E1", candidateId: "C2", itemId: "L1", choice: "B", answeredAt: "", centreId: "T1", batchId: "b1"),
      ], audit: Self.audit("ingest"))
    extractor = StubExtractor(byPath: byPath)
  }

  func runner(extractor: StubExtractor? = nil) -> StoreScoringRun {
    StoreScoringRun(
      store: database, contentStore: store, scorer: AnswerScorer(model: model),
      extractor: extractor ?? self.extractor, jobs: 2)
  }
}

@Suite struct StoreWorkflowTests {
  @Test(arguments: TestBackend.all) func scoreRunIsResumableAndNeverScoresTwice(backend: TestBackend) async throws {
    try await backend.withMarkingStore { (store: any MarkingStore) async throws in
      let f = try await WorkflowFixture(database: store)
      // First run: one answer's audio is unreadable, which routes it to people rather than losing it.
      var partial = f.extractor
      let brokenPath = partial.byPath.keys.sorted()[0]
      partial.byPath[brokenPath] = nil
      var runner = f.runner(extractor: partial)
      runner.batchSize = 1
      runner.pageSize = 3  // pages of 3, 1: paging must not skip or repeat answers
      let first = try await runner.run(
        examId: "E1", progress: { _, _ in }, audit: { _ in WorkflowFixture.audit("score run") })
      #expect(first.scored == 4 && first.failed == 1)
      let again = try await f.runner().run(
        examId: "E1", progress: { _, _ in }, audit: { _ in WorkflowFixture.audit("score run") })
      #expect(again.scored == 0 && again.alreadyScored == 4)
      let scores = try await f.database.machineScores(examId: "E1")
      #expect(scores.count == 4)
      #expect(scores.filter { $0.itemId == "O1" }.allSatisfy { $0.needsHuman && $0.reason.contains("open answer") })
      #expect(scores.allSatisfy { $0.modelVersion == f.model.version })
      #expect(try await f.database.scoringModelJSON(version: nil) != nil)
      let failed = try #require(scores.first { $0.points == nil })
      #expect(failed.needsHuman && failed.reason.hasPrefix("analysis failed"))
    }
  }

  @Test(arguments: TestBackend.all) func doubleMarkingArbitrationAndResults(backend: TestBackend) async throws {
    try await backend.withMarkingStore { (store: any MarkingStore) async throws in
      let f = try await WorkflowFixture(database: store)
      _ = try await f.runner().run(
        examId: "E1", progress: { _, _ in }, audit: { _ in WorkflowFixture.audit("score run") })
      let desk = MarkingDesk(store: f.database, contentStore: f.store)
      let raters = [
        Rater(id: "R1", name: "A", school: "S1"), Rater(id: "R2", name: "B", school: "S2"),
        Rater(id: "R3", name: "C", school: "S3"), Rater(id: "R4", name: "D", school: "S1"),
      ]
      let plan = try await desk.plan(examId: "E1", raters: raters, audit: WorkflowFixture.audit("marking export"))
      let assignments = try await f.database.assignments(examId: "E1")
      let recordings = try await f.database.recordings(examId: "E1", currentOnly: true)
      let needHumans = try await f.database.machineScores(examId: "E1").filter(\.needsHuman)
      #expect(assignments.count == 2 * needHumans.count)
      #expect(plan.values.reduce(0) { $0 + $1.count } == assignments.count)  // every assignment is on a worksheet
      #expect(plan.keys.sorted() == ["R1", "R2", "R3", "R4"])
      let schoolOf = ["C1": "S1", "C2": "S2"]
      for a in assignments {
        let candidate = try #require(recordings.first { $0.id == a.recordingId }).candidateId
        #expect(raters.first { $0.id == a.raterId }?.school != schoolOf[candidate])
      }
      // Planning again adds nothing.
      _ = try await desk.plan(examId: "E1", raters: raters, audit: WorkflowFixture.audit("marking export"))
      #expect(try await f.database.assignments(examId: "E1").count == assignments.count)

      await #expect {
        _ = try await ResultFinaliser(store: f.database).compute(examId: "E1", finalisedAt: "x")
      } throws: {
        ($0 as? ExamError)?.code == .state
      }

      // Raters mark: agree on C1's open answer, disagree by 3 points on C2's.
      let dir = TemporaryDirectory()
      defer { dir.remove() }
      var rows = "answer_id,rater_id,points\n"
      let c2Open = try #require(recordings.first { $0.candidateId == "C2" && $0.itemId == "O1" }?.id)
      let readAloud = Set(recordings.filter { $0.itemId == "R1" }.compactMap(\.id))
      for a in assignments {
        let points: Double =
          a.recordingId == c2Open
          ? (a.slot == 1 ? 1 : 4)
          : readAloud.contains(a.recordingId) ? (a.slot == 1 ? 1 : 1.5) : (a.slot == 1 ? 3 : 3.5)
        rows += "\(a.recordingId),\(a.raterId),\(points)\n"
      }
      try rows.write(toFile: dir.file("marks.csv"), atomically: true, encoding: .utf8)
      let summary = try await desk.importMarks(
        path: dir.file("marks.csv"), examId: "E1", audit: WorkflowFixture.audit("marking import"))
      #expect(summary.imported == assignments.count && summary.toArbitration == 1)
      // Re-importing changes nothing.
      let again = try await desk.importMarks(
        path: dir.file("marks.csv"), examId: "E1", audit: WorkflowFixture.audit("marking import"))
      #expect(again.imported == 0)

      let queue = try await desk.arbitrationQueue(examId: "E1")
      #expect(queue.map(\.answerId) == [c2Open])
      let c2Raters = Set(assignments.filter { $0.recordingId == c2Open }.map(\.raterId))
      // An arbiter from the candidate's school, or one of the two raters, is refused.
      await #expect(throws: ExamErrors.self) {
        _ = try await desk.arbitrate(
          examId: "E1", decisions: [.init(answerId: c2Open, raterId: "R2", points: 3, source: "t")],
          audit: WorkflowFixture.audit("arbitrate"))
      }
      let arbiter = try #require(["R1", "R3", "R4"].first { !c2Raters.contains($0) })
      #expect(
        try await desk.arbitrate(
          examId: "E1", decisions: [.init(answerId: c2Open, raterId: arbiter, points: 3, source: "t")],
          audit: WorkflowFixture.audit("arbitrate")) == 1)
      let final = try #require(try await f.database.finalMarks(examId: "E1").first { $0.recordingId == c2Open })
      #expect(final.points == 3.5 && final.method == "arbitrated: mean-of-closest" && final.markIds.count == 2)

      let status = try await desk.status(examId: "E1")
      #expect(status.final == status.answers && status.awaitingArbitration == 0)
      let results = try await ResultFinaliser(store: f.database).compute(
        examId: "E1", finalisedAt: "2026-06-20T00:00:00Z")
      #expect(results.map(\.candidateId) == ["C1", "C2"])
      let c1 = results[0]
      #expect(c1.listening == 1 && c1.sectionScores["L"] == 1)
      #expect(c1.sectionScores["O"] == 3.25)
      #expect(abs(c1.total - (c1.listening + c1.speaking)) < 1e-9)
      #expect(results[1].sectionScores["O"] == 3.5)
      #expect(c1.sittingDate == "2026-06-14")
    }
  }

  @Test(arguments: TestBackend.all) func importRejectsBadRowsAndStoresNothing(backend: TestBackend) async throws {
    try await backend.withMarkingStore { (store: any MarkingStore) async throws in
      let f = try await WorkflowFixture(database: store)
      _ = try await f.runner().run(
        examId: "E1", progress: { _, _ in }, audit: { _ in WorkflowFixture.audit("score run") })
      let desk = MarkingDesk(store: f.database, contentStore: f.store)
      _ = try await desk.plan(
        examId: "E1", raters: [Rater(id: "R2", name: "B", school: "S3"), Rater(id: "R3", name: "C", school: "S4")],
        audit: WorkflowFixture.audit("marking export"))
      let a = try #require(try await f.database.assignments(examId: "E1").first)
      let dir = TemporaryDirectory()
      defer { dir.remove() }
      let text =
        "answer_id,rater_id,points\n\(a.recordingId),\(a.raterId),2\n\(a.recordingId),NOBODY,2\n999,\(a.raterId),1\n\(a.recordingId),\(a.raterId == "R2" ? "R3" : "R2"),99\n"
      try text.write(toFile: dir.file("bad.csv"), atomically: true, encoding: .utf8)
      do {
        _ = try await desk.importMarks(
          path: dir.file("bad.csv"), examId: "E1", audit: WorkflowFixture.audit("marking import"))
        Issue.record("accepted bad marks")
      } catch let errors as ExamErrors {
        #expect(errors.errors.count == 3)
        #expect(errors.errors.allSatisfy { $0.code == .invalidInput })
      }
      #expect(try await f.database.marks(examId: "E1").allSatisfy { $0.kind == .machine })
    }
  }
}
