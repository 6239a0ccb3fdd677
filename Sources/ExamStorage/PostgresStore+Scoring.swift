import ExamCore
import Foundation
import PostgresNIO

/// A claimed scoring job with the recording it is about.
public struct ScoringJob: Sendable {
  public var job: ClaimedJob
  public var recording: StoredRecording
}

extension PostgresStore {
  static let scoringKind = "score"

  /// Publishes answers for scoring (`exam score publish`): their exams, the recordings (ids of the office's
  /// SQLite store), the model, and one `score` job per recording that has no machine score — one transaction with
  /// the audit line; publishing the same answers again adds nothing. Returns how many jobs were added.
  @discardableResult
  public func publishForScoring(
    exams: [ExamDefinition], recordings: [StoredRecording],
    model: (version: String, json: String), audit: AuditEntry
  ) async throws(ExamError) -> Int {
    let examRows = try exams.map { e throws(ExamError) in
      do { return (e.id, e.packSha256, String(decoding: try ExamDatabase.encoder.encode(e), as: UTF8.self)) } catch {
        throw ExamError(
          .invalidInput, location: "exam \(e.id)", "cannot encode the exam definition", underlying: "\(error)")
      }
    }
    let ids = recordings.map { $0.id ?? 0 }
    let added: Int = try await retrying("publish answers for scoring", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        for (id, sha, json) in examRows {
          var stored: String? = nil
          try await connection.query(
            """
            INSERT INTO exam (id, pack_sha256, definition_json) VALUES (\(id), \(sha), \(json)) ON CONFLICT (id) DO NOTHING
            """, logger: logger)
          for try await s in try await connection.query("SELECT pack_sha256 FROM exam WHERE id = \(id)", logger: logger)
            .decode(String.self)
          { stored = s }
          if stored != sha {
            throw ExamError(
              .conflict, location: "exam \(id)",
              "the PostgreSQL store holds a different pack (sha256 \(stored?.prefix(12) ?? "")…) under this exam id",
              fix: "publish from the office store the workers' queue was made from, or use a fresh database")
          }
        }
        try await connection.query(
          """
          INSERT INTO scoring_model (version, json, stored_at) VALUES (\(model.version), \(model.json), \(audit.at))
          ON CONFLICT (version) DO NOTHING
          """, logger: logger)
        try await connection.query(
          """
          INSERT INTO recording (id, exam_id, candidate_id, item_id, version, stored_sha256, duration_seconds, centre_id, batch_id)
          SELECT * FROM unnest(\(ids)::bigint[], \(recordings.map(\.examId))::text[], \(recordings.map(\.candidateId))::text[],
            \(recordings.map(\.itemId))::text[], \(recordings.map(\.version))::integer[], \(recordings.map(\.storedSha256))::text[],
            \(recordings.map(\.durationSeconds))::float8[], \(recordings.map(\.centreId))::text[], \(recordings.map(\.batchId))::text[])
          ON CONFLICT (id) DO NOTHING
          """, logger: logger)
        var count = 0
        for try await n in try await connection.query(
          """
          WITH added AS (
            INSERT INTO job (kind, key, payload, release)
            SELECT \(Self.scoringKind), k::text, json_build_object('recordingId', k, 'model', \(model.version))::text,
              \(ExamKitRelease.version)
            FROM unnest(\(ids)::bigint[]) AS t(k)
            WHERE NOT EXISTS (SELECT 1 FROM machine_score m WHERE m.recording_id = k)
            ON CONFLICT (kind, key) DO NOTHING RETURNING 1)
          SELECT COUNT(*) FROM added
          """, logger: logger
        ).decode(Int.self) { count = n }
        if count > 0 {
          try await Self.appendAudit(audit, on: connection, logger: logger)
          try await connection.query(
            "SELECT pg_notify(\(Self.notificationChannel), \(Self.scoringKind))", logger: logger)
        }
        return count
      }
    }
    return added
  }

  /// The recordings of claimed scoring jobs (a job whose recording is missing is left out).
  public func scoringJobs(_ jobs: [ClaimedJob]) async throws(ExamError) -> [ScoringJob] {
    let byId = Dictionary(jobs.compactMap { j in Int64(j.key).map { ($0, j) } }, uniquingKeysWith: { a, _ in a })
    let ids = Array(byId.keys)
    return try await retrying("read the claimed recordings") { [self] in
      var out: [ScoringJob] = []
      let rows = try await client.query(
        """
        SELECT id, exam_id, candidate_id, item_id, version, stored_sha256, duration_seconds, centre_id, batch_id
        FROM recording WHERE id = ANY(\(ids)) ORDER BY id
        """, logger: logger)
      for try await (id, exam, candidate, item, version, sha, duration, centre, batch)
        in rows.decode((Int64, String, String, String, Int, String, Double, String, String).self)
      {
        guard let job = byId[id] else { continue }
        out.append(
          ScoringJob(
            job: job,
            recording: StoredRecording(
              id: id, examId: exam, candidateId: candidate,
              itemId: item, version: version, originalSha256: "", originalName: "", storedSha256: sha,
              durationSeconds: duration, originalSampleRate: 16_000, originalChannels: 1, originalFormat: "FLAC",
              centreId: centre, recordedAt: "", ingestedAt: "", batchId: batch)))
      }
      return out
    }
  }

  /// An exam published for scoring.
  public func exam(id: String) async throws(ExamError) -> ExamDefinition {
    let json: String? = try await retrying("read exam \(id)") { [self] in
      var json: String? = nil
      for try await j in try await client.query("SELECT definition_json FROM exam WHERE id = \(id)", logger: logger)
        .decode(String.self)
      { json = j }
      return json
    }
    guard let json else {
      throw ExamError(
        .notFound, location: "exam \(id)", "this exam is not published to the PostgreSQL store",
        fix: "run `exam score publish --from STORE.sqlite --db URL`")
    }
    do { return try ExamDatabase.decoder.decode(ExamDefinition.self, from: Data(json.utf8)) } catch {
      throw ExamError(
        .corrupt, location: "exam \(id)", "the stored exam definition cannot be read", underlying: "\(error)")
    }
  }

  /// The JSON of a published scoring model (the last one stored when `version` is nil).
  public func scoringModelJSON(version: String? = nil) async throws(ExamError) -> String? {
    try await retrying("read the scoring model") { [self] in
      var json: String? = nil
      let query: PostgresQuery =
        if let version { "SELECT json FROM scoring_model WHERE version = \(version)" } else {
          "SELECT json FROM scoring_model ORDER BY stored_at DESC, version DESC LIMIT 1"
        }
      for try await j in try await client.query(query, logger: logger).decode(String.self) { json = j }
      return json
    }
  }

  static func appendAudit(_ entry: AuditEntry, on connection: PostgresConnection, logger: Logger) async throws {
    try await connection.query(
      """
      INSERT INTO audit (at, operator, command, arguments, summary)
      VALUES (\(entry.at), \(entry.operator), \(entry.command), \(entry.arguments), \(entry.summary))
      """, logger: logger)
  }
}
