import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Scoring
import Testing
import _ExamTestSupport

/// Scoring on real learners' recordings (a small subset of ../shared/data/speechocean762, so the suite stays fast).
@Suite(.enabled(if: SharedData.isAvailable)) struct RealDataTests {
  let scores = SharedData.path("speechocean762/scores.csv")
  let modelPath = SharedData.repositoryRoot + "/ExamPacks/models/speechocean-ridge.json"

  @Test func committedModelScoresRealAnswersInLineWithTheExperts() async throws {
    // Every 20th answer: 50 answers from 50 speakers, so the ratings span the scale (the first rows come from a
    // few fluent speakers only).
    let all = try ScoringManifest.load(path: scores)
    let entries = stride(from: 0, to: all.count, by: 20).map { all[$0] }
    let ratings = try HumanRatings.load(path: scores)
    let model = try ScoringModel.load(path: modelPath)
    let (samples, failures) = await ManifestFeatures.measure(entries, extractor: SpeechDSPExtractor(), jobs: 2)
    #expect(failures.isEmpty)
    var machine: [Double] = [], human: [Double] = []
    for s in samples {
      let p = try #require(model.predict(features: s.features, text: s.text))
      #expect(p.featureSet == "with-text")
      machine.append(p.aspects["fluency"] ?? 0)
      human.append(ratings.mean(s.id, "fluency") ?? 0)
    }
    #expect(AgreementMetrics.pearson(machine, human) > 0.5)
  }

  @Test func scoreRunAnalysesStoredRecordings() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let database = try ExamDatabase.inMemory()
    let store = ContentStore(root: dir.file("store"))
    let entries = Array(try ScoringManifest.load(path: scores).prefix(3))
    let items = entries.enumerated().map { i, e in
      ItemDefinition(
        id: "R\(i)", type: .readSentence, points: 2, referenceText: e.text,
        rubric: Rubric(
          criteria: [.init(name: "pronunciation", points: 1), .init(name: "fluency", points: 1)], tolerance: 0.5))
    }
    let exam = ExamDefinition(
      id: "E1", title: "Real",
      sections: [
        SectionDefinition(id: "R", title: "Read aloud", part: .speaking, points: 6, items: items)
      ], packSha256: String(repeating: "b", count: 64))
    _ = try database.importExam(exam, audit: WorkflowFixture.audit("pack"))
    _ = try database.importCandidates([SampleData.candidate(1)], audit: WorkflowFixture.audit("candidates"))
    var recordings: [StoredRecording] = []
    for (i, e) in entries.enumerated() {
      let sha = try store.put(fileAtPath: e.audioPath, ext: "flac")
      recordings.append(
        StoredRecording(
          examId: "E1", candidateId: "C1", itemId: "R\(i)", originalSha256: sha,
          originalName: e.id + ".flac", storedSha256: sha, durationSeconds: 3, originalSampleRate: 16000,
          originalChannels: 1,
          originalFormat: "FLAC/PCM_16", centreId: "T1", recordedAt: "2026-06-14T09:00:00Z",
          ingestedAt: "2026-06-14T10:00:00Z",
          batchId: "b"))
    }
    _ = try database.insertAnswers(recordings: recordings, listening: [], audit: WorkflowFixture.audit("ingest"))
    let runner = StoreScoringRun(
      store: database, contentStore: store,
      scorer: AnswerScorer(model: try ScoringModel.load(path: modelPath)), extractor: SpeechDSPExtractor(), jobs: 2)
    let summary = try await runner.run(
      examId: "E1", progress: { _, _ in }, audit: { _ in WorkflowFixture.audit("score run") })
    #expect(summary.scored == 3 && summary.failed == 0)
    for s in try database.machineScores(examId: "E1") {
      #expect((s.features["duration_s"] ?? 0) > 0.5)
      #expect((s.points ?? 0) > 0.5 && (s.points ?? 9) <= 2)
      #expect(s.aspects["fluency"] != nil)
    }
    #expect(try database.finalMarks(examId: "E1").count == 3 - summary.toHumans)
  }

  @Test func batchCommandWritesFeaturesAndScores() async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let manifest = dir.file("m.csv")
    let rows = try ScoringManifest.load(path: scores).prefix(2).map { "\($0.id),\($0.audioPath),\($0.text ?? "")" }
    try ("id,audio,text\n" + rows.joined(separator: "\n") + "\n").write(
      toFile: manifest, atomically: true, encoding: .utf8)
    var command = try ExamCommand.parseAsRoot([
      "score", "batch", "--manifest", manifest, "--out", dir.file("out.csv"),
      "--model", modelPath, "--quiet",
    ])
    if var c = command as? any AsyncParsableCommand { try await c.run() } else { try command.run() }
    let table = try CSVTable(
      parsing: try String(contentsOfFile: dir.file("out.csv"), encoding: .utf8), source: "out.csv")
    #expect(table.rows.count == 2)
    for column in ["id", "duration_s", "speech_rate_syl_s", "accuracy", "fluency", "prosodic", "completeness", "total"]
    {
      #expect(table.header.contains(column))
    }
    #expect(Double(table.value(table.rows[0], "fluency")).map { (0...10).contains($0) } == true)
  }
}
