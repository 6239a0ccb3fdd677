import ExamCore
import ExamStorage
import SpeechDSP

/// Thresholds of the recording rules. Silence, clipping and zero runs are SpeechDSP's `LevelMeter` definitions,
/// the same that ingest flags and the scorer measures.
public struct RecordingRuleSettings: Sendable, Codable, Equatable {
  /// A noise floor above this (dBFS) is a noisy room.
  public var maxNoiseFloorDb = -30.0
  /// A voice further than this (SpeakerProfile.distance) from the candidate's usual voice is another voice.
  /// Calibrated on speechocean762's tune speakers for SpeechDSP's profile (docs/accuracy.md).
  public var maxVoiceDistance = 2.75
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

  /// What the voice-change rule keeps of an analysis: the profile, and whether the level is sound enough to
  /// compare it (no silence, clipping, digital zeros or noisy room: those change a profile as much as a voice).
  public struct Voice: Sendable {
    public var profile: SpeakerProfile?
    public var comparable: Bool
  }

  public func voice(_ a: RecordingAnalysis) -> Voice { Voice(profile: a.profile, comparable: a.profile != nil && isClean(a.levels)) }

  /// An incident about recording `r`; its key names the rule, the audio, the candidate and the item unless given.
  func incident(examId: String, _ r: StoredRecording, rule: String, _ category: Incident.Category, _ subcategory: String,
    _ severity: Incident.Severity, comment: String, evidence: [String]? = nil, key: String? = nil, suggestion: String? = nil)
    -> Incident
  {
    Incident(examId: examId, key: key ?? "\(rule):\(r.storedSha256.prefix(16)):\(r.candidateId):\(r.itemId)",
      rule: rule, category: category, subcategory: subcategory, severity: severity, sessionId: r.sessionId,
      centreId: r.centreId, roomId: nil, seatId: r.seatId, candidateId: r.candidateId, at: SeatEventParser.localSeconds(r.recordedAt),
      comment: comment, evidence: evidence ?? ["recording:\(r.id ?? 0)"], suggestion: suggestion)
  }

  /// No response, device faults and noisy rooms: one recording at a time.
  public func levelIncidents(examId: String, recordings: [StoredRecording], analyses: [RecordingAnalysis]) -> [Incident] {
    var out: [Incident] = []
    func add(_ r: StoredRecording, rule: String, _ category: Incident.Category, _ subcategory: String, _ severity: Incident.Severity,
      comment: String, suggestion: String? = nil)
    {
      out.append(incident(examId: examId, r, rule: rule, category, subcategory, severity, comment: comment, suggestion: suggestion))
    }
    for (r, a) in zip(recordings, analyses) {
      let l = a.levels
      let what = "recording of \(r.candidateId) for item \(r.itemId)"
      if l.allZero {
        add(r, rule: "digital-zeros", .technical, "microphone", .high,
          comment: "\(what) is digital zeros for all \(String(format1: l.durationSeconds)) s: the input delivered nothing",
          suggestion: "check the headset and allow a re-take")
        continue
      }
      if l.isSilent {
        let how = l.activeFraction < LevelMeter.minimumActiveFraction
          ? "has sound in \(Int(l.activeFraction * 100))% of"
          : "has nothing above its steady noise floor (\(Int(l.noiseFloorDb)) dBFS) in"
        add(r, rule: "silence", .examinee, "no response", .medium,
          comment: "\(what) \(how) its \(String(format1: l.durationSeconds)) s: no response")
      }
      if l.isClipped {
        add(r, rule: "clipping", .technical, "microphone", .medium,
          comment: "\(what) clips: \(String(format1: l.clippedFraction * 100))% of samples at full scale",
          suggestion: "lower the input gain; mark with care")
      }
      if l.dropoutCount > 0 {
        add(r, rule: "dropouts", .technical, "microphone", .medium,
          comment: "\(what) has \(l.dropoutCount) dropout(s) of digital zeros, the longest \(Int(l.longestDropoutSeconds * 1000)) ms",
          suggestion: "check the machine's audio driver; mark with care")
      }
      if l.noiseFloorDb > settings.maxNoiseFloorDb {
        add(r, rule: "noisy-room", .environment, "noise", .low,
          comment: "\(what) has a noise floor of \(Int(l.noiseFloorDb)) dBFS (limit \(Int(settings.maxNoiseFloorDb)))")
      }
    }
    return out
  }

  /// The same audio for two candidates, among `recordings` (the scanner passes one item's at a time).
  public func duplicateIncidents(examId: String, recordings: [StoredRecording], analyses: [RecordingAnalysis]) -> [Incident] {
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
      out.append(incident(examId: examId, b, rule: "duplicate-recording", .examinee, "malpractice", .high,
        comment: "recording of \(b.candidateId) for item \(b.itemId) is the same audio as \(a.candidateId)'s for item \(a.itemId) (bit error rate \(String(format1: m.bitErrorRate * 100))%)",
        evidence: ["recording:\(a.id ?? 0)", "recording:\(b.id ?? 0)"],
        key: "duplicate-recording:\(min(a.storedSha256, b.storedSha256).prefix(16)):\(max(a.storedSha256, b.storedSha256).prefix(16))",
        suggestion: "compare both answers; check seating and the upload batch"))
    }
    return out
  }

  /// A different voice within one candidate's answers.
  public func voiceIncidents(examId: String, recordings: [StoredRecording], voices: [Voice]) -> [Incident] {
    precondition(recordings.count == voices.count)
    var out: [Incident] = []
    func add(_ r: StoredRecording, comment: String, evidence: [String], key: String, suggestion: String) {
      out.append(incident(examId: examId, r, rule: "voice-change", .examinee, "impersonation", .high, comment: comment,
        evidence: evidence, key: key, suggestion: suggestion))
    }
    var byCandidate: [String: [Int]] = [:]
    for (i, v) in voices.enumerated() where v.comparable {
      byCandidate[recordings[i].candidateId, default: []].append(i)
    }
    for (candidate, indexes) in byCandidate.sorted(by: { $0.key < $1.key }) where indexes.count >= 2 {
      let profiles = indexes.map { voices[$0].profile! }
      if indexes.count == 2 {
        let d = profiles[0].distance(to: profiles[1])
        if d > settings.maxVoiceDistance {
          let r = recordings[indexes[1]]
          add(r, comment: "the voices in \(candidate)'s answers to \(recordings[indexes[0]].itemId) and \(r.itemId) differ (distance \(String(format1: d)))",
            evidence: indexes.map { "recording:\(recordings[$0].id ?? 0)" }, key: "voice-change:\(candidate):\(r.itemId)",
            suggestion: "listen to both answers; check the candidate's identity")
        }
        continue
      }
      // Three or more answers: an answer unlike every other one (while some others agree) is another voice;
      // when no two answers agree, the candidate is raised once.
      let anyAgree = profiles.indices.contains { j in
        profiles.indices.contains { m in m > j && profiles[j].distance(to: profiles[m]) <= settings.maxVoiceDistance }
      }
      if !anyAgree {
        let r = recordings[indexes[0]]
        add(r, comment: "no two of \(candidate)'s \(indexes.count) answers share a voice",
          evidence: indexes.map { "recording:\(recordings[$0].id ?? 0)" }, key: "voice-change:\(candidate):all",
          suggestion: "listen to the answers; check the candidate's identity")
        continue
      }
      for (k, i) in indexes.enumerated() {
        let nearest = profiles.indices.filter { $0 != k }.map { profiles[k].distance(to: profiles[$0]) }.min() ?? 0
        let othersAgree = profiles.indices.contains { j in
          j != k && profiles.indices.contains { m in m != k && m != j && profiles[j].distance(to: profiles[m]) <= settings.maxVoiceDistance }
        }
        if nearest > settings.maxVoiceDistance && othersAgree {
          let r = recordings[i]
          add(r, comment: "the voice in \(candidate)'s answer to \(r.itemId) is unlike their other \(indexes.count - 1) answers (nearest distance \(String(format1: nearest)))",
            evidence: ["recording:\(r.id ?? 0)"] + indexes.filter { $0 != i }.map { "recording:\(recordings[$0].id ?? 0)" },
            key: "voice-change:\(candidate):\(r.itemId)", suggestion: "listen to the answers; check the candidate's identity")
        }
      }
    }
    return out
  }
}
