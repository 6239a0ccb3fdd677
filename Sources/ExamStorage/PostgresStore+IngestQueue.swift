import ExamCore
import Foundation
import PostgresNIO

/// A centre's batch waiting on the queue for an ingest worker (`exam audio ingest --enqueue`, `--worker`): a folder
/// or .zip on the shared disk every worker mounts.
public struct IngestJob: Sendable, Codable, Equatable {
  public var path: String
  public var centreId: String
  public var sessionId: String?
  public var examId: String?
  /// The `exam serve` upload this batch is (its file in the shared store's upload folder), whose outcome the worker
  /// records on the upload with the job's completion; nil for a batch queued with `exam audio ingest --enqueue`.
  public var uploadId: String?

  public init(path: String, centreId: String, sessionId: String?, examId: String?, uploadId: String? = nil) {
    self.path = path
    self.centreId = centreId
    self.sessionId = sessionId
    self.examId = examId
    self.uploadId = uploadId
  }

  /// The queue key: one job per centre and path, so queuing a batch twice adds nothing.
  var key: String { centreId + "|" + path }
}

extension PostgresStore {
  public static let ingestKind = "ingest"

  /// Queues `batches` for the ingest workers, with the audit line, and wakes them. Returns how many were added.
  @discardableResult
  public func enqueueIngest(_ batches: [IngestJob], audit: AuditEntry) async throws(ExamError) -> Int {
    let payloads = try batches.map { b throws(ExamError) in
      do { return String(decoding: try ExamDatabase.encoder.encode(b), as: UTF8.self) } catch {
        throw ExamError(.invalidInput, location: b.path, "cannot encode the batch", underlying: "\(error)")
      }
    }
    return try await retrying("queue batches for ingest") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let added = try await Self.insertJobs(
          kind: Self.ingestKind, keys: batches.map(\.key), payloads: payloads, on: connection, logger: logger)
        if added > 0 { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return added
      }
    }
  }

  /// The batch an ingest job is about.
  public static func ingestJob(_ job: ClaimedJob) throws(ExamError) -> IngestJob {
    do { return try ExamDatabase.decoder.decode(IngestJob.self, from: Data(job.payload.utf8)) } catch {
      throw ExamError(.corrupt, location: "job \(job.id)", "the queued batch cannot be read", underlying: "\(error)")
    }
  }

  /// Marks an ingest job done and queues the scoring of its batch's current answers that have no machine score and
  /// no job yet, in one transaction with the audit line, so scoring starts as answers arrive. `batchId` is nil for
  /// a batch refused as a whole (nothing to score). The batch of an `exam serve` upload (`upload`) records its
  /// outcome — the report, or why it was refused — on the upload in the same transaction. Returns how many scoring
  /// jobs were added.
  @discardableResult
  public func completeIngest(
    _ job: ClaimedJob, batchId: String?, upload: (id: String, reportJSON: String?, errorJSON: String?)? = nil,
    by worker: QueueWorker, audit: AuditEntry
  ) async throws(ExamError) -> Int {
    try await retrying("complete the ingest of job \(job.id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        guard try await Self.markDone([job.id], by: worker, on: connection, logger: logger) > 0 else { return 0 }
        if let upload {
          try await connection.query(
            """
            UPDATE upload SET state = \(upload.errorJSON == nil ? "done" : "failed"), finished_at = \(audit.at),
              batch_id = COALESCE(\(batchId), batch_id), report_json = COALESCE(\(upload.reportJSON), report_json),
              error_json = COALESCE(\(upload.errorJSON), error_json)
            WHERE id = \(upload.id) AND state = 'ingesting'
            """, logger: logger)
        }
        var queued = 0
        if let batchId {
          var model = ""
          for try await v in try await connection.query(
            "SELECT version FROM scoring_model ORDER BY stored_at DESC, version DESC LIMIT 1", logger: logger
          ).decode(String.self) { model = v }
          queued = try await Self.queueScoring(
            examId: nil, batchId: batchId, modelVersion: model, on: connection, logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
        if queued > 0 {
          try await connection.query(
            "SELECT pg_notify(\(Self.notificationChannel), \(Self.scoringKind))", logger: logger)
        }
        return queued
      }
    }
  }

  /// Queues the scoring of every current answer of the store (of `examId`) that has no machine score and no job
  /// yet, with `model` stored — the `exam score publish` of a sitting that lives in PostgreSQL. Returns how many
  /// jobs were added.
  @discardableResult
  public func queueUnscored(examId: String?, model: (version: String, json: String), audit: AuditEntry)
    async throws(ExamError) -> Int
  {
    try await retrying("queue the unscored answers", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query(
          """
          INSERT INTO scoring_model (version, json, stored_at) VALUES (\(model.version), \(model.json), \(audit.at))
          ON CONFLICT (version) DO NOTHING
          """, logger: logger)
        let added = try await Self.queueScoring(
          examId: examId, batchId: nil, modelVersion: model.version, on: connection, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
        if added > 0 {
          try await connection.query(
            "SELECT pg_notify(\(Self.notificationChannel), \(Self.scoringKind))", logger: logger)
        }
        return added
      }
    }
  }

  /// Queues a `score` job for each current answer (of `examId`, of `batchId`, when given) that has no machine score
  /// and no job yet. Returns how many were added.
  static func queueScoring(
    examId: String?, batchId: String?, modelVersion: String, on connection: PostgresConnection, logger: Logger
  ) async throws -> Int {
    var added = 0
    for try await n in try await connection.query(
      """
      WITH added AS (
        INSERT INTO job (kind, key, payload, release)
        SELECT \(Self.scoringKind), r.id::text,
          json_build_object('recordingId', r.id, 'model', \(modelVersion))::text, \(ExamKitRelease.version)
        FROM recording r
        WHERE r.is_current AND (\(examId == nil) OR r.exam_id = \(examId ?? ""))
          AND (\(batchId == nil) OR r.batch_id = \(batchId ?? ""))
          AND NOT EXISTS (SELECT 1 FROM machine_score m WHERE m.recording_id = r.id)
        ORDER BY r.id
        ON CONFLICT (kind, key) DO NOTHING RETURNING 1)
      SELECT COUNT(*) FROM added
      """, logger: logger
    ).decode(Int.self) { added = n }
    return added
  }
}
