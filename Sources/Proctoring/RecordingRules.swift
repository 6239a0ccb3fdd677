import ExamCore
import ExamStorage
import SpeakerEmbedding
import SpeechDSP

/// Thresholds of the recording rules. Silence, clipping and zero runs are SpeechDSP's `LevelMeter` definitions,
/// the same that ingest flags and the scorer measures.
public struct RecordingRuleSettings: Sendable, Codable, Equatable {
  /// A noise floor above this (dBFS) is a noisy room.
  public var maxNoiseFloorDb = -30.0
  /// The share of genuine candidates the voice-change rule may flag: the threshold on its scores
  /// (`VoiceChangeRule`: s-normalised leave-one-out cosine) is set from the sitting's own scores for this rate
  /// (`SittingVoiceThreshold`). Nil: always the fixed `minVoiceScore`.
  public var voiceFalseAlarmRate: Double? = 0.01
  /// The fixed voice-change threshold: for sittings of fewer than `SittingVoiceThreshold.minimumCandidates`
  /// candidates, and for all when `voiceFalseAlarmRate` is nil. An answer scoring under it is another voice.
  /// Chosen on speechocean762's tune speakers (docs/accuracy.md).
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
}
