import ExamCore
import ExamStorage
import Foundation
import Scoring
import Testing
import _ExamTestSupport

/// Seeds a store for the `exam score run` benchmark (docs/benchmarks.md): runs only when
/// EXAMKIT_SEED_SCORING_BENCH names the store file to create. 1,000 read-aloud items (speechocean762's sentences)
/// answered by two candidates each with the learner's recording: 2,000 answers.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["EXAMKIT_SEED_SCORING_BENCH"] != nil && SharedData.isAvailable))
struct ScoringBenchmarkSeed {
  @Test func seedsTwoThousandAnswers() throws {
    let path = try #require(ProcessInfo.processInfo.environment["EXAMKIT_SEED_SCORING_BENCH"])
    let database = try ExamDatabase(path: path)
    let store = ContentStore(root: try #require(database.contentStoreDirectory))
    let entries = try ScoringManifest.load(path: SharedData.path("speechocean762/scores.csv"))
    let items = entries.enumerated().map { i, e in
      ItemDefinition(
        id: "R\(i)", type: .readSentence, points: 2, referenceText: e.text,
        rubric: Rubric(
          criteria: [.init(name: "pronunciation", points: 1), .init(name: "fluency", points: 1)], tolerance: 0.5))
    }
    let exam = ExamDefinition(
      id: "BENCH", title: "Scoring benchmark",
      sections: [
        SectionDefinition(id: "R", title: "Read aloud", part: .speaking, points: Double(2 * items.count), items: items)
      ], packSha256: String(repeating: "c", count: 64))
    _ = try database.importExam(exam, audit: WorkflowFixture.audit("bench seed"))
    _ = try database.importCandidates(
      [SampleData.candidate(1, school: "S1"), SampleData.candidate(2, school: "S2")],
      audit: WorkflowFixture.audit("bench seed"))
    var recordings: [StoredRecording] = []
    for (i, e) in entries.enumerated() {
      let sha = try store.put(fileAtPath: e.audioPath, ext: "flac")
      for candidate in ["C1", "C2"] {
        recordings.append(
          StoredRecording(
            examId: "BENCH", candidateId: candidate, itemId: "R\(i)", originalSha256: sha,
            originalName: e.id + ".flac", storedSha256: sha, durationSeconds: 0, originalSampleRate: 16000,
            originalChannels: 1,
            originalFormat: "FLAC/PCM_16", centreId: "T1", recordedAt: "2026-06-14T09:00:00Z",
            ingestedAt: "2026-06-14T10:00:00Z", batchId: "bench"))
      }
    }
    let added = try database.insertAnswers(
      recordings: recordings, listening: [], audit: WorkflowFixture.audit("bench seed"))
    #expect(added.recordings.count == 2 * entries.count)
  }
}
