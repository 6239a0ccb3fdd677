import Dispatch
import Synchronization

/// Runs `side` on another thread while `main` runs on this one, and returns both results once both are done (so a
/// second core does work that `main` does not wait for until the end).
func alongside<Main, Side: Sendable>(
  _ side: @escaping @Sendable () -> Side, while main: () throws -> Main
) rethrows -> (Main, Side) {
  let result = Mutex<Side?>(nil)
  let done = DispatchGroup()
  DispatchQueue.global().async(group: done) {
    let value = side()
    result.withLock { $0 = value }
  }
  defer { done.wait() }
  let mainResult = try main()
  done.wait()
  return (mainResult, result.withLock { $0! })
}
