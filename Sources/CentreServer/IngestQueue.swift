import ExamCore
import ExamStorage
import Foundation
import Ingest
import Logging
import ServiceLifecycle
import Synchronization

/// Set once, when a graceful shutdown starts.
final class ShutdownFlag: Sendable {
  private let value = Mutex(false)
  var isSet: Bool { value.withLock { $0 } }
  func set() { value.withLock { $0 = true } }
}

/// Runs the ingest of finished uploads — the same `AudioIngester.ingest` call as `exam audio ingest`, with the
/// upload's centre and session — at most `concurrentIngests` at a time, and drops expired unfinished uploads.
/// With `workers` (a PostgreSQL store, `exam serve --ingest-workers`), it hands each finished upload to the ingest
/// workers' queue instead (`exam audio ingest --worker`, on any number of machines), which record its outcome.
///
/// A `Service`: on start it queues the uploads a previous process left complete but not ingested (ingest is
/// exactly-once, so a run cut by a crash is simply run again; of two servers that both ran it, the first to finish
/// records the outcome); on graceful shutdown it starts nothing new, lets the ingests in flight finish, and leaves
/// the rest queued in the store for the next start.
final class IngestQueue: Service, Sendable {
  let database: any ServerStore
  /// The PostgreSQL queue finished uploads go to, when the ingest workers take them.
  let workers: PostgresStore?
  let configuration: ServerConfiguration
  let logger: Logger
  let shutdown: ShutdownFlag
  let metrics: ServeMetrics?
  /// Ingests run here, off the threads that serve HTTP.
  private let executor = IngestExecutor()
  private let stream: AsyncStream<String>
  private let continuation: AsyncStream<String>.Continuation

  init(
    database: any ServerStore, configuration: ServerConfiguration, logger: Logger, shutdown: ShutdownFlag,
    metrics: ServeMetrics? = nil, workers: PostgresStore? = nil
  ) {
    self.metrics = metrics
    self.database = database
    self.workers = workers
    self.configuration = configuration
    self.logger = logger
    self.shutdown = shutdown
    (stream, continuation) = AsyncStream.makeStream(of: String.self)
  }

  /// Ingests the finished `upload` here, or hands it to the ingest workers' queue. A hand-off that fails leaves the
  /// upload `ingesting`: the next start queues it again.
  func enqueue(_ upload: UploadRecord) async {
    guard let workers else {
      continuation.yield(upload.id)
      return
    }
    let job = IngestJob(
      path: URL(fileURLWithPath: configuration.uploadPath(upload.id)).standardizedFileURL.path,
      centreId: upload.centreId, sessionId: upload.sessionId,
      examId: configuration.examId, uploadId: upload.id)
    do {
      try await workers.enqueueIngest(
        [job],
        audit: AuditEntry(
          at: Timestamp.now(), operator: "centre \(upload.centreId) (token \(upload.tokenId))", command: "serve",
          arguments: "queue upload \(upload.id)", summary: "upload \(upload.id) queued for the ingest workers"))
    } catch {
      logger.error(
        "could not queue the upload for the ingest workers; it is queued again at the next start",
        metadata: ["upload": "\(upload.id)", "error": "\(error)"])
    }
  }

  func run() async throws {
    for upload in try await database.uploads(centreId: nil, states: [.ingesting]) { await enqueue(upload) }
    try await withGracefulShutdownHandler {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await self.sweepExpired() }
        var running = 0
        for await id in stream {
          if shutdown.isSet { break }
          if running >= max(1, configuration.limits.concurrentIngests) {
            _ = try await group.next()
            running -= 1
          }
          group.addTask(executorPreference: executor) { await self.ingest(id) }
          running += 1
        }
        // the sweeper stops on the shutdown flag; ingests in flight are not cancelled but waited for
        while !group.isEmpty { _ = try? await group.next() }
      }
    } onGracefulShutdown: {
      self.shutdown.set()
      self.continuation.finish()
    }
  }

  /// Ingests one finished upload and records its report (or why the batch could not be read) on the upload row.
  func ingest(_ id: String) async {
    guard let upload = try? await database.upload(id: id), upload.state == .ingesting else { return }
    let path = configuration.uploadPath(id)
    let actor =
      (try? await database.accessTokens().first { $0.id == upload.tokenId }?.actor) ?? "centre \(upload.centreId)"
    let request = IngestRequest(
      path: path, centreId: upload.centreId, sessionId: upload.sessionId, examId: configuration.examId,
      jobs: configuration.limits.ingestJobs, store: configuration.contentStore,
      quarantineRoot: configuration.quarantineRoot,
      zipLimits: configuration.zipLimits, operatorName: actor, arguments: ["upload", id, upload.fileName])
    let started = ContinuousClock.now
    metrics?.ingestStarted()
    func ended(_ outcome: String, _ report: IngestReport? = nil) {
      metrics?.ingestEnded(outcome: outcome, report: report, seconds: (ContinuousClock.now - started).inSeconds)
    }
    do {
      let report = try await AudioIngester(database: database).ingest(request)
      _ = try await database.finishUpload(
        id: id, to: .done, at: Timestamp.now(), batchId: report.batchId, reportJSON: report.json, errorJSON: nil,
        audit: AuditEntry(
          at: Timestamp.now(), operator: actor, command: "serve", arguments: "ingest upload \(id)",
          summary:
            "upload \(id) ingested as batch \(report.batchId): \(report.added.count) added, \(report.refusedCount) refused"
        ))
      ended("ingested", report)
      try? FileManager.default.removeItem(atPath: path)
      logger.info(
        "ingested",
        metadata: ["upload": "\(id)", "batch": "\(report.batchId)", "seconds": "\(ContinuousClock.now - started)"])
    } catch let refusal as ExamError {
      let error = UploadRefusal.named(refusal, path: path, fileName: upload.fileName)
      let json = UploadRefusal.json(error)
      _ = try? await database.finishUpload(
        id: id, to: .failed, at: Timestamp.now(), batchId: nil, reportJSON: nil, errorJSON: json,
        audit: AuditEntry(
          at: Timestamp.now(), operator: actor, command: "serve", arguments: "ingest upload \(id)",
          summary: "upload \(id) refused as a whole: \(error)"))
      try? FileManager.default.removeItem(atPath: path)
      ended("refused")
      logger.warning("batch refused", metadata: ["upload": "\(id)", "error": "\(error)"])
    } catch {
      // the store or the disk failed: leave the upload queued for the next start, where ingest resumes exactly once
      ended("failed")
      logger.error("ingest failed; the upload stays queued", metadata: ["upload": "\(id)", "error": "\(error)"])
    }
  }

  /// Every 30 s until shutdown, drops unfinished uploads past their expiry (bytes deleted, audit line naming the centre).
  private func sweepExpired() async throws {
    while !shutdown.isSet {
      let now = Date().timeIntervalSince1970
      for upload in (try? await database.uploads(centreId: nil, states: [.receiving])) ?? [] {
        guard let expires = Timestamp.parse(upload.expiresAt), expires < now else { continue }
        try? await database.setUploadState(
          id: upload.id, to: .terminated, at: Timestamp.now(), batchId: nil, reportJSON: nil, errorJSON: nil,
          audit: AuditEntry(
            at: Timestamp.now(), operator: "centre \(upload.centreId) (token \(upload.tokenId))", command: "serve",
            arguments: "expire upload \(upload.id)",
            summary:
              "upload \(upload.id) expired after \(upload.offsetBytes) of \(upload.lengthBytes) bytes; bytes deleted"))
        try? FileManager.default.removeItem(atPath: configuration.uploadPath(upload.id))
      }
      for _ in 0..<30 where !shutdown.isSet { try await Task.sleep(for: .seconds(1)) }
    }
  }
}

/// Small JSON objects of strings, for error bodies.
enum JSONText {
  static func object(_ fields: [String: String]) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
