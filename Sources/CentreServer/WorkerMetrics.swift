import ExamCore
import Prometheus
import Scoring
import Synchronization

/// The metrics of one `exam score run --worker` process in Prometheus' text format (swift-prometheus), served by
/// `MetricsEndpoint` on `--metrics-listen`. Every series carries the worker's id as a label, so one dashboard
/// sums or compares the workers of a sitting (docs/scale-out.md, "Metrics").
public final class WorkerMetrics: QueueWorkerObserver {
  let registry: PrometheusCollectorRegistry
  let claimedJobs: Counter
  let confident: Counter
  let toHumans: Counter
  let unreadable: Counter
  let stored: Counter
  let alreadyScored: Counter
  let renewals: Counter
  let inHand: Gauge
  let scoringTime: DurationHistogram
  let storeRetries: Counter
  /// The store's retry count, read when scraped; `retriesSeen` is what the counter holds so far.
  let retriesOfStore: @Sendable () -> Int
  private let retriesSeen = Mutex<Int>(0)

  public init(worker: String, retriesOfStore: @escaping @Sendable () -> Int) {
    let registry = PrometheusCollectorRegistry()
    self.registry = registry
    let labels = [("worker", worker)]
    func counter(_ name: String, _ help: String, _ extra: [(String, String)] = []) -> Counter {
      registry.counter("examkit_worker_" + name, labels: labels + extra, help: help)
    }
    claimedJobs = counter("jobs_claimed_total", "Jobs claimed from the queue (a job claimed again counts again).")
    let scored = "Answers scored, by outcome (confident, to human marking, unreadable)."
    confident = counter("answers_scored_total", scored, [("outcome", "confident")])
    toHumans = counter("answers_scored_total", scored, [("outcome", "to_humans")])
    unreadable = counter("answers_scored_total", scored, [("outcome", "unreadable")])
    stored = counter("scores_stored_total", "Scores written to the store with their jobs' completion.")
    alreadyScored = counter(
      "scores_already_stored_total", "Scores not written because another worker had written the answer first.")
    renewals = counter("lease_renewals_total", "Leases extended by the heartbeat.")
    storeRetries = counter(
      "store_retries_total", "PostgreSQL calls retried (lost connection, restart, no reply within the deadline).")
    inHand = registry.gauge("examkit_worker_leases_in_hand", labels: labels, help: "Jobs held now.")
    scoringTime = registry.durationHistogram(
      "examkit_worker_answer_scoring_seconds", labels: labels,
      bucketsSeconds: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      help: "Time to read, analyse and score one answer.")
    self.retriesOfStore = retriesOfStore
  }

  public func claimed(_ count: Int) { claimedJobs.increment(by: Int64(count)) }

  public func scored(_ score: MachineScore, seconds: Double) {
    switch score.outcome {
    case .unreadable: unreadable.increment()
    case .toHumans: toHumans.increment()
    case .confident: confident.increment()
    }
    scoringTime.record(.nanoseconds(Int64(seconds * 1e9)))
  }

  public func written(added: Int, alreadyScored already: Int) {
    stored.increment(by: Int64(added))
    alreadyScored.increment(by: Int64(already))
  }

  public func leasesRenewed(_ count: Int) { renewals.increment(by: Int64(count)) }
  public func leasesInHand(_ count: Int) { inHand.set(to: Double(count)) }

  /// The exposition text (`GET /metrics`), with the store's retries brought up to date first.
  public func text() -> String {
    let now = retriesOfStore()
    let delta = retriesSeen.withLock { seen in
      defer { seen = max(seen, now) }
      return max(0, now - seen)
    }
    if delta > 0 { storeRetries.increment(by: Int64(delta)) }
    return registry.emitToString()
  }
}
