import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Proctoring
import SpeechDSP
import Testing
import _ExamTestSupport

@testable import Ingest
@testable import Scoring

/// Ingest's flags, the scorer's level features and proctoring's incidents on the same three answers, each made to
/// sit where the modules' old rules disagreed: they pass only while all three use SpeechDSP's `LevelMeter`.
@Suite struct OneLevelDefinitionTests {
  /// C1: clips in isolated samples at ±0.995 on its loud stretches (a few per thousand; no flat run, nothing at
  /// 16-bit full scale).
  /// C2: speech with a 30 ms dropout (shorter than the 100 ms ingest once needed, longer than 20 ms).
  /// C3: a steady hum at −23 dBFS and nothing else (every frame louder than −40 dBFS, yet no answer).
  static func answers() -> [(candidate: String, file: String, samples: [Float])] {
    let clipped = SyntheticSpeech.voice(seed: 11).speak(seconds: 4, seed: 1).enumerated().map { i, x in
      i % 3 == 0 && abs(x) > 0.12 ? (x > 0 ? Float(0.995) : -0.995) : x
    }
    var gap = SyntheticSpeech.voice(seed: 12).speak(seconds: 4, seed: 2)
    let loud = gap.indices.first { $0 > 16_000 && abs(gap[$0]) > 0.3 }!
    for i in (loud + 1)..<(loud + 481) { gap[i] = 0 }
    return [
      ("C1", "clipped.wav", clipped), ("C2", "gap.wav", gap),
      ("C3", "hum.wav", TestSignal.sine(hertz: 150, seconds: 4, amplitude: 0.1)),
    ]
  }

  @Test func ingestScoringAndProctoringAgreeOnClippingZeroRunsAndSilence() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var b = BatchBuilder(f.dir.file("batches/T1"))
    for a in Self.answers() { try b.add(a.candidate, "SA1", file: a.file, samples: a.samples) }
    try b.write()
    let report = try await f.ingest(f.request(b.folder))
    #expect(report.refusedCount == 0 && report.added.count == 3)

    // Ingest: the flags it stored.
    let flags = Dictionary(uniqueKeysWithValues: report.added.map { ($0.file, Set($0.flags)) })
    #expect(flags["clipped.wav"] == ["clipped"], "\(LevelMeter.measure(Self.answers()[0].samples, sampleRate: 16_000))")
    #expect(flags["gap.wav"] == ["zero-run"])
    #expect(flags["hum.wav"] == ["silent"])

    // Scoring: the level features of the stored recordings, and the confidence rule on clipping.
    let stored = try f.database.recordings(examId: IngestFixture.exam().id)
    func path(_ candidate: String) throws -> String {
      let r = try #require(stored.first { $0.candidateId == candidate })
      return f.store.path(sha256: r.storedSha256, ext: "flac")
    }
    let extractor = SpeechDSPExtractor()
    let typical = ModelPrediction(
      aspects: [:], intervalHalfWidth: [:], relativeLeverage: 1, missingInputs: [], featureSet: "audio")
    let clipped = try extractor.features(audioPath: try path("C1"), referencePath: nil)
    #expect((clipped["clipping_ratio"] ?? 0) > LevelMeter.clippedFractionLimit)
    let judgement = ConfidenceEstimator().judge(typical, features: clipped)
    #expect(judgement.reasons.contains { $0.hasPrefix("clipped") }, "\(judgement.reasons)")
    let gap = try extractor.features(audioPath: try path("C2"), referencePath: nil)
    #expect(gap["zero_run_count"] == 1 && (gap["clipping_ratio"] ?? 1) == 0)

    // Proctoring: the incidents of a scan over the same store.
    let audit = AuditEntry(at: "", operator: "test", command: "proctor scan", arguments: "", summary: "")
    let scan = try await ProctorScanner(store: f.database, examId: IngestFixture.exam().id)
      .scanRecordings(contentStore: f.store, raisedBy: "test", audit: audit)
    let rules = Set(scan.added.filter { $0.rule != "noisy-room" }.map { "\($0.rule) \($0.candidateId ?? "")" })
    #expect(rules == ["clipping C1", "dropouts C2", "silence C3"], "\(scan.added.map(\.comment))")
    // What ingest stored is read: the answer it flagged silent was measured for its levels only.
    func cached(_ candidate: String) throws -> RecordingAnalysis {
      let r = try #require(stored.first { $0.candidateId == candidate })
      let json = try #require(
        try f.database.audioAnalysis(storedSha256: r.storedSha256, version: RecordingAnalysis.version))
      return try JSONDecoder().decode(RecordingAnalysis.self, from: Data(json.utf8))
    }
    let hum = try cached("C3")
    #expect(hum.levels.isSilent && hum.fingerprint.frames.isEmpty && hum.voice == nil)
    #expect(try !cached("C2").fingerprint.frames.isEmpty)
  }
}
