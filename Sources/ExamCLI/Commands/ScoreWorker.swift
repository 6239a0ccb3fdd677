import ArgumentParser
import CentreServer
import Dispatch
import ExamCore
import ExamStorage
import Scoring

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The options of `exam score run --worker` and the worker's run.
struct WorkerOptions: ParsableArguments {
  @Flag(help: "Claim published answers from the PostgreSQL queue given by --db (one of many workers).")
  var worker = false
  @Option(help: "Seconds a claimed answer stays this worker's without a heartbeat (default 60).")
  var leaseSeconds = 60.0
  @Option(help: "Answers claimed and written back at a time (default 8).")
  var claimBatch = 8
  @Flag(help: "Exit when no published answer is left instead of waiting for more.")
  var untilEmpty = false
  @Option(help: "Seconds a database call may go unanswered before it is dropped and retried (default 60).")
  var callTimeoutSeconds = 60.0
  @Option(
    help: ArgumentHelp(
      "Serve Prometheus metrics on GET /metrics at HOST:PORT (PORT alone: 127.0.0.1).", valueName: "host:port"))
  var metricsListen: ListenAddress?
  /// Crash-test hook (hidden): SIGKILL the worker once this many batches are written and the next is claimed.
  @Option(help: .hidden) var killAfterBatches: Int?

  func validate() throws {
    if leaseSeconds < 1 { throw ValidationError("'--lease-seconds' must be at least 1 (got \(leaseSeconds)).") }
    if claimBatch < 1 { throw ValidationError("'--claim-batch' must be at least 1 (got \(claimBatch)).") }
    if !(callTimeoutSeconds >= 1) {
      throw ValidationError("'--call-timeout-seconds' must be at least 1 (got \(callTimeoutSeconds)).")
    }
  }

  func run(context: CommandContext, jobs: Int, minConfidence: Double, extractor: any FeatureExtractor, json: Bool)
    async throws
  {
    let root = context.contentStore.root
    guard access(root, F_OK) == 0 else {
      throw ExamError(
        .notFound, file: root, "the shared content store is not here",
        fix: "mount the office's store/ folder on this machine and pass it with --store (docs/scale-out.md)")
    }
    // A worker outlives a database restart, also one that lands while it starts (a wrong password still ends it).
    let postgres = try await PostgresStore.connect(
      url: context.databasePath, callTimeoutSeconds: callTimeoutSeconds, waitForServerSeconds: 120)
    do {
      guard let modelJSON = try await postgres.scoringModelJSON() else {
        throw ExamError(
          .state, file: postgres.redactedURL, "no scoring model is published",
          fix: "run `exam score publish --from STORE.sqlite --model MODEL.json --db URL` first")
      }
      let model = try ScoringModel.decode(modelJSON, source: "the published scoring model")
      var runner = QueueScoringWorker(
        store: postgres,
        scorer: RecordingScorer(
          contentStore: ContentStore(root: root),
          scorer: AnswerScorer(model: model, estimator: ConfidenceEstimator(threshold: minConfidence)),
          extractor: extractor), jobs: jobs)
      runner.claimBatch = claimBatch
      runner.leaseSeconds = leaseSeconds
      runner.untilEmpty = untilEmpty
      runner.killAfterBatches = killAfterBatches
      let signals = Self.stopOnSignals(runner.stopFlag)
      defer { signals.forEach { $0.cancel() } }
      let quiet = context.quiet
      let metrics = try await startMetrics(worker: runner.worker.id, store: postgres, quiet: quiet)
      defer { metrics?.server.cancel() }
      runner.observer = metrics?.observer
      if !quiet { ProgressReporter.writeError("worker \(runner.worker.id): scoring with model \(model.version)\n") }
      let summary = try await runner.run(progress: { s in
        if !quiet { ProgressReporter.writeError("worker \(s.worker): \(s.scored) scored\n") }
      }) { count in context.audit("worker scored \(count) answer(s) with model \(model.version)") }
      await postgres.close()
      if json {
        print(JSONOutput.string(summary))
      } else {
        print(
          "worker \(summary.worker) scored \(summary.scored) answer(s): \(summary.confident) confident,"
            + " \(summary.toHumans) to human marking, \(summary.failed) unreadable; \(summary.alreadyScored) already scored"
            + " by another worker; \(summary.leasesReturned) lease(s) given back")
      }
    } catch {
      await postgres.close()
      throw error
    }
  }

  /// With `--metrics-listen`: the worker's metrics and the task serving them, once it listens (its port printed).
  func startMetrics(worker: String, store: PostgresStore, quiet: Bool) async throws
    -> (observer: WorkerMetrics, server: Task<Void, any Error>)?
  {
    guard let metricsListen else { return nil }
    let metrics = WorkerMetrics(worker: worker, retriesOfStore: { store.retriesSoFar })
    let (server, bound) = try await MetricsEndpoint(
      host: metricsListen.host, port: metricsListen.port, text: { metrics.text() }
    ).start()
    if !quiet {
      ProgressReporter.writeError("worker \(worker): metrics on http://\(metricsListen.host):\(bound)/metrics\n")
    }
    return (metrics, server)
  }

  /// SIGTERM and SIGINT set `flag` (the worker then finishes what it holds and gives back its leases).
  static func stopOnSignals(_ flag: StopFlag) -> [any DispatchSourceSignal] {
    [SIGTERM, SIGINT].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { flag.set() }
      source.resume()
      return source
    }
  }
}
