import ExamCore
import ExamStorage
import Signing
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `exam score run --worker`: one of any number of processes, on any number of machines, that claim scoring jobs
/// from the PostgreSQL queue, score them with the same `RecordingScorer` as the single-process run, and write the
/// scores with the completion of their jobs in one transaction (docs/scale-out.md).
///
/// Each recording is read from the shared content store by its SHA-256 and verified after the read; a missing or
/// different file stops the worker (a mount problem must not route a whole sitting to human marking). Leases are
/// renewed while the worker works and given back when it stops (`stop()`, SIGTERM, an error); a killed worker's
/// leases expire and other workers take its jobs.
public struct QueueScoringWorker: Sendable {
  public var store: PostgresStore
  public var scorer: RecordingScorer
  public var worker: QueueWorker
  /// Answers analysed at once in this process.
  public var jobs: Int
  /// Jobs claimed (and written back) at a time.
  public var claimBatch = 8
  public var leaseSeconds = 60.0
  /// Exit when no work is left instead of waiting for more.
  public var untilEmpty = false
  /// Longest wait for a NOTIFY before looking again (expired leases announce nothing).
  public var idleSeconds = 5.0
  /// Set from a signal handler: finish the answers in hand, give back the leases, return.
  public let stopFlag = StopFlag()
  /// Told of claims, scores, writes and renewals (metrics); nil for none.
  public var observer: (any QueueWorkerObserver)?
  /// Test hook: SIGKILL this process once this many batches are written and the next is claimed (the fault tests).
  public var killAfterBatches: Int?

  public init(store: PostgresStore, scorer: RecordingScorer, jobs: Int) {
    self.store = store
    self.scorer = scorer
    self.jobs = jobs
    worker = QueueWorker.ofThisProcess(kind: "score")
  }

  public struct Summary: Sendable, Codable, Equatable, OutcomeTally {
    public var worker = ""
    public var scored = 0
    public var confident = 0
    public var toHumans = 0
    public var failed = 0
    /// Jobs this worker finished that another worker had written first (its lease had expired).
    public var alreadyScored = 0
    public var leasesReturned = 0
  }

  /// Works until the queue is empty (`untilEmpty`) or `stopFlag` is set.
  /// - Parameters:
  ///   - progress: called after each written batch with this worker's running summary.
  ///   - audit: the audit line for a batch of `count` scores.
  public func run(progress: @escaping @Sendable (Summary) -> Void, audit: @escaping @Sendable (Int) -> AuditEntry)
    async throws -> Summary
  {
    var summary = Summary()
    summary.worker = worker.id
    let leases = try await WorkerLeases(store: store, worker: worker, leaseSeconds: leaseSeconds) { [observer] in
      observer?.leasesRenewed($0)
    }
    var exams: [String: ExamDefinition] = [:]
    var batches = 0
    do {
      while let claimed = try await leases.next(
        limit: claimBatch, untilEmpty: untilEmpty, idleSeconds: idleSeconds, stop: stopFlag)
      {
        if let limit = killAfterBatches, batches >= limit { kill(getpid(), SIGKILL) }
        batches += 1
        observer?.claimed(claimed.count)
        observer?.leasesInHand(claimed.count)
        let work = try await store.scoringJobs(claimed)
        for id in Set(work.map(\.recording.examId)) where exams[id] == nil {
          exams[id] = try await store.requireExam(id: id)
        }
        // Stopped mid-batch: the answers scored are written, the rest go back to the queue below.
        let scores = try await score(work.map(\.recording), exams: exams)
        let jobOf = Dictionary(work.map { ($0.recording.id ?? 0, $0.job.id) }, uniquingKeysWith: { a, _ in a })
        let finished = scores.count == work.count ? claimed.map(\.id) : scores.compactMap { jobOf[$0.recordingId] }
        let added = try await store.completeScoring(finished, scores: scores, by: worker, audit: audit(scores.count))
        leases.completed()
        observer?.leasesInHand(0)
        observer?.written(added: added, alreadyScored: scores.count - added)
        summary.scored += added
        summary.alreadyScored += scores.count - added
        for s in scores { summary.count(s.outcome) }
        progress(summary)
      }
    } catch {
      await leases.abandon()
      throw error
    }
    summary.leasesReturned = try await leases.finish()
    return summary
  }

  /// Scores `recordings` with at most `jobs` at once, after verifying each file against its SHA-256; once
  /// `stopFlag` is set it finishes the answers in flight and starts no more.
  func score(_ recordings: [StoredRecording], exams: [String: ExamDefinition]) async throws -> [MachineScore] {
    for r in recordings { try verify(r) }
    return await withTaskGroup(of: MachineScore.self) { group in
      var next = 0, out: [MachineScore] = []
      func start() {
        let r = recordings[next]
        next += 1
        group.addTask { [scorer, observer] in
          let started = ContinuousClock.now
          let score = scorer.score(r, exam: exams[r.examId])
          let elapsed = ContinuousClock.now - started
          observer?.scored(score, seconds: elapsed.inSeconds)
          return score
        }
      }
      while next < min(max(jobs, 1), recordings.count) { start() }
      while let s = await group.next() {
        out.append(s)
        if next < recordings.count && !stopFlag.isSet { start() }
      }
      return out.sorted { $0.recordingId < $1.recordingId }
    }
  }

  /// Reads the recording's FLAC from the shared store and checks it is the file the office stored.
  func verify(_ recording: StoredRecording) throws(ExamError) {
    let path = scorer.contentStore.path(sha256: recording.storedSha256, ext: "flac")
    guard scorer.contentStore.contains(sha256: recording.storedSha256, ext: "flac") else {
      throw ExamError(
        .notFound, file: path, "recording \(recording.id ?? 0) is not in the shared content store",
        fix: "mount the office's store/ on this machine and pass it with --store (docs/scale-out.md)")
    }
    let sha = try Digest.sha256(fileAtPath: path)
    guard sha == recording.storedSha256 else {
      throw ExamError(
        .integrity, file: path,
        "the file read has SHA-256 \(sha.prefix(12))…, not the stored \(recording.storedSha256.prefix(12))…",
        fix:
          "the shared store is damaged or still being copied; check the mount and the file, then start the worker again"
      )
    }
  }
}
