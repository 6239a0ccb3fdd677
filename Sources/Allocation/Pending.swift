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
