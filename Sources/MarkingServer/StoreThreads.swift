import Foundation
import NIOPosix
import Synchronization

/// Threads of the desk's own for store work, so that SQLite never runs on Swift's cooperative threads.
///
/// Every store access of a request (GRDB's synchronous calls through `ExamDatabase`, `MarkingDesk` and
/// `IncidentDesk`, and reading the audio file) runs as one job here. A blocked SQLite call (a write waiting for the
/// writer, a read waiting for a free reader connection of the `DatabasePool`) then holds one of these threads, never
/// a cooperative thread that Hummingbird's other requests need. With WAL, reads on several threads run at once
/// beside the one writer. Jobs wait in a queue bounded by `maximumQueued`: beyond it the desk answers 503 at once
/// rather than letting latency grow without bound.
///
/// The pools are process-wide, one per thread count, started on first use and never stopped (a `NIOThreadPool` must
/// be shut down before it is freed; a static one never is).
struct StoreThreads: Sendable {
  let pool: NIOThreadPool
  let maximumQueued: Int
  private let queued: Queued

  /// Jobs submitted and not yet finished (shared by copies).
  private final class Queued: Sendable {
    let count = Atomic<Int>(0)
  }

  private static let pools = Mutex<[Int: NIOThreadPool]>([:])

  init(threads: Int, maximumQueued: Int) {
    let count = max(1, threads)
    pool = Self.pools.withLock { pools in
      if let pool = pools[count] { return pool }
      let pool = NIOThreadPool(numberOfThreads: count)
      pool.start()
      pools[count] = pool
      return pool
    }
    self.maximumQueued = max(1, maximumQueued)
    queued = Queued()
  }

  /// Runs `body` on a store thread and returns its result.
  /// - Throws: `DeskError` 503 when `maximumQueued` jobs are waiting already; whatever `body` throws.
  func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let waiting = queued.count.wrappingAdd(1, ordering: .relaxed).newValue
    defer { queued.count.wrappingSubtract(1, ordering: .relaxed) }
    guard waiting <= maximumQueued else {
      throw DeskError(
        .serviceUnavailable, "The marking desk is very busy (\(waiting - 1) requests waiting). Try again in a moment.")
    }
    return try await pool.runIfActive(body)
  }
}
