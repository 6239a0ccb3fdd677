import ExamCore

/// What a queue worker tells as it works, for metrics a city IT team scrapes (`exam score run --worker
/// --metrics-listen`, docs/scale-out.md). Called from the worker's loop, its scoring tasks and its heartbeat, so
/// an observer must be cheap and thread-safe.
public protocol QueueWorkerObserver: Sendable {
  /// `count` jobs were claimed from the queue.
  func claimed(_ count: Int)
  /// One answer was scored in `seconds` (reading, analysis and model).
  func scored(_ score: MachineScore, seconds: Double)
  /// A batch was written: `added` scores stored, `alreadyScored` found written by another worker first.
  func written(added: Int, alreadyScored: Int)
  /// The heartbeat extended `count` leases.
  func leasesRenewed(_ count: Int)
  /// The worker now holds `count` jobs.
  func leasesInHand(_ count: Int)
}
