import Foundation
import NIOPosix
import Synchronization

/// Threads of `exam serve`'s own for blocking work — SQLite, fsync, file reads and writes — so that it never runs
/// on Swift's cooperative threads, which Hummingbird's request handlers need.
///
/// The marking desk runs every store access of a request (GRDB's synchronous calls through `ExamDatabase`,
/// `MarkingDesk` and `IncidentDesk`, and reading the audio file) as one job here; the upload routes run each
/// chunk's write, fsync and offset update here. A blocked call (a write waiting for the writer, an fsync behind
/// other disk traffic) then holds one of these threads, never a cooperative thread. With WAL, reads on several
/// threads run at once beside the one writer. Jobs wait in a queue bounded by `maximumQueued`: beyond it the caller
/// gets `overloaded`'s error (a 503) at once rather than latency that grows without bound.
///
/// The pools are process-wide, one per thread count, started on first use and never stopped (a `NIOThreadPool` must
/// be shut down before it is freed; a static one never is).
public struct StoreThreads: Sendable {
  let pool: NIOThreadPool
  /// The pool as a task executor: async work given to `perform` runs its synchronous stretches on the pool's threads.
  let executor: PoolTaskExecutor
  let maximumQueued: Int
  /// The error for a job refused because `maximumQueued` jobs are waiting (given how many wait).
  let overloaded: @Sendable (Int) -> any Error
  private let queued: Queued

  /// Jobs submitted and not yet finished (shared by copies).
  private final class Queued: Sendable {
    let count = Atomic<Int>(0)
  }

  private static let pools = Mutex<[Int: (NIOThreadPool, PoolTaskExecutor)]>([:])

  public init(threads: Int, maximumQueued: Int, overloaded: @escaping @Sendable (_ waiting: Int) -> any Error) {
    let count = max(1, threads)
    (pool, executor) = Self.pools.withLock { pools in
      if let pool = pools[count] { return pool }
      let pool = NIOThreadPool(numberOfThreads: count)
      pool.start()
      pools[count] = (pool, PoolTaskExecutor(pool: pool))
      return pools[count]!
    }
    self.maximumQueued = max(1, maximumQueued)
    self.overloaded = overloaded
    queued = Queued()
  }

  /// Runs `body` on a store thread and returns its result.
  /// - Throws: `overloaded(waiting)` when `maximumQueued` jobs are waiting already; whatever `body` throws.
  public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let waiting = queued.count.wrappingAdd(1, ordering: .relaxed).newValue
    defer { queued.count.wrappingSubtract(1, ordering: .relaxed) }
    guard waiting <= maximumQueued else { throw overloaded(waiting - 1) }
    return try await pool.runIfActive(body)
  }

  /// Runs the async `body` with the pool as its task executor: the store calls it makes — a SQLite store's
  /// synchronous ones, or a PostgreSQL store's between their waits — run on the pool's threads, not on Swift's
  /// cooperative threads. Refused as `run` refuses when `maximumQueued` jobs wait.
  public func perform<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let waiting = queued.count.wrappingAdd(1, ordering: .relaxed).newValue
    defer { queued.count.wrappingSubtract(1, ordering: .relaxed) }
    guard waiting <= maximumQueued else { throw overloaded(waiting - 1) }
    return try await withTaskExecutorPreference(executor) { try await body() }
  }
}

/// A `NIOThreadPool` as a Swift task executor: each job the runtime enqueues runs on one of the pool's threads.
final class PoolTaskExecutor: TaskExecutor {
  let pool: NIOThreadPool

  init(pool: NIOThreadPool) { self.pool = pool }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}
