import ExamCore
import ExamStorage
import SpeakerEmbedding

/// One candidate's voice-change scores, kept (without the embeddings) until the whole sitting is scored and its
/// threshold is known. Answers are named by their index in the sitting's recordings.
public struct CandidateVoiceScores: Sendable {
  public var candidate: String
  /// The compared answers (indexes into the sitting's recordings) and their scores, in the same order.
  public var compared: [Int]
  public var scores: [VoiceChangeRule.Score]
  /// Answers not compared (too little speech), with the reason.
  public var skipped: [(index: Int, reason: VoiceSkipReason)]

  /// The candidate's lowest score: the one the sitting's threshold is modelled on.
  public var lowest: Double { scores.map(\.normalised).min() ?? .infinity }
}

/// The threshold a sitting's voice-change scores are judged by.
public enum VoiceThreshold: Sendable, Equatable {
  /// Set from the sitting's own scores for a stated false-alarm rate.
  case sitting(SittingVoiceThreshold)
  /// `RecordingRuleSettings.minVoiceScore`: a small sitting, or no rate set.
  case fixed(Double)

  public var value: Double {
    switch self {
    case .sitting(let t): t.threshold
    case .fixed(let t): t
    }
  }

  /// How it was set, for an incident's comment.
  public var description: String {
    switch self {
    case .sitting(let t):
      "the sitting's threshold \(NumberText.fixed(t.threshold, decimals: 2)), set for "
        + "\(NumberText.fixed(t.falseAlarmRate * 100, decimals: 1)) % false alarms from \(t.candidates) candidates' "
        + "lowest scores (median \(NumberText.fixed(t.median, decimals: 2)), spread "
        + "\(NumberText.fixed(t.spread, decimals: 2)))"
    case .fixed(let t): "the fixed threshold \(NumberText.fixed(t, decimals: 2))"
    }
  }
}

extension RecordingRules {
  /// A different voice within one candidate's answers: `VoiceChangeRule`'s scores (leave-one-out, s-normalised
  /// against a cohort of other candidates' answers in `recordings`) under the sitting's threshold
  /// (`voiceThreshold`). Answers without an embedding (too little speech) are never compared; an incident names
  /// them with the reason.
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
    let scored = candidates.compactMap { candidate -> CandidateVoiceScores? in
      let indexes = byCandidate[candidate]!
      guard indexes.count >= 2 else { return nil }
      return voiceScores(
        candidate: candidate, compared: indexes, embeddings: indexes.map { voices[$0].embedding! },
        cohort: limited.filter { $0.0 != candidate }.map(\.1),
        skipped: (skipped[candidate] ?? []).map { ($0, voices[$0].skipped!) })
    }
    return voiceIncidents(examId: examId, recordings: recordings, scored: scored)
  }

  /// One candidate's scores against `cohort` (other candidates' answers).
  public func voiceScores(
    candidate: String, compared: [Int], embeddings: [VoiceEmbedding], cohort: [VoiceEmbedding],
    skipped: [(index: Int, reason: VoiceSkipReason)] = []
  ) -> CandidateVoiceScores {
    CandidateVoiceScores(
      candidate: candidate, compared: compared,
      scores: VoiceChangeRule(cohortTop: settings.voiceCohortTop).scores(embeddings, cohort: cohort),
      skipped: skipped)
  }

  /// The threshold for a sitting's scores: `SittingVoiceThreshold` for `settings.voiceFalseAlarmRate` when the
  /// sitting has enough candidates, else the fixed `settings.minVoiceScore`.
  public func voiceThreshold(_ scored: [CandidateVoiceScores]) -> VoiceThreshold {
    guard let rate = settings.voiceFalseAlarmRate,
      let t = SittingVoiceThreshold(lowestScores: scored.map(\.lowest), falseAlarmRate: rate)
    else { return .fixed(settings.minVoiceScore) }
    return .sitting(t)
  }

  /// The incidents of a whole sitting's scores (`recordings`: the sitting's answers the indexes point into).
  public func voiceIncidents(examId: String, recordings: [StoredRecording], scored: [CandidateVoiceScores])
    -> [Incident]
  {
    let threshold = voiceThreshold(scored)
    return scored.flatMap { voiceIncidents(examId: examId, recordings: recordings, $0, threshold: threshold) }
  }

  func voiceIncidents(
    examId: String, recordings: [StoredRecording], _ s: CandidateVoiceScores, threshold: VoiceThreshold
  ) -> [Incident] {
    let compared = s.compared.map { recordings[$0] }
    let scoreEvidence = zip(compared, s.scores).map { r, score in
      "voice-score:\(r.itemId)=\(NumberText.fixed(score.normalised, decimals: 2)) (cosine \(NumberText.fixed(score.cosine, decimals: 2)))"
    }
    let notCompared = s.skipped.map { "\(recordings[$0.index].itemId) (\($0.reason))" }
    let skippedNote = notCompared.isEmpty ? "" : "; not compared: " + notCompared.joined(separator: ", ")
    return zip(compared, s.scores).filter { $0.1.normalised < threshold.value }.map { r, score in
      incident(
        examId: examId, r, rule: "voice-change", .examinee, "impersonation", .high,
        comment:
          "the voice in \(s.candidate)'s answer to \(r.itemId) is unlike their other \(compared.count - 1) answers "
          + "(score \(NumberText.fixed(score.normalised, decimals: 2)) under \(threshold.description), "
          + "cosine \(NumberText.fixed(score.cosine, decimals: 2)))" + skippedNote,
        evidence: ["recording:\(r.id ?? 0)"]
          + compared.filter { $0.itemId != r.itemId }.map { "recording:\($0.id ?? 0)" } + scoreEvidence,
        key: "voice-change:\(s.candidate):\(r.itemId)",
        suggestion: "listen to the answers; check the candidate's identity")
    }
  }
}
