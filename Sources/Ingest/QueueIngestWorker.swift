import ExamCore
import ExamStorage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `exam audio ingest --worker`: one of any number of processes, on any number of machines, that claim centres'
/// batches from the PostgreSQL queue (`exam audio ingest --enqueue`) and take them in with the same `AudioIngester`
/// as a single run, into the PostgreSQL store (docs/scale-out.md).
///
/// A batch is idempotent by its content (its id is the digest of its manifest), so a batch whose worker died is
/// taken again by another worker once the lease expires, and adds only what the first did not commit. Finishing a
/// batch marks its job done and queues the scoring of its answers in one transaction, so scoring workers start on
/// a centre's answers as soon as they are in.
public struct QueueIngestWorker: Sendable {
  public var store: PostgresStore
  /// The shared content store every machine mounts; recordings are stored there.
  public var contentStore: ContentStore
  /// Where refused files are copied (beside the shared content store).
  public var quarantineRoot: String
  /// Files converted at once within a batch.
  public var jobs: Int
  /// Seconds a claimed batch stays this worker's without a heartbeat (a batch can take minutes).
  public var leaseSeconds = 300.0
  /// Exit when no batch is left instead of waiting for more.
  public var untilEmpty = false
  /// Longest wait for a NOTIFY before looking again (expired leases announce nothing).
  public var idleSeconds = 5.0
  /// Recordings committed per transaction within a batch (`IngestRequest.commitEvery`).
  public var commitEvery = 256
  /// Test hook: SIGKILL this process once a batch has committed this many recordings (the fault tests).
  public var killAfterCommitted: Int?
  public var operatorName = "ingest worker"
  public var account: String?
  /// Set from a signal handler: finish the batch in hand, give back nothing else, return.
  public let stopFlag = StopFlag()
  public let worker: QueueWorker

  public init(store: PostgresStore, contentStore: ContentStore, quarantineRoot: String, jobs: Int) {
    self.store = store
    self.contentStore = contentStore
    self.quarantineRoot = quarantineRoot
    self.jobs = jobs
    worker = QueueWorker.ofThisProcess(kind: PostgresStore.ingestKind)
  }

  /// What this worker did.
  public struct Summary: Sendable, Codable, Equatable {
    public var worker = ""
    public var batches = 0
    public var recordingsAdded = 0
    public var alreadyStored = 0
    public var filesRefused = 0
    /// Batches refused as a whole (no manifest, an unknown centre, …): their job is done, the reason audited.
    public var batchesRefused = 0
    public var scoringQueued = 0
    public var leasesReturned = 0
  }

  /// One batch finished (its report) or refused as a whole (its error).
  public enum Outcome: Sendable {
    case ingested(IngestJob, IngestReport, scoringQueued: Int)
    case refused(IngestJob, ExamError)
  }

  /// Works until the queue is empty (`untilEmpty`) or `stopFlag` is set.
  public func run(progress: @escaping @Sendable (Outcome, Summary) -> Void) async throws -> Summary {
    var summary = Summary()
    summary.worker = worker.id
    let leases = try await WorkerLeases(store: store, worker: worker, leaseSeconds: leaseSeconds)
    do {
      while let claimed = try await leases.next(
        limit: 1, untilEmpty: untilEmpty, idleSeconds: idleSeconds, stop: stopFlag),
        let job = claimed.first
      {
        let batch = try PostgresStore.ingestJob(job)
        // A batch this machine cannot see is this machine's problem (the shared disk is not mounted), not the
        // batch's: the worker stops and the lease goes back for a worker that can.
        guard access(batch.path, F_OK) == 0 else {
          throw ExamError(
            .notFound, file: batch.path, "the queued batch is not on this machine's shared disk",
            fix: "mount the shared folder the batches were queued from at the same path, then start the worker again")
        }
        var request = IngestRequest(
          path: batch.path, centreId: batch.centreId, sessionId: batch.sessionId, examId: batch.examId, jobs: jobs,
          store: contentStore, quarantineRoot: quarantineRoot, commitEvery: commitEvery, operatorName: operatorName,
          arguments: ["--worker", worker.id, batch.path, "--centre", batch.centreId])
        request.account = account
        request.killAfterCommitted = killAfterCommitted
        let outcome: Outcome
        do {
          let report = try await AudioIngester(database: store).ingest(request)
          let queued = try await store.completeIngest(
            job, batchId: report.batchId, upload: batch.uploadId.map { ($0, report.json, nil) }, by: worker,
            audit: request.audit("batch \(report.batchId) done by \(worker.id): scoring queued"))
          summary.recordingsAdded += report.added.count
          summary.alreadyStored += report.alreadyStored.count
          summary.filesRefused += report.refusedCount
          summary.scoringQueued += queued
          outcome = .ingested(batch, report, scoringQueued: queued)
        } catch let refusal as ExamError where Self.refusesTheBatch(refusal) {
          let error = batch.uploadId == nil ? refusal : UploadRefusal.named(refusal, path: batch.path, fileName: "")
          try await store.completeIngest(
            job, batchId: nil, upload: batch.uploadId.map { ($0, nil, UploadRefusal.json(error)) }, by: worker,
            audit: request.audit("batch \(batch.path) refused: \(error.message)"))
          summary.batchesRefused += 1
          outcome = .refused(batch, error)
        }
        // An upload's bytes are kept until its outcome is committed with the job, then dropped (as `exam serve` does).
        if batch.uploadId != nil { unlink(batch.path) }
        leases.completed()
        summary.batches += 1
        progress(outcome, summary)
      }
    } catch {
      await leases.abandon()
      throw error
    }
    summary.leasesReturned = try await leases.finish()
    return summary
  }

  /// Whether `error` is about the batch itself (its files, its centre, a zip that is no zip or is broken), so
  /// running it again cannot help: its job is done and the reason audited. Anything else (the store, the disk)
  /// stops the worker.
  static func refusesTheBatch(_ error: ExamError) -> Bool {
    [.invalidInput, .notFound, .unsupportedFormat, .corrupt, .integrity, .conflict, .state, .usage].contains(error.code)
  }
}
