import ExamCore
import ExamStorage
import Proctoring
import SpeakerEmbedding
import Testing
import _ExamTestSupport

/// The voice-change rule on constructed embeddings: leave-one-out, the s-norm cohort, the threshold, the evidence.
@Suite struct VoiceChangeRuleTests {
  /// A unit vector near `centre` (a "speaker"), pushed by seeded noise of size `spread`.
  static func voice(_ centre: [Float], spread: Float, rng: inout SplitMix64) -> VoiceEmbedding {
    let v = centre.map { $0 + Float.random(in: -spread...spread, using: &rng) }
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return VoiceEmbedding(values: v.map { $0 / norm }, speechSeconds: 3, partials: 2)
  }

  static func speaker(_ seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return (0..<32).map { _ in Float.random(in: 0...1, using: &rng) }
  }

  static func recording(_ candidate: String, _ item: Int) -> StoredRecording {
    StoredRecording(
      id: Int64(item), examId: "E", candidateId: candidate, itemId: "S\(item)", originalSha256: "\(candidate)\(item)",
      originalName: "", storedSha256: "\(candidate)\(item)", durationSeconds: 3, originalSampleRate: 16_000,
      originalChannels: 1,
      originalFormat: "FLAC", centreId: "T", recordedAt: "2026-06-14T09:00:00Z", ingestedAt: "", batchId: "b")
  }

  @Test func flagsOnlyTheAnswerInAnotherVoiceAndShowsTheScores() {
    var rng = SplitMix64(seed: 16)
    var recordings: [StoredRecording] = []
    var voices: [RecordingRules.Voice] = []
    for c in 1...20 {
      let me = Self.speaker(UInt64(c))
      for item in 1...6 {
        // C3's fourth answer is C17's voice; C5's second answer had too little speech.
        let centre = c == 3 && item == 4 ? Self.speaker(17) : me
        recordings.append(Self.recording("C\(c)", item))
        if c == 5 && item == 2 {
          voices.append(.init(embedding: nil, skipped: .tooLittleSpeech(seconds: 0.4, needed: 1), comparable: false))
        } else {
          voices.append(.init(embedding: Self.voice(centre, spread: 0.12, rng: &rng), skipped: nil, comparable: true))
        }
      }
    }
    let incidents = RecordingRules().voiceIncidents(examId: "E", recordings: recordings, voices: voices)
    #expect(incidents.map(\.key) == ["voice-change:C3:S4"], "\(incidents.map(\.comment))")
    let evidence = incidents.first?.evidence ?? []
    #expect(evidence.filter { $0.hasPrefix("voice-score:") }.count == 6)
    #expect(evidence.first == "recording:4")
  }

  /// 40 candidates: enough for the sitting's own threshold (`SittingVoiceThreshold`), which the incident names; the
  /// same sitting judged by a fixed threshold far above every genuine score flags everyone instead.
  @Test func aLargeSittingIsJudgedByItsOwnThreshold() throws {
    var rng = SplitMix64(seed: 40)
    var recordings: [StoredRecording] = []
    var voices: [RecordingRules.Voice] = []
    for c in 1...40 {
      for item in 1...6 {
        // C7's second answer is C30's voice.
        let centre = c == 7 && item == 2 ? Self.speaker(30) : Self.speaker(UInt64(c))
        recordings.append(Self.recording("C\(c)", item))
        voices.append(.init(embedding: Self.voice(centre, spread: 0.12, rng: &rng), skipped: nil, comparable: true))
      }
    }
    // At the default 1 % one of these 40 genuine candidates may well be flagged; at 0.1 % none should be.
    var rules = RecordingRules()
    rules.settings.voiceFalseAlarmRate = 0.001
    let incidents = rules.voiceIncidents(examId: "E", recordings: recordings, voices: voices)
    #expect(incidents.map(\.key) == ["voice-change:C7:S2"], "\(incidents.map(\.comment))")
    let comment = try #require(incidents.first?.comment)
    #expect(comment.contains("the sitting's threshold") && comment.contains("0.1 % false alarms from 40 candidates"))
    #expect(RecordingRules().voiceIncidents(examId: "E", recordings: recordings, voices: voices).count <= 2)
    var fixed = RecordingRules()
    fixed.settings.voiceFalseAlarmRate = nil
    fixed.settings.minVoiceScore = 100
    let all = fixed.voiceIncidents(examId: "E", recordings: recordings, voices: voices)
    #expect(all.count == recordings.count)
    #expect(all.first?.comment.contains("the fixed threshold 100.00") == true)
  }

  @Test func aSkippedAnswerIsNamedNeverCompared() {
    var rng = SplitMix64(seed: 5)
    let me = Self.speaker(1)
    let embeddings = [
      Self.voice(me, spread: 0.1, rng: &rng), Self.voice(me, spread: 0.1, rng: &rng),
      Self.voice(Self.speaker(2), spread: 0.1, rng: &rng),
    ]
    let cohort = (3...30).map { Self.voice(Self.speaker(UInt64($0)), spread: 0.1, rng: &rng) }
    // One candidate alone (answers 0–2 compared, 3 skipped): judged by the fixed threshold.
    let rules = RecordingRules()
    let scored = rules.voiceScores(
      candidate: "C1", compared: [0, 1, 2], embeddings: embeddings, cohort: cohort,
      skipped: [(3, .tooLittleSpeech(seconds: 0.5, needed: 1))])
    let incidents = rules.voiceIncidents(
      examId: "E", recordings: (1...4).map { Self.recording("C1", $0) }, scored: [scored])
    #expect(incidents.map(\.key) == ["voice-change:C1:S3"])
    #expect(
      incidents.first?.comment.contains("not compared: S4 (0.5 s of speech, under the 1.0 s a voice embedding needs)")
        == true)
  }

  @Test func scoresAreHighForOneVoiceAndLowForAnother() {
    var rng = SplitMix64(seed: 7)
    let cohort = (10...60).map { Self.voice(Self.speaker(UInt64($0)), spread: 0.1, rng: &rng) }
    let same = (0..<5).map { _ in Self.voice(Self.speaker(1), spread: 0.1, rng: &rng) }
    let scores = VoiceChangeRule().scores(same + [Self.voice(Self.speaker(2), spread: 0.1, rng: &rng)], cohort: cohort)
    #expect(scores.count == 6)
    #expect(scores.prefix(5).allSatisfy { $0.normalised > scores[5].normalised + 1 })
    #expect(VoiceChangeRule().scores([same[0]], cohort: cohort).isEmpty)
  }
}
