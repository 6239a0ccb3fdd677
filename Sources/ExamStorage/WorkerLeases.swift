import ExamCore
import Synchronization

/// A queue worker's claims and leases, the same for every kind of work (`QueueScoringWorker`,
/// `QueueIngestWorker`): it registers the worker, claims jobs (waiting for a NOTIFY when there are none), renews
/// the leases of the jobs in hand every third of the lease, and gives back what is still held when the worker stops.
///
/// The heartbeat renews the jobs in hand and only those: a claim whose reply was lost in a restart was never in
/// hand, so its lease runs out and another worker takes it.
public final class WorkerLeases: Sendable {
  public let store: PostgresStore
  public let worker: QueueWorker
  public let leaseSeconds: Double
  private let inHand = JobsInHand()
  private let heartbeat = Mutex<Task<Void, Never>?>(nil)

  /// The ids of the jobs in hand, shared with the heartbeat.
  private final class JobsInHand: Sendable {
    let ids = Mutex<[Int64]>([])
  }

  /// Registers `worker` and starts the heartbeat; `renewed` is told how many leases each beat extended.
  public init(
    store: PostgresStore, worker: QueueWorker, leaseSeconds: Double,
    renewed: @escaping @Sendable (Int) -> Void = { _ in }
  ) async throws(ExamError) {
    self.store = store
    self.worker = worker
    self.leaseSeconds = leaseSeconds
    try await store.register(worker)
    let beat = Task { [store, worker, leaseSeconds, inHand] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(Int(leaseSeconds * 1000 / 3)))
        if Task.isCancelled { break }
        let count = try? await store.renewLeases(worker, jobIds: inHand.ids.withLock { $0 }, leaseSeconds: leaseSeconds)
        renewed(count ?? 0)
      }
    }
    heartbeat.withLock { $0 = beat }
  }

  deinit { heartbeat.withLock { $0?.cancel() } }

  /// The next jobs, at most `limit`, now in hand: waits (a NOTIFY, or at most `idleSeconds`) while there are none.
  /// - Returns: nil once `stop` is set, or — with `untilEmpty` — when no job of the worker's kind is open.
  public func next(limit: Int, untilEmpty: Bool, idleSeconds: Double, stop: StopFlag) async throws(ExamError)
    -> [ClaimedJob]?
  {
    while !stop.isSet {
      let claimed = try await store.claim(worker, limit: limit, leaseSeconds: leaseSeconds)
      if !claimed.isEmpty {
        inHand.ids.withLock { $0 = claimed.map(\.id) }
        return claimed
      }
      if untilEmpty, try await store.openJobs(kind: worker.kind) == 0 { return nil }
      // Nothing to claim but jobs still open: other workers hold them. Completions announce nothing, so a worker
      // that is to exit when the queue is empty looks again soon instead of sleeping out `idleSeconds`.
      let waitSeconds = untilEmpty ? min(idleSeconds, 0.5) : min(idleSeconds, leaseSeconds)
      try await store.waitForWork(kind: worker.kind, timeoutSeconds: waitSeconds)
    }
    return nil
  }

  /// The jobs in hand were completed: the heartbeat stops renewing them.
  public func completed() { inHand.ids.withLock { $0 = [] } }

  /// Stops the heartbeat and gives back every lease the worker still holds. Returns how many.
  public func finish() async throws(ExamError) -> Int {
    heartbeat.withLock { $0?.cancel() }
    return try await store.releaseLeases(worker)
  }

  /// `finish()` after an error: the leases go back if the database can be reached, else they expire.
  public func abandon() async { _ = try? await finish() }
}
