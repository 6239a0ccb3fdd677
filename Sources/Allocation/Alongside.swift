import Dispatch
import Synchronization

/// A value computed on another thread from the moment it is made; `value` waits for it.
final class Pending<Value: Sendable>: Sendable {
  private let result = Mutex<Value?>(nil)
  private let done = DispatchGroup()

  init(_ work: @escaping @Sendable () -> Value) {
    done.enter()
    DispatchQueue.global().async {
      let value = work()
      self.result.withLock { $0 = value }
      self.done.leave()
    }
  }

  var value: Value {
    done.wait()
    return result.withLock { $0! }
  }
}

/// Runs `side` on another thread while `main` runs on this one, and returns both results once both are done (so a
/// second core does work that `main` does not wait for until the end).
func alongside<Main, Side: Sendable>(
  _ side: @escaping @Sendable () -> Side, while main: () throws -> Main
) rethrows -> (Main, Side) {
  let pending = Pending(side)
  return (try main(), pending.value)
}
