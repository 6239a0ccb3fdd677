import ExamCore
import Foundation
import PostgresNIO

/// Progress of the scoring queue (`exam score status`).
public struct ScoringQueueStatus: Sendable, Codable, Equatable {
  public struct Worker: Sendable, Codable, Equatable {
    public var id: String
    public var release: String
    public var completed: Int
    public var leasesHeld: Int
    /// Seconds since the worker last renewed its leases or completed work.
    public var secondsSinceSeen: Double
    public var stopped: Bool
  }
  public var total = 0
  public var done = 0
  public var ready = 0
  public var leased = 0
  /// Leases whose worker stopped renewing them: claimable again.
  public var expiredLeases = 0
  /// Jobs claimed more than once (a worker died or gave them back).
  public var retried = 0
  /// Jobs completed per second over the last minute (answers of the scoring queue, batches of the ingest queue).
  public var answersPerSecond = 0.0
  /// Seconds until the work left is done at that rate (nil when nothing is being completed).
  public var etaSeconds: Double?
  public var workers: [Worker] = []
}

extension PostgresStore {
  /// Writes the machine scores of claimed jobs and marks the jobs done, in one transaction with the audit line:
  /// each score with its machine mark (when it has points), and a confident answer's final mark. A recording already scored keeps its first score and
  /// mark (a worker whose lease expired and whose job another worker finished writes nothing), so a retry after a
  /// lost reply, or two workers on one job, never double-mark. Returns how many scores were added.
  @discardableResult
  public func completeScoring(_ jobIds: [Int64], scores: [MachineScore], by worker: QueueWorker, audit: AuditEntry)
    async throws(ExamError) -> Int
  {
    let encoded = try scores.map { s throws(ExamError) in
      do {
        return (
          String(decoding: try ExamDatabase.encoder.encode(s.features), as: UTF8.self),
          String(decoding: try ExamDatabase.encoder.encode(s.aspects), as: UTF8.self)
        )
      } catch {
        throw ExamError(
          .invalidInput, location: "recording \(s.recordingId)", "cannot encode the features", underlying: "\(error)")
      }
    }
    return try await retrying("store machine scores") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var added = 0
        for (s, json) in zip(scores, encoded) {
          var inserted = false
          for try await _ in try await connection.query(
            """
            INSERT INTO machine_score (recording_id, exam_id, candidate_id, item_id, features_json, aspects_json, points,
              confidence, needs_human, reason, model_version, scored_at)
            VALUES (\(s.recordingId), \(s.examId), \(s.candidateId), \(s.itemId), \(json.0), \(json.1), \(s.points),
              \(s.confidence), \(s.needsHuman), \(s.reason), \(s.modelVersion), \(s.scoredAt))
            ON CONFLICT (recording_id) DO NOTHING RETURNING 1
            """, logger: logger
          ).decode(Int.self) { inserted = true }
          guard inserted else { continue }
          added += 1
          guard let points = s.points else { continue }
          // A confident answer's machine mark is its final mark, as `exam score run` and `exam score collect` write.
          try await connection.query(
            """
            WITH m AS (
              INSERT INTO mark (recording_id, rater_id, kind, points, marked_at, source)
              VALUES (\(s.recordingId), 'machine', 'machine', \(points), \(s.scoredAt), \("model \(s.modelVersion)"))
              ON CONFLICT (recording_id, kind, rater_id) DO NOTHING RETURNING id)
            INSERT INTO final_mark (recording_id, exam_id, candidate_id, item_id, points, method, mark_ids, decided_at)
            SELECT \(s.recordingId), \(s.examId), \(s.candidateId), \(s.itemId), \(points), 'machine (confident)',
              m.id::text, \(s.scoredAt)
            FROM m WHERE \(s.outcome == .confident)
            ON CONFLICT (recording_id) DO NOTHING
            """, logger: logger)
        }
        _ = try await Self.markDone(jobIds, by: worker, on: connection, logger: logger)
        if added > 0 { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return added
      }
    }
  }

  /// Machine scores stored in PostgreSQL (of `examId`, or all; of every version of an answer), by recording id.
  public func allMachineScores(examId: String? = nil) async throws(ExamError) -> [MachineScore] {
    let rows: [(Int64, String, String, String, String, String, Double?, Double, Bool, String, String, String)] =
      try await retrying("read machine scores") { [self] in
        var out: [(Int64, String, String, String, String, String, Double?, Double, Bool, String, String, String)] = []
        let rows = try await client.query(
          """
          SELECT recording_id, exam_id, candidate_id, item_id, features_json, aspects_json, points, confidence,
            needs_human, reason, model_version, scored_at
          FROM machine_score WHERE \(examId == nil) OR exam_id = \(examId ?? "") ORDER BY recording_id
          """, logger: logger)
        for try await row in rows.decode(
          (Int64, String, String, String, String, String, Double?, Double, Bool, String, String, String).self)
        { out.append(row) }
        return out
      }
    do {
      return try rows.map { r in
        MachineScore(
          recordingId: r.0, examId: r.1, candidateId: r.2, itemId: r.3,
          features: try ExamDatabase.decoder.decode([String: Double].self, from: Data(r.4.utf8)),
          aspects: try ExamDatabase.decoder.decode([String: Double].self, from: Data(r.5.utf8)),
          points: r.6, confidence: r.7, needsHuman: r.8, reason: r.9, modelVersion: r.10, scoredAt: r.11)
      }
    } catch {
      throw ExamError(.corrupt, file: redactedURL, "a stored machine score cannot be read", underlying: "\(error)")
    }
  }

  /// Machine marks per recording (more than one would be a double mark; the schema refuses it).
  public func machineMarkCounts() async throws(ExamError) -> [Int64: Int] {
    try await retrying("count machine marks") { [self] in
      var out: [Int64: Int] = [:]
      for try await (id, n) in try await client.query(
        """
        SELECT recording_id, COUNT(*) FROM mark WHERE kind = 'machine' GROUP BY recording_id
        """, logger: logger
      ).decode((Int64, Int).self) { out[id] = n }
      return out
    }
  }

  /// Jobs, leases, workers, throughput and the time left of the scoring queue.
  public func scoringStatus() async throws(ExamError) -> ScoringQueueStatus {
    try await queueStatus(kind: Self.scoringKind)
  }

  /// Jobs, leases, workers, throughput and the time left of the queue of `kind` (`score`: answers; `ingest`:
  /// centres' batches).
  public func queueStatus(kind: String) async throws(ExamError) -> ScoringQueueStatus {
    try await retrying("read the queue status") { [self] in
      var s = ScoringQueueStatus()
      for try await (total, done, ready, leased, expired, retried, lastMinute) in try await client.query(
        """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'done'), COUNT(*) FILTER (WHERE state = 'ready'),
          COUNT(*) FILTER (WHERE state = 'leased'), COUNT(*) FILTER (WHERE state = 'leased' AND lease_expires_at < now()),
          COUNT(*) FILTER (WHERE attempts > 1),
          COUNT(*) FILTER (WHERE state = 'done' AND done_at > now() - interval '60 seconds')
        FROM job WHERE kind = \(kind)
        """, logger: logger
      ).decode((Int, Int, Int, Int, Int, Int, Int).self) {
        s.total = total; s.done = done; s.ready = ready; s.leased = leased; s.expiredLeases = expired;
        s.retried = retried
        s.answersPerSecond = Double(lastMinute) / 60
      }
      if s.answersPerSecond > 0 { s.etaSeconds = Double(s.total - s.done) / s.answersPerSecond }
      for try await (id, release, completed, held, since, stopped) in try await client.query(
        """
        SELECT w.id, w.release, w.completed,
          (SELECT COUNT(*) FROM job j WHERE j.leased_by = w.id AND j.state = 'leased'),
          EXTRACT(EPOCH FROM now() - w.seen_at)::float8, w.stopped_at IS NOT NULL
        FROM worker w WHERE w.kind = \(kind) ORDER BY w.started_at, w.id
        """, logger: logger
      ).decode((String, String, Int, Int, Double, Bool).self) {
        s.workers.append(
          .init(
            id: id, release: release, completed: completed, leasesHeld: held,
            secondsSinceSeen: since, stopped: stopped))
      }
      return s
    }
  }
}
