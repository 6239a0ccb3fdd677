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
  let maximumQueued: Int
  /// The error for a job refused because `maximumQueued` jobs are waiting (given how many wait).
  let overloaded: @Sendable (Int) -> any Error
  private let queued: Queued

  /// Jobs submitted and not yet finished (shared by copies).
  private final class Queued: Sendable {
    let count = Atomic<Int>(0)
  }

  private static let pools = Mutex<[Int: NIOThreadPool]>([:])

  public init(threads: Int, maximumQueued: Int, overloaded: @escaping @Sendable (_ waiting: Int) -> any Error) {
    let count = max(1, threads)
    pool = Self.pools.withLock { pools in
      if let pool = pools[count] { return pool }
      let pool = NIOThreadPool(numberOfThreads: count)
      pool.start()
      pools[count] = pool
      return pool
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
}
