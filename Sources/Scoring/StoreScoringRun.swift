import ExamCore
import ExamStorage

/// `exam score run`: scores every current recording in the store that has no machine score yet.
///
/// At most `jobs` answers are analysed at once (a bounded task group: one finishes, the next starts). The
/// collecting task writes finished scores in batches, each in one transaction with its audit line, so a killed
/// run loses at most the answers in flight and a re-run scores exactly the rest. An answer whose audio cannot be
/// analysed is stored with no points and routed to people, with the error as the reason.
///
/// Works on either backend (`MarkingStore`); a PostgreSQL sitting is usually scored by workers on its queue instead
/// (`QueueScoringWorker`).
public struct StoreScoringRun: Sendable {
  public var store: any MarkingStore
  public var contentStore: ContentStore
  public var scorer: AnswerScorer
  public var extractor: any FeatureExtractor
  public var jobs: Int
  /// Scores written per transaction (each with one audit line).
  public var batchSize = 128
  /// Recordings read from the store at a time.
  public var pageSize = 4096

  public init(
    store: any MarkingStore, contentStore: ContentStore, scorer: AnswerScorer, extractor: any FeatureExtractor,
    jobs: Int
  ) {
    self.store = store
    self.contentStore = contentStore
    self.scorer = scorer
    self.extractor = extractor
    self.jobs = jobs
  }

  public struct Summary: Sendable, Codable, Equatable, OutcomeTally {
    public var scored = 0
    public var confident = 0
    public var toHumans = 0
    public var failed = 0
    /// Recordings that already had a score before this run.
    public var alreadyScored = 0
    public var modelVersion = ""
  }

  /// Runs over `examId` (or every exam).
  /// - Parameters:
  ///   - progress: called after each answer with (done, total).
  ///   - audit: the audit line for a batch of `count` scores.
  public func run(
    examId: String?, progress: @escaping (Int, Int) -> Void,
    audit: @escaping (Int) -> AuditEntry
  ) async throws -> Summary {
    if let examId { _ = try await store.requireExam(id: examId) }
    var summary = Summary()
    summary.modelVersion = scorer.model.version
    let before = try await store.scoringProgress(examId: examId)
    summary.alreadyScored = before.scored
    let total = before.recordings - before.scored
    guard total > 0 else { return summary }
    try await store.saveScoringModel(
      version: scorer.model.version, json: scorer.model.jsonText(),
      audit: audit(0).with(summary: "stored scoring model \(scorer.model.version)"))
    var exams: [String: ExamDefinition] = [:]
    var done = 0
    var lastId: Int64 = 0
    while true {
      // A page at a time, so memory does not grow with the sitting.
      let page = try await store.unscoredRecordings(examId: examId, afterId: lastId, limit: pageSize)
      guard let last = page.last?.id else { break }
      lastId = last
      for id in Set(page.map(\.examId)) where exams[id] == nil { exams[id] = try await store.requireExam(id: id) }
      try await score(page: page, exams: exams, summary: &summary) { _ in
        done += 1
        progress(done, max(total, done))
      } audit: {
        audit($0)
      }
    }
    return summary
  }

  /// Scores one page of recordings with at most `jobs` in flight, storing results every `batchSize`.
  func score(
    page: [StoredRecording], exams: [String: ExamDefinition], summary: inout Summary,
    progress: (MachineScore) -> Void, audit: (Int) -> AuditEntry
  ) async throws {
    var buffer: [MachineScore] = []
    var confidentIds: Set<Int64> = []
    func flush() async throws {
      guard !buffer.isEmpty else { return }
      _ = try await store.saveMachineScores(buffer, finalRecordingIds: confidentIds, audit: audit(buffer.count))
      buffer.removeAll(keepingCapacity: true)
      confidentIds.removeAll(keepingCapacity: true)
    }
    try await withThrowingTaskGroup(of: MachineScore.self) { group in
      var next = 0
      func start() {
        let recording = page[next]
        next += 1
        group.addTask { self.score(recording, exam: exams[recording.examId]) }
      }
      while next < min(max(jobs, 1), page.count) { start() }
      while let score = try await group.next() {
        buffer.append(score)
        summary.scored += 1
        summary.count(score.outcome)
        if score.outcome == .confident { confidentIds.insert(score.recordingId) }
        progress(score)
        if buffer.count >= batchSize { try await flush() }
        if next < page.count { start() }
      }
      try await flush()
    }
  }

  /// Scores one recording; never throws (failures become a human-routed score without points).
  func score(_ recording: StoredRecording, exam: ExamDefinition?) -> MachineScore {
    RecordingScorer(contentStore: contentStore, scorer: scorer, extractor: extractor).score(recording, exam: exam)
  }
}

/// Scores one stored recording with a model: the step `exam score run` repeats, in one process or on many workers.
public struct RecordingScorer: Sendable {
  public var contentStore: ContentStore
  public var scorer: AnswerScorer
  public var extractor: any FeatureExtractor

  public init(contentStore: ContentStore, scorer: AnswerScorer, extractor: any FeatureExtractor) {
    self.contentStore = contentStore
    self.scorer = scorer
    self.extractor = extractor
  }

  public func score(_ recording: StoredRecording, exam: ExamDefinition?) -> MachineScore {
    let now = Timestamp.now()
    var result = MachineScore(
      recordingId: recording.id ?? 0, examId: recording.examId, candidateId: recording.candidateId,
      itemId: recording.itemId, features: [:], aspects: [:], points: nil, confidence: 0, needsHuman: true,
      reason: "", modelVersion: scorer.model.version, scoredAt: now)
    guard let item = exam?.item(recording.itemId) else {
      result.reason = "analysis failed: item \(recording.itemId) is not in exam \(recording.examId)"
      return result
    }
    let audio = contentStore.path(sha256: recording.storedSha256, ext: "flac")
    var reference: String? = nil
    if item.type.isReadAloud, let sha = item.referenceAudioSha256, contentStore.contains(sha256: sha, ext: "flac") {
      reference = contentStore.path(sha256: sha, ext: "flac")
    }
    do throws(ExamError) {
      let text = item.type.isReadAloud ? (item.referenceText ?? item.promptText) : nil
      let features = try extractor.features(audioPath: audio, referencePath: reference, text: text)
      let outcome = scorer.score(item: item, features: features)
      result.features = features
      result.aspects = outcome.aspects
      result.points = outcome.points
      result.confidence = outcome.confidence
      result.needsHuman = outcome.needsHuman
      result.reason = outcome.reason
    } catch {
      result.reason = "analysis failed: \(error)"
    }
    return result
  }
}

extension AuditEntry {
  /// The same entry with another summary.
  func with(summary: String) -> AuditEntry {
    var copy = self
    copy.summary = summary
    return copy
  }
}
