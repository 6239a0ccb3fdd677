import Prometheus

/// swift-prometheus' registry, by whole metric names (`examkit_…`, unit suffix included) and help texts: the
/// descriptor-based calls, which swift-prometheus 2.x asks for, without splitting each name into its parts.
extension PrometheusCollectorRegistry {
  static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
  }

  func counter(_ name: String, labels: [(String, String)] = [], help: String) -> Counter {
    makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
  }

  func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
    makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
  }

  /// `bucketsSeconds`: the histogram's upper bounds, in seconds.
  func durationHistogram(
    _ name: String, labels: [(String, String)] = [], bucketsSeconds: [Double], help: String
  ) -> DurationHistogram {
    makeDurationHistogram(
      descriptor: Self.descriptor(name, help), labels: labels,
      buckets: bucketsSeconds.map { .nanoseconds(Int64($0 * 1e9)) })
  }
}
