import ExamCore
import ExamStorage
import Foundation
import SpeakerEmbedding
import SpeechDSP

/// Runs the proctoring rules over what the store holds and records the incidents (idempotently: a finding
/// already raised is not raised again).
public struct ProctorScanner: Sendable {
  public let store: any ProctoringStore
  public let examId: String
  public var settings = RuleSettings()
  public var recordingRules = RecordingRules()
  /// The speaker encoder of the voice-change rule (`SpeakerEncoderModel` from ExamPacks/models); nil: no voice
  /// embeddings, so no voice-change incidents.
  public var speakerEncoder: SpeakerEncoder?

  public init(store: any ProctoringStore, examId: String) {
    self.store = store
    self.examId = examId
  }

  /// What a scan found.
  public struct Outcome: Sendable {
    /// Findings, new or raised before.
    public var found = 0
    /// Incidents raised for the first time.
    public var added: [Incident] = []
    public var roomsScanned = 0
    public var recordingsScanned = 0
    /// Recordings analysed now (the rest came from the cache).
    public var recordingsAnalysed = 0
    public var unreadable: [ExamError] = []
  }

  /// Evaluates the event rules over every room with events, or only `rooms` (after an ingest that touched
  /// only those; the same candidate on two seats is then only seen within them). `audit` is written when
  /// something is new.
  public func scanEvents(rooms: Set<ProctoringRoom>? = nil, raisedBy: String, audit: AuditEntry) async throws
    -> Outcome
  {
    let context = try await SittingContext.load(store, examId: examId)
    var rules = EventRules(context: context, settings: settings)
    var outcome = Outcome()
    for room in try await store.seatEventRooms(examId: examId) where rooms?.contains(room) ?? true {
      rules.evaluate(room: room, events: try await store.seatEvents(examId: examId, room: room))
      outcome.roomsScanned += 1
    }
    let found = stamp(rules.finish(), raisedBy: raisedBy)
    outcome.found = found.count
    outcome.added = try await store.recordIncidents(found, audit: audit)
    return outcome
  }

  /// Analyses the current recordings of the exam (cached by digest; `jobs` at a time), evaluates the
  /// recording rules, and records new incidents with `audit`.
  ///
  /// One item at a time, so memory stays bounded at the scale of a city (800,000 answers of 30 s hold about
  /// 10 GB of fingerprint index together, one item's 100,000 about a tenth of it): level rules per recording, a
  /// copy of another candidate's answer searched among the answers to the same item. The voice-change rule
  /// compares a candidate's answers across items, so it runs afterwards, one candidate at a time
  /// (`voiceIncidentsByCandidate`): of each answer only one byte (what kind of voice it has) stays in memory
  /// during the item pass, never its embedding (1 KB: 800 MB for a city).
  /// - Parameter progress: called with the number of recordings done.
  public func scanRecordings(
    contentStore: ContentStore, jobs: Int = 2, raisedBy: String, audit: AuditEntry,
    progress: @Sendable (Int) -> Void = { _ in }
  ) async throws -> Outcome {
    var outcome = Outcome()
    let recordings = try await store.recordings(examId: examId, currentOnly: true)
    outcome.recordingsScanned = recordings.count
    let items = Dictionary(grouping: recordings.indices, by: { recordings[$0].itemId }).sorted { $0.key < $1.key }
    var voiceKinds = [VoiceKind](repeating: .none, count: recordings.count)
    var found: [Incident] = []
    var done = 0
    for (_, indexes) in items {
      let itemRecordings = indexes.map { recordings[$0] }
      let analyses = try await analyse(
        itemRecordings, contentStore: contentStore, jobs: jobs, outcome: &outcome,
        done: &done, progress: progress)
      let usable = analyses.indices.filter { analyses[$0] != nil }
      let usableRecordings = usable.map { itemRecordings[$0] }
      let usableAnalyses = usable.map { analyses[$0]! }
      found += recordingRules.levelIncidents(examId: examId, recordings: usableRecordings, analyses: usableAnalyses)
      found += recordingRules.duplicateIncidents(examId: examId, recordings: usableRecordings, analyses: usableAnalyses)
      for k in usable { voiceKinds[indexes[k]] = VoiceKind(recordingRules.voice(analyses[k]!)) }
    }
    found += try await voiceIncidentsByCandidate(recordings: recordings, kinds: voiceKinds)
    let allocation = Dictionary(
      try await store.allocation(examId: examId).map { ($0.candidateId, $0) }, uniquingKeysWith: { a, _ in a })
    for k in found.indices {
      guard let c = found[k].candidateId, let a = allocation[c] else { continue }
      found[k].roomId = found[k].roomId ?? a.roomId
      found[k].centreId = found[k].centreId ?? a.centreId
      found[k].seatId = found[k].seatId ?? a.seatId
      found[k].sessionId = found[k].sessionId ?? a.sessionId
    }
    found = stamp(found, raisedBy: raisedBy)
    outcome.found = found.count
    outcome.added = try await store.recordIncidents(found, audit: audit)
    return outcome
  }

  /// What the voice-change rule can do with an answer, all the item pass keeps of its voice (one byte).
  enum VoiceKind: UInt8 {
    /// Nothing: silent, unreadable, no encoder, or an embedding whose level is unfit to compare.
    case none
    /// An embedding to compare (`RecordingRules.Voice.comparable`).
    case comparable
    /// Too little speech: named in the candidate's incidents, never compared.
    case skipped

    init(_ v: RecordingRules.Voice) {
      self = v.comparable && v.embedding != nil ? .comparable : v.skipped != nil ? .skipped : .none
    }
  }

  /// `RecordingRules.voiceIncidents` over the whole sitting, streamed: the s-norm cohort (≤ `voiceCohortSize`
  /// answers, picked as that function picks them) is read back from the analysis cache once, then each candidate's
  /// answers are read, scored and dropped before the next candidate's; the incidents are raised once every
  /// candidate is scored (the sitting's threshold depends on all of them). Memory: the cohort and one candidate's
  /// embeddings (≈ 1 KB each), and an index and a score per answer.
  /// - Throws: `ExamError` `.conflict` when an analysis the item pass made is missing from the cache (the store
  ///   changed during the scan: run it again); the store's errors.
  func voiceIncidentsByCandidate(recordings: [StoredRecording], kinds: [VoiceKind]) async throws -> [Incident] {
    // Candidates in sorted order, each one's answers in sitting order: the order of the all-at-once rule.
    let order = recordings.indices.filter { kinds[$0] != .none }.sorted {
      recordings[$0].candidateId != recordings[$1].candidateId
        ? recordings[$0].candidateId < recordings[$1].candidateId : $0 < $1
    }
    let decoder = JSONDecoder()
    func voice(_ i: Int) async throws -> RecordingRules.Voice {
      let r = recordings[i]
      guard let json = try await store.audioAnalysis(storedSha256: r.storedSha256, version: RecordingAnalysis.version),
        let a = try? decoder.decode(CachedVoice.self, from: Data(json.utf8))
      else {
        throw ExamError(
          .conflict, file: r.storedSha256,
          "the analysis of \(r.candidateId)'s answer to \(r.itemId) left the cache during the scan",
          fix: "run `exam proctor scan` again")
      }
      return RecordingRules.Voice(
        embedding: a.voice, skipped: a.voiceSkipped, comparable: a.voice != nil && recordingRules.isClean(a.levels))
    }
    let pool = order.filter { kinds[$0] == .comparable }
    var cohort: [(String, VoiceEmbedding)] = []
    for k in VoiceChangeRule.cohortIndexes(count: pool.count, limit: recordingRules.settings.voiceCohortSize) {
      cohort.append((recordings[pool[k]].candidateId, try await voice(pool[k]).embedding!))
    }
    var scored: [CandidateVoiceScores] = []
    var start = 0
    while start < order.count {
      let candidate = recordings[order[start]].candidateId
      var end = start
      while end < order.count, recordings[order[end]].candidateId == candidate { end += 1 }
      let compared = order[start..<end].filter { kinds[$0] == .comparable }
      if compared.count >= 2 {
        var skipped: [(Int, VoiceSkipReason)] = []
        for k in order[start..<end] where kinds[k] == .skipped { skipped.append((k, try await voice(k).skipped!)) }
        var embeddings: [VoiceEmbedding] = []
        for k in compared { embeddings.append(try await voice(k).embedding!) }
        scored.append(
          recordingRules.voiceScores(
            candidate: candidate, compared: compared, embeddings: embeddings,
            cohort: cohort.filter { $0.0 != candidate }.map(\.1), skipped: skipped))
      }
      start = end
    }
    // Every candidate scored: the sitting's threshold is known only now.
    return recordingRules.voiceIncidents(examId: examId, recordings: recordings, scored: scored)
  }

  /// The parts of a cached `RecordingAnalysis` the voice-change rule reads (the fingerprint is skipped).
  private struct CachedVoice: Decodable {
    var levels: LevelMeasurement
    var voice: VoiceEmbedding?
    var voiceSkipped: VoiceSkipReason?
  }

  /// The analyses of `recordings` (same order; nil when unreadable, which `outcome` lists): from the cache,
  /// else computed by `jobs` tasks of `answersPerTask` recordings and cached every 200, so a crashed scan resumes where it stopped.
  private func analyse(
    _ recordings: [StoredRecording], contentStore: ContentStore, jobs: Int, outcome: inout Outcome,
    done: inout Int, progress: @Sendable (Int) -> Void
  ) async throws -> [RecordingAnalysis?] {
    var analyses: [RecordingAnalysis?] = Array(repeating: nil, count: recordings.count)
    var missing: [Int] = []
    let decoder = JSONDecoder()
    for (i, r) in recordings.enumerated() {
      if let json = try await store.audioAnalysis(storedSha256: r.storedSha256, version: RecordingAnalysis.version),
        let a = try? decoder.decode(RecordingAnalysis.self, from: Data(json.utf8)),
        // Analysed without the speaker encoder, now given: analysed again.
        speakerEncoder == nil || a.hasVoiceOutcome || a.levels.isSilent
      {
        analyses[i] = a
        done += 1
      } else {
        missing.append(i)
      }
    }
    progress(done)
    outcome.recordingsAnalysed += missing.count
    let paths = missing.map { contentStore.path(sha256: recordings[$0].storedSha256, ext: "flac") }
    // What ingest stored is read where it suffices: an answer it flagged silent needs its levels only.
    let silent = missing.map { recordings[$0].flags.contains(Self.ingestSilentFlag) }
    var fresh: [(storedSha256: String, json: String)] = []
    let jsonEncoder = JSONEncoder()
    let encoder = speakerEncoder
    var unreadable: [ExamError] = []
    var finished = done
    // Tasks of `answersPerTask` recordings, so their voice embeddings share the encoder's network batches.
    let groups = stride(from: 0, to: missing.count, by: Self.answersPerTask).map {
      $0..<min(missing.count, $0 + Self.answersPerTask)
    }
    try await withThrowingTaskGroup(of: (Range<Int>, [Result<RecordingAnalysis, ExamError>]).self) { group in
      var next = 0
      func start(_ group: inout ThrowingTaskGroup<(Range<Int>, [Result<RecordingAnalysis, ExamError>]), any Error>) {
        guard next < groups.count else { return }
        let range = groups[next]
        let groupPaths = Array(paths[range])
        let levelsOnly = Array(silent[range])
        group.addTask {
          (range, RecordingAnalyzer(encoder: encoder).analyze(paths: groupPaths, levelsOnly: levelsOnly))
        }
        next += 1
      }
      for _ in 0..<max(1, jobs) { start(&group) }
      while let (range, results) = try await group.next() {
        for (k, result) in zip(range, results) {
          let i = missing[k]
          switch result {
          case .success(let a):
            analyses[i] = a
            if let data = try? jsonEncoder.encode(a) {
              fresh.append((recordings[i].storedSha256, String(decoding: data, as: UTF8.self)))
            }
          case .failure(let error): unreadable.append(error)
          }
          finished += 1
        }
        progress(finished)
        if fresh.count >= 200 {  // a crashed scan resumes from the cache
          try await store.saveAudioAnalyses(fresh, version: RecordingAnalysis.version)
          fresh.removeAll()
        }
        start(&group)
      }
    }
    try await store.saveAudioAnalyses(fresh, version: RecordingAnalysis.version)
    outcome.unreadable += unreadable
    done = finished
    return analyses
  }

  /// Recordings one task analyses together (their embeddings batched): 16 answers of 30 s hold ≈ 30 MB of samples.
  static let answersPerTask = 16

  /// The flag Ingest stores with a silent answer (`RecordingFlag.silent`: `LevelMeasurement.isSilent`).
  static let ingestSilentFlag = "silent"

  private func stamp(_ incidents: [Incident], raisedBy: String) -> [Incident] {
    let now = Timestamp.now()
    return incidents.map {
      var i = $0
      i.raisedAt = now
      i.raisedBy = raisedBy
      return i
    }
  }
}
