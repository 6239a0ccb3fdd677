import ExamCore
import Foundation
import PostgresNIO

/// A claimed scoring job with the recording it is about.
public struct ScoringJob: Sendable {
  public var job: ClaimedJob
  public var recording: StoredRecording
}

extension PostgresStore {
  public static let scoringKind = "score"

  /// Publishes answers for scoring (`exam score publish`): their exams (with sections and items), their candidates,
  /// the recordings (with the ids of the office's SQLite store), the model, and one `score` job per recording that
  /// has no machine score — one transaction with the audit line; publishing the same answers again adds nothing
  /// (a candidate whose roster row changed is brought up to date). Returns how many jobs were added.
  @discardableResult
  public func publishForScoring(
    exams: [ExamDefinition], candidates: [Candidate], recordings: [StoredRecording],
    model: (version: String, json: String), audit: AuditEntry
  ) async throws(ExamError) -> Int {
    let examRows = try exams.map { e throws(ExamError) in try ExamRows(e) }
    let ids = recordings.map { $0.id ?? 0 }
    let added: Int = try await retrying("publish answers for scoring", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        for rows in examRows {
          if let stored = try await Self.insertExam(rows, at: audit.at, on: connection, logger: logger),
            stored != rows.exam.packSha256
          {
            throw ExamError(
              .conflict, location: "exam \(rows.exam.id)",
              "the PostgreSQL store holds a different pack (sha256 \(stored.prefix(12))…) under this exam id",
              fix: "publish from the office store the workers' queue was made from, or use a fresh database")
          }
        }
        try await Self.upsertCandidates(candidates, on: connection, logger: logger)
        try await connection.query(
          """
          INSERT INTO scoring_model (version, json, stored_at) VALUES (\(model.version), \(model.json), \(audit.at))
          ON CONFLICT (version) DO NOTHING
          """, logger: logger)
        let r = recordings
        try await connection.query(
          """
          INSERT INTO recording (id, exam_id, candidate_id, item_id, version, is_current, original_sha256, original_name,
            stored_sha256, duration_seconds, original_sample_rate, original_channels, original_format, centre_id,
            session_id, seat_id, recorded_at, ingested_at, batch_id, flags)
          SELECT * FROM unnest(\(ids)::bigint[], \(r.map(\.examId))::text[], \(r.map(\.candidateId))::text[],
            \(r.map(\.itemId))::text[], \(r.map(\.version))::integer[], \(r.map(\.isCurrent))::boolean[],
            \(r.map(\.originalSha256))::text[], \(r.map(\.originalName))::text[], \(r.map(\.storedSha256))::text[],
            \(r.map(\.durationSeconds))::float8[], \(r.map(\.originalSampleRate))::integer[],
            \(r.map(\.originalChannels))::integer[], \(r.map(\.originalFormat))::text[], \(r.map(\.centreId))::text[],
            \(r.map { $0.sessionId ?? "" })::text[], \(r.map { $0.seatId ?? "" })::text[],
            \(r.map(\.recordedAt))::text[], \(r.map(\.ingestedAt))::text[], \(r.map(\.batchId))::text[],
            \(r.map { $0.flags.joined(separator: ";") })::text[])
          ON CONFLICT (id) DO NOTHING
          """, logger: logger)
        // An id taken by another recording (one ingested into this database directly) would score the wrong answer.
        for try await (id, candidate) in try await connection.query(
          """
          SELECT r.id, r.candidate_id FROM recording r
          JOIN unnest(\(ids)::bigint[], \(r.map(\.storedSha256))::text[], \(r.map(\.candidateId))::text[]) AS x(id, sha, candidate)
            ON r.id = x.id AND (r.stored_sha256 <> x.sha OR r.candidate_id <> x.candidate)
          LIMIT 1
          """, logger: logger
        ).decode((Int64, String).self) {
          throw ExamError(
            .conflict, location: "recording \(id)",
            "this database holds another recording (of candidate \(candidate)) under the id of one being published",
            fix: "publish into a database of its own: one that only `exam score publish` fills")
        }
        // unnest has no NULL in a text[] bound from Swift: the empty session and seat are NULL, as in SQLite.
        try await connection.query(
          """
          UPDATE recording SET session_id = NULLIF(session_id, ''), seat_id = NULLIF(seat_id, '')
          WHERE id = ANY(\(ids)) AND (session_id = '' OR seat_id = '')
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

  /// Inserts an exam with its sections and items unless one is stored under its id. - Returns: nil when it was
  /// inserted, else the stored exam's pack digest.
  static func insertExam(_ rows: ExamRows, at importedAt: String, on connection: PostgresConnection, logger: Logger)
    async throws -> String?
  {
    let e = rows.exam
    var inserted = false
    for try await _ in try await connection.query(
      """
      INSERT INTO exam (id, title, pack_sha256, form_count, total_points, definition_json, imported_at)
      VALUES (\(e.id), \(e.title), \(e.packSha256), \(e.formCount), \(e.totalPoints), \(rows.definitionJSON), \(importedAt))
      ON CONFLICT (id) DO NOTHING RETURNING 1
      """, logger: logger
    ).decode(Int.self) { inserted = true }
    guard inserted else {
      var stored = ""
      for try await s in try await connection.query("SELECT pack_sha256 FROM exam WHERE id = \(e.id)", logger: logger)
        .decode(String.self)
      { stored = s }
      return stored
    }
    for s in rows.sections {
      try await connection.query(
        """
        INSERT INTO section (exam_id, id, position, title, part, points)
        VALUES (\(e.id), \(s.id), \(s.position), \(s.title), \(s.part), \(s.points))
        """, logger: logger)
    }
    for i in rows.items {
      try await connection.query(
        """
        INSERT INTO item (exam_id, id, section_id, position, type, points, prompt_text, reference_text,
          reference_audio_sha256, answer_key, prompt_seconds, min_answer_seconds, max_answer_seconds, rubric_json)
        VALUES (\(e.id), \(i.id), \(i.sectionId), \(i.position), \(i.type), \(i.points), \(i.promptText),
          \(i.referenceText), \(i.referenceAudioSha256), \(i.answerKey), \(i.promptSeconds), \(i.minAnswerSeconds),
          \(i.maxAnswerSeconds), \(i.rubricJSON))
        """, logger: logger)
    }
    return nil
  }

  /// The recordings of claimed scoring jobs (a job whose recording is missing is left out).
  public func scoringJobs(_ jobs: [ClaimedJob]) async throws(ExamError) -> [ScoringJob] {
    let byId = Dictionary(jobs.compactMap { j in Int64(j.key).map { ($0, j) } }, uniquingKeysWith: { a, _ in a })
    let ids = Array(byId.keys)
    return try await retrying("read the claimed recordings") { [self] in
      var out: [ScoringJob] = []
      for try await row in try await client.query(
        "SELECT \(unescaped: Self.recordingColumns) FROM recording WHERE id = ANY(\(ids)) ORDER BY id", logger: logger)
      {
        let recording = try Self.recording(row)
        guard let id = recording.id, let job = byId[id] else { continue }
        out.append(ScoringJob(job: job, recording: recording))
      }
      return out
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

  static let recordingColumns = """
    id, exam_id, candidate_id, item_id, version, is_current, original_sha256, original_name, stored_sha256,
    duration_seconds, original_sample_rate, original_channels, original_format, centre_id, session_id, seat_id,
    recorded_at, ingested_at, batch_id, flags
    """

  /// A `recording` row selected with `recordingColumns`.
  static func recording(_ row: PostgresRow) throws -> StoredRecording {
    let c = row.makeRandomAccess()
    let flags = try c[19].decode(String.self)
    return StoredRecording(
      id: try c[0].decode(Int64.self), examId: try c[1].decode(String.self), candidateId: try c[2].decode(String.self),
      itemId: try c[3].decode(String.self), version: try c[4].decode(Int.self), isCurrent: try c[5].decode(Bool.self),
      originalSha256: try c[6].decode(String.self), originalName: try c[7].decode(String.self),
      storedSha256: try c[8].decode(String.self), durationSeconds: try c[9].decode(Double.self),
      originalSampleRate: try c[10].decode(Int.self), originalChannels: try c[11].decode(Int.self),
      originalFormat: try c[12].decode(String.self), centreId: try c[13].decode(String.self),
      sessionId: try c[14].decode(String?.self), seatId: try c[15].decode(String?.self),
      recordedAt: try c[16].decode(String.self), ingestedAt: try c[17].decode(String.self),
      batchId: try c[18].decode(String.self), flags: flags.split(separator: ";").map(String.init))
  }

  static func appendAudit(_ entry: AuditEntry, on connection: PostgresConnection, logger: Logger) async throws {
    try await connection.query(
      """
      INSERT INTO audit (at, operator, command, arguments, summary, account)
      VALUES (\(entry.at), \(entry.operator), \(entry.command), \(entry.arguments), \(entry.summary), \(entry.account))
      """, logger: logger)
  }
}
