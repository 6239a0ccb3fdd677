import ExamCore
import ExamStorage
import SpeakerEmbedding
import SpeechDSP

/// Thresholds of the recording rules. Silence, clipping and zero runs are SpeechDSP's `LevelMeter` definitions,
/// the same that ingest flags and the scorer measures.
public struct RecordingRuleSettings: Sendable, Codable, Equatable {
  /// A noise floor above this (dBFS) is a noisy room.
  public var maxNoiseFloorDb = -30.0
  /// An answer whose voice-change score (`VoiceChangeRule`: s-normalised leave-one-out cosine) is under this is
  /// another voice. Chosen on speechocean762's tune speakers for a stated false-alarm rate (docs/accuracy.md).
  public var minVoiceScore = 1.5
  /// Other candidates' answers in the cohort of the s-norm (spread over the sitting).
  public var voiceCohortSize = VoiceChangeRule.defaultCohortSize
  /// Closest cohort answers that set each side's mean and spread.
  public var voiceCohortTop = VoiceChangeRule().cohortTop
  public init() {}
}

/// The rules over recordings: no response, device faults, noisy room, the same audio for two candidates,
/// and a different voice within one candidate's answers.
public struct RecordingRules: Sendable {
  public var settings = RecordingRuleSettings()
  public var finder = DuplicateFinder()

  public init() {}

  func isClean(_ l: LevelMeasurement) -> Bool {
    !l.isSilent && !l.isClipped && l.noiseFloorDb <= settings.maxNoiseFloorDb
  }

  /// Incidents for `recordings` (with ids) and their analyses (same order): every rule, duplicates searched
  /// across all of them.
  public func incidents(examId: String, recordings: [StoredRecording], analyses: [RecordingAnalysis]) -> [Incident] {
    precondition(recordings.count == analyses.count)
    return levelIncidents(examId: examId, recordings: recordings, analyses: analyses)
      + duplicateIncidents(examId: examId, recordings: recordings, analyses: analyses)
      + voiceIncidents(examId: examId, recordings: recordings, voices: analyses.map(voice))
  }

  /// What the voice-change rule keeps of an analysis: the embedding (or why there is none), and whether the level
  /// is sound enough to compare it (no silence, clipping or noisy room: those change a voice's sound).
  public struct Voice: Sendable {
    public var embedding: VoiceEmbedding?
    public var skipped: VoiceSkipReason?
    public var comparable: Bool

    public init(embedding: VoiceEmbedding?, skipped: VoiceSkipReason?, comparable: Bool) {
      self.embedding = embedding
      self.skipped = skipped
      self.comparable = comparable
    }
  }

  public func voice(_ a: RecordingAnalysis) -> Voice {
    Voice(embedding: a.voice, skipped: a.voiceSkipped, comparable: a.voice != nil && isClean(a.levels))
  }

  /// An incident about recording `r`; its key names the rule, the audio, the candidate and the item unless given.
  func incident(
    examId: String, _ r: StoredRecording, rule: String, _ category: Incident.Category, _ subcategory: String,
    _ severity: Incident.Severity, comment: String, evidence: [String]? = nil, key: String? = nil,
    suggestion: String? = nil
  )
    -> Incident
  {
    Incident(
      examId: examId, key: key ?? "\(rule):\(r.storedSha256.prefix(16)):\(r.candidateId):\(r.itemId)",
      rule: rule, category: category, subcategory: subcategory, severity: severity, sessionId: r.sessionId,
      centreId: r.centreId, roomId: nil, seatId: r.seatId, candidateId: r.candidateId,
      at: SeatEventParser.localSeconds(r.recordedAt),
      comment: comment, evidence: evidence ?? ["recording:\(r.id ?? 0)"], suggestion: suggestion)
  }

  /// No response, device faults and noisy rooms: one recording at a time.
  public func levelIncidents(examId: String, recordings: [StoredRecording], analyses: [RecordingAnalysis]) -> [Incident]
  {
    var out: [Incident] = []
    func add(
      _ r: StoredRecording, rule: String, _ category: Incident.Category, _ subcategory: String,
      _ severity: Incident.Severity,
      comment: String, suggestion: String? = nil
    ) {
      out.append(
        incident(
          examId: examId, r, rule: rule, category, subcategory, severity, comment: comment, suggestion: suggestion))
    }
    for (r, a) in zip(recordings, analyses) {
      let l = a.levels
      let what = "recording of \(r.candidateId) for item \(r.itemId)"
      if l.allZero {
        add(
          r, rule: "digital-zeros", .technical, "microphone", .high,
          comment:
            "\(what) is digital zeros for all \(String(format1: l.durationSeconds)) s: the input delivered nothing",
          suggestion: "check the headset and allow a re-take")
        continue
      }
      if l.isSilent {
        let how =
          l.activeFraction < LevelMeter.minimumActiveFraction
          ? "has sound in \(Int(l.activeFraction * 100))% of"
          : "has nothing above its steady noise floor (\(Int(l.noiseFloorDb)) dBFS) in"
        add(
          r, rule: "silence", .examinee, "no response", .medium,
          comment: "\(what) \(how) its \(String(format1: l.durationSeconds)) s: no response")
      }
      if l.isClipped {
        add(
          r, rule: "clipping", .technical, "microphone", .medium,
          comment: "\(what) clips: \(String(format1: l.clippedFraction * 100))% of samples at full scale",
          suggestion: "lower the input gain; mark with care")
      }
      if l.dropoutCount > 0 {
        add(
          r, rule: "dropouts", .technical, "microphone", .medium,
          comment:
            "\(what) has \(l.dropoutCount) dropout(s) of digital zeros, the longest \(Int(l.longestDropoutSeconds * 1000)) ms",
          suggestion: "check the machine's audio driver; mark with care")
      }
      if l.noiseFloorDb > settings.maxNoiseFloorDb {
        add(
          r, rule: "noisy-room", .environment, "noise", .low,
          comment: "\(what) has a noise floor of \(Int(l.noiseFloorDb)) dBFS (limit \(Int(settings.maxNoiseFloorDb)))")
      }
    }
    return out
  }

  /// The same audio for two candidates, among `recordings` (the scanner passes one item's at a time).
  public func duplicateIncidents(examId: String, recordings: [StoredRecording], analyses: [RecordingAnalysis])
    -> [Incident]
  {
    var out: [Incident] = []
    var groupOf: [String: Int] = [:]
    let groups = recordings.map { r in
      if let g = groupOf[r.candidateId] { return g }
      groupOf[r.candidateId] = groupOf.count
      return groupOf.count - 1
    }
    let usable = analyses.indices.filter { !analyses[$0].levels.isSilent }
    let matches = finder.matches(usable.map { analyses[$0].fingerprint }, groups: usable.map { groups[$0] })
    for m in matches {
      let a = recordings[usable[m.first]], b = recordings[usable[m.second]]
      out.append(
        incident(
          examId: examId, b, rule: "duplicate-recording", .examinee, "malpractice", .high,
          comment:
            "recording of \(b.candidateId) for item \(b.itemId) is the same audio as \(a.candidateId)'s for item \(a.itemId) (bit error rate \(String(format1: m.bitErrorRate * 100))%)",
          evidence: ["recording:\(a.id ?? 0)", "recording:\(b.id ?? 0)"],
          key:
            "duplicate-recording:\(min(a.storedSha256, b.storedSha256).prefix(16)):\(max(a.storedSha256, b.storedSha256).prefix(16))",
          suggestion: "compare both answers; check seating and the upload batch"))
    }
    return out
  }

  /// A different voice within one candidate's answers: `VoiceChangeRule`'s scores (leave-one-out, s-normalised
  /// against a cohort of other candidates' answers in `recordings`) under `settings.minVoiceScore`. Answers without
  /// an embedding (too little speech) are never compared; an incident names them with the reason.
  public func voiceIncidents(examId: String, recordings: [StoredRecording], voices: [Voice]) -> [Incident] {
    precondition(recordings.count == voices.count)
    var byCandidate: [String: [Int]] = [:]
    var skipped: [String: [Int]] = [:]
    for (i, v) in voices.enumerated() {
      if v.comparable, v.embedding != nil {
        byCandidate[recordings[i].candidateId, default: []].append(i)
      } else if v.skipped != nil {
        skipped[recordings[i].candidateId, default: []].append(i)
      }
    }
    let candidates = byCandidate.keys.sorted()
    // The cohort: other candidates' answers, spread over the sitting (sorted by candidate, then item).
    let pool = candidates.flatMap { c in byCandidate[c]!.map { (c, voices[$0].embedding!) } }
    let picked = VoiceChangeRule.cohortIndexes(count: pool.count, limit: settings.voiceCohortSize)
    let limited = picked.map { pool[$0] }
    var out: [Incident] = []
    for candidate in candidates {
      let indexes = byCandidate[candidate]!
      guard indexes.count >= 2 else { continue }
      let cohort = limited.filter { $0.0 != candidate }.map(\.1)
      out += voiceIncidents(
        examId: examId, candidate: candidate, recordings: indexes.map { recordings[$0] },
        embeddings: indexes.map { voices[$0].embedding! }, cohort: cohort,
        skipped: (skipped[candidate] ?? []).map { (recordings[$0], voices[$0].skipped!) })
    }
    return out
  }

  /// The voice-change incidents of one candidate's answers against `cohort` (other candidates' answers).
  public func voiceIncidents(
    examId: String, candidate: String, recordings: [StoredRecording], embeddings: [VoiceEmbedding],
    cohort: [VoiceEmbedding], skipped: [(StoredRecording, VoiceSkipReason)] = []
  ) -> [Incident] {
    let scores = VoiceChangeRule(cohortTop: settings.voiceCohortTop).scores(embeddings, cohort: cohort)
    let scoreEvidence = zip(recordings, scores).map { r, s in
      "voice-score:\(r.itemId)=\(NumberText.fixed(s.normalised, decimals: 2)) (cosine \(NumberText.fixed(s.cosine, decimals: 2)))"
    }
    let skippedNote =
      skipped.isEmpty ? "" : "; not compared: " + skipped.map { "\($0.0.itemId) (\($0.1))" }.joined(separator: ", ")
    return zip(recordings, scores).filter { $0.1.normalised < settings.minVoiceScore }.map { r, s in
      incident(
        examId: examId, r, rule: "voice-change", .examinee, "impersonation", .high,
        comment:
          "the voice in \(candidate)'s answer to \(r.itemId) is unlike their other \(recordings.count - 1) answers "
          + "(score \(NumberText.fixed(s.normalised, decimals: 2)) under \(NumberText.fixed(settings.minVoiceScore, decimals: 2)), cosine \(NumberText.fixed(s.cosine, decimals: 2)))"
          + skippedNote,
        evidence: ["recording:\(r.id ?? 0)"]
          + recordings.filter { $0.itemId != r.itemId }.map { "recording:\($0.id ?? 0)" } + scoreEvidence,
        key: "voice-change:\(candidate):\(r.itemId)",
        suggestion: "listen to the answers; check the candidate's identity")
    }
  }
}
