import Synchronization
import Testing

@testable import ExamStorage

/// The deadline on every PostgreSQL call: a call that never answers must not hold its caller (docs/scale-out.md).
@Suite struct CallDeadlineTests {
  /// A call that neither answers nor heeds cancellation, as a postgres-nio call was seen to do across a restart.
  final class StuckCall: Sendable {
    let waiting = Mutex<CheckedContinuation<Int, Never>?>(nil)
    func call() async -> Int { await withCheckedContinuation { c in waiting.withLock { $0 = c } } }
    /// Lets the abandoned call end, so the test leaves nothing behind.
    func release() { waiting.withLock { $0 }?.resume(returning: 0) }
  }

  // Not a timing test (under a loaded suite the 0.2 s can stretch to half a minute): without the deadline this
  // call would never return; the time limit only keeps a regression from hanging the run.
  @Test(.timeLimit(.minutes(5)))
  func aCallThatNeverAnswersEndsAtItsDeadlineAndIsRetryable() async throws {
    let stuck = StuckCall()
    do {
      _ = try await PostgresStore.withDeadline(seconds: 0.2) { await stuck.call() }
      Issue.record("a call that never answered returned")
    } catch {
      #expect(error is CallTimedOut)
      #expect(PostgresStore.isTransient(error))  // the back-off loop retries it like a lost connection
      #expect("\(error)".contains("no reply within"))
    }
    for _ in 0..<100 where stuck.waiting.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
    stuck.release()
  }

  @Test func answersAndErrorsInTimeArePassedThrough() async throws {
    #expect(try await PostgresStore.withDeadline(seconds: 5) { 42 } == 42)
    struct Refused: Error {}
    await #expect(throws: Refused.self) { try await PostgresStore.withDeadline(seconds: 5) { throw Refused() } }
    #expect(try await PostgresStore.withDeadline(seconds: .infinity) { 7 } == 7)
  }

  @Test func cancellingTheCallerEndsTheWait() async throws {
    let stuck = StuckCall()
    let waiter = Task { try await PostgresStore.withDeadline(seconds: 3600) { await stuck.call() } }
    try await Task.sleep(for: .milliseconds(100))
    waiter.cancel()
    await #expect(throws: CancellationError.self) { try await waiter.value }
    stuck.release()
  }
}
