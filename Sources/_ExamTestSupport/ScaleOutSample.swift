import AudioIO
import ExamCore
import ExamStorage

#if canImport(Glibc)
  import Glibc
#endif

/// A sitting to score on many workers: `answers` candidates' synthetic spoken answers (FLAC, 1.5–3 s) to the
/// sample exam's read-aloud item, in SQLite stores at `storePaths` (all in one folder, so they share its
/// `store/`), each holding the same answers under the same ids. Used by the scale-out tests and by
/// `queue-bench make-sitting` for the scoring benchmark.
public enum ScaleOutSample {
  public static func make(storePaths: [String], answers: Int) throws {
    guard let first = storePaths.first else { return }
    let folder = AtomicFile.parentOf(first).isEmpty ? "." : AtomicFile.parentOf(first)
    let store = ContentStore(root: folder + "/store")
    var recordings: [StoredRecording] = []
    for n in 1...answers {
      let flac = folder + "/answer-\(n).flac"
      let speech = SyntheticSpeech.voice(seed: UInt64(n)).speak(seconds: 1.5 + Double(n % 4) * 0.5, seed: UInt64(n))
      try writeMono(speech, sampleRate: 16_000, to: flac, encoding: .flac16)
      let sha = try store.put(fileAtPath: flac, ext: "flac")
      unlink(flac)
      recordings.append(
        StoredRecording(
          examId: "E1", candidateId: "C\(n)", itemId: "SA1", originalSha256: sha,
          originalName: "SA1.flac", storedSha256: sha, durationSeconds: 2, originalSampleRate: 16_000,
          originalChannels: 1,
          originalFormat: "FLAC/PCM_16", centreId: "T1", recordedAt: "2026-06-14T09:00:00Z",
          ingestedAt: "2026-06-14T11:00:00Z", batchId: "b1"))
    }
    let audit = AuditEntry(
      at: "2026-06-14T12:00:00Z", operator: "sample", command: "scale-out sample", arguments: "", summary: "")
    for path in storePaths {
      let database = try ExamDatabase(path: path)
      _ = try database.importExam(SampleData.exam(), audit: audit)
      _ = try database.importCandidates((1...answers).map { SampleData.candidate($0) }, audit: audit)
      _ = try database.insertAnswers(recordings: recordings, listening: [], audit: audit)
    }
  }
}
