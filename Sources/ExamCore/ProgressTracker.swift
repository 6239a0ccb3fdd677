import Synchronization

/// A `ProgressReporter` that callbacks from concurrent code may update (`Sendable`, lock-protected).
///
/// The reporter is made on the first update, when the total is known.
public final class ProgressTracker: Sendable {
  private let reporter = Mutex<ProgressReporter?>(nil)
  private let label: String
  private let enabled: Bool

  public init(label: String, enabled: Bool) {
    self.label = label
    self.enabled = enabled
  }

  /// Moves the bar to `completed` of `total`.
  public func update(completed: Int, total: Int) {
    reporter.withLock { current in
      if current == nil { current = ProgressReporter(label: label, total: total, enabled: enabled) }
      let step = completed - current!.completed
      if step > 0 { current!.advance(by: step) }
    }
  }
}
