import ExamCore
import Synchronization

/// A PostgreSQL call that gave no answer within its deadline.
struct CallTimedOut: Error, CustomStringConvertible {
  var seconds: Double
  var description: String { "no reply within \(NumberText.fixed(seconds, decimals: 0)) s" }
}

extension PostgresStore {
  /// Runs `body`, but waits for it at most `seconds`: past that its task is cancelled and left behind, and
  /// `CallTimedOut` is thrown, which the back-off loop retries like a lost connection.
  ///
  /// This steps outside structured concurrency on purpose. A postgres-nio call was seen to wait forever across a
  /// server restart (no query on the server, no error; docs/scale-out.md), and a task group cannot end before its
  /// children do, so a call that ignores cancellation would hold the caller with it. The abandoned task ends when
  /// the library gets round to it, or with the process.
  static func withDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T)
    async throws -> T
  {
    guard seconds.isFinite else { return try await body() }
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        outcome.continuation.withLock { $0 = continuation }
        let timer = Task {
          try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
          if Task.isCancelled { return }
          outcome.finish(.failure(CallTimedOut(seconds: seconds)))
        }
        let work = Task {
          do {
            outcome.finish(.success(try await body()))
          } catch {
            outcome.finish(.failure(error))
          }
          timer.cancel()
        }
        outcome.work.withLock { $0 = work }
        if Task.isCancelled { outcome.finish(.failure(CancellationError())) }
      }
    } onCancel: {
      outcome.finish(.failure(CancellationError()))
    }
  }

  /// The one answer a deadline-bound call gives: the body's result or the time-out, whichever comes first.
  private final class Outcome<T: Sendable>: Sendable {
    let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    let work = Mutex<Task<Void, Never>?>(nil)

    /// Resumes the caller once; later calls do nothing. A failure cancels the body's task.
    func finish(_ result: Result<T, any Error>) {
      guard
        let waiting = continuation.withLock({ c in
          defer { c = nil }; return c
        })
      else { return }
      if case .failure = result { work.withLock { $0 }?.cancel() }
      waiting.resume(with: result)
    }
  }
}
