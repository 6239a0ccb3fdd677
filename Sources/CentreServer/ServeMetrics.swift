import Hummingbird
import Ingest
import Prometheus

/// The metrics of one `exam serve` process in Prometheus' text format (swift-prometheus), served by
/// `MetricsEndpoint` on `exam serve --metrics-listen`, apart from the public port: requests by route and status
/// with their durations, upload bytes taken, batches ingested or refused, recordings added or refused, ingest
/// durations, and the ingests running now.
public final class ServeMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  let uploadBytes: Counter
  let ingestTime: DurationHistogram
  let ingestsRunning: Gauge
  let recordingsAdded: Counter
  let recordingsAlreadyStored: Counter
  let recordingsRefused: Counter

  public init() {
    uploadBytes = registry.counter(
      "examkit_serve_upload_bytes_total", help: "Upload bytes written and acknowledged (tus PATCH bodies).")
    ingestTime = registry.durationHistogram(
      "examkit_serve_ingest_seconds", bucketsSeconds: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      help: "Time to ingest one finished upload (unpack, check, convert and store its recordings).")
    ingestsRunning = registry.gauge("examkit_serve_ingests_running", help: "Batches being ingested now.")
    let recordings = "Recordings of ingested batches, by outcome."
    recordingsAdded = registry.counter(
      "examkit_serve_recordings_total", labels: [("outcome", "added")], help: recordings)
    recordingsAlreadyStored = registry.counter(
      "examkit_serve_recordings_total", labels: [("outcome", "already_stored")], help: recordings)
    recordingsRefused = registry.counter(
      "examkit_serve_recordings_total", labels: [("outcome", "refused")], help: recordings)
  }

  /// One HTTP request answered: `route` is the router's pattern (`/uploads/{id}`), never the path itself, so the
  /// series stay few.
  func request(route: String, method: String, status: Int, seconds: Double) {
    registry.counter(
      "examkit_serve_requests_total", labels: [("route", route), ("method", method), ("status", "\(status)")],
      help: "HTTP requests answered, by route pattern, method and status."
    ).increment()
    registry.durationHistogram(
      "examkit_serve_request_seconds", labels: [("route", route)],
      bucketsSeconds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      help: "Time to answer an HTTP request, by route pattern."
    ).record(.nanoseconds(Int64(seconds * 1e9)))
  }

  func uploaded(bytes: Int64) { uploadBytes.increment(by: bytes) }

  func ingestStarted() { ingestsRunning.increment() }

  /// A batch ended: ingested with `report`, or refused as a whole (report nil, `outcome` "refused") or left queued
  /// after a store or disk failure ("failed").
  func ingestEnded(outcome: String, report: IngestReport?, seconds: Double) {
    ingestsRunning.decrement()
    registry.counter(
      "examkit_serve_batches_total", labels: [("outcome", outcome)],
      help: "Finished uploads by what became of them: ingested, refused as a whole, failed (left queued)."
    ).increment()
    ingestTime.record(.nanoseconds(Int64(seconds * 1e9)))
    if let report {
      recordingsAdded.increment(by: Int64(report.added.count))
      recordingsAlreadyStored.increment(by: Int64(report.alreadyStored.count))
      recordingsRefused.increment(by: Int64(report.refusedCount))
    }
  }

  /// The exposition text (`GET /metrics`).
  public func text() -> String { registry.emitToString() }
}

/// Counts and times every request of `exam serve` into `ServeMetrics`.
struct MetricsMiddleware: RouterMiddleware {
  typealias Context = ServerRequestContext
  let metrics: ServeMetrics

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let started = ContinuousClock.now
    func record(_ status: Int) {
      metrics.request(
        route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
        seconds: (ContinuousClock.now - started).inSeconds)
    }
    do {
      let response = try await next(request, context)
      record(response.status.code)
      return response
    } catch let error as any HTTPResponseError {
      record(error.status.code)
      throw error
    } catch {
      record(500)
      throw error
    }
  }
}
