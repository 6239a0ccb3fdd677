import ExamCore
import PostgresNIO

/// `AnswerStore` on PostgreSQL: the same behaviour as `ExamDatabase`'s methods of the same names.
extension PostgresStore: AnswerStore {
  public func beginIngestBatch(
    id: String, examId: String, centreId: String, sessionId: String?, source: String, at: String, audit: AuditEntry
  ) async throws -> IngestBatchState {
    try await retrying("start a run of batch \(id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        // One run of a batch begins at a time: two workers taking one batch at once both begin, one after the other
        // (without the lock both would find no row, and the second INSERT would fail on the batch's key).
        try await connection.query("SELECT pg_advisory_xact_lock(7270003, hashtext(\(id)))", logger: logger)
        var state = IngestBatchState(previousRuns: 0, finishedBefore: false)
        for try await (runs, firstFinished) in try await connection.query(
          "SELECT runs, first_finished_at FROM ingest_batch WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((Int, String?).self) {
          state = IngestBatchState(previousRuns: runs, finishedBefore: firstFinished != nil)
        }
        if state.previousRuns == 0 {
          try await connection.query(
            """
            INSERT INTO ingest_batch (id, exam_id, centre_id, session_id, source, runs, started_at)
            VALUES (\(id), \(examId), \(centreId), \(sessionId), \(source), 1, \(at))
            """, logger: logger)
        } else {
          try await connection.query(
            """
            UPDATE ingest_batch SET runs = runs + 1, started_at = \(at), finished_at = NULL, source = \(source)
            WHERE id = \(id)
            """, logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return state
      }
    }
  }

  public func finishIngestBatch(
    id: String, at: String, reportJSON: String, quarantine: [QuarantineRecord], audit: AuditEntry
  ) async throws {
    // The last of several rows for one (file, reason) wins, as SQLite's INSERT OR REPLACE does.
    var rows: [String: QuarantineRecord] = [:]
    for q in quarantine { rows[q.file + "\u{1}" + q.reason] = q }
    let q = Array(rows.values)
    try await retrying("finish batch \(id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query(
          """
          UPDATE ingest_batch SET finished_at = \(at), first_finished_at = COALESCE(first_finished_at, \(at)),
            report_json = \(reportJSON)
          WHERE id = \(id)
          """, logger: logger)
        try await connection.query("DELETE FROM quarantine WHERE batch_id = \(id)", logger: logger)
        // Optional values travel as '' and -1 (a text[] or integer[] bound from Swift holds no NULL).
        try await connection.query(
          """
          INSERT INTO quarantine (batch_id, file, line, candidate_id, item_id, reason, message, quarantined_as, at)
          SELECT \(id), f, NULLIF(l, -1), NULLIF(c, ''), NULLIF(i, ''), r, m, NULLIF(k, ''), a
          FROM unnest(\(q.map(\.file))::text[], \(q.map { $0.line ?? -1 })::integer[],
            \(q.map { $0.candidateId ?? "" })::text[], \(q.map { $0.itemId ?? "" })::text[], \(q.map(\.reason))::text[],
            \(q.map(\.message))::text[], \(q.map { $0.quarantinedAs ?? "" })::text[], \(q.map(\.at))::text[])
            AS x(f, l, c, i, r, m, k, a)
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  public func ingestBatches(centreId: String?) async throws -> [IngestBatchRecord] {
    try await retrying("read the batches") { [self] in
      var out: [IngestBatchRecord] = []
      for try await (id, exam, centre, session, source, runs, started, finished, report) in try await client.query(
        """
        SELECT id, exam_id, centre_id, session_id, source, runs, started_at, finished_at, report_json FROM ingest_batch
        WHERE \(centreId == nil) OR centre_id = \(centreId ?? "")
        ORDER BY started_at COLLATE "C" DESC, id COLLATE "C"
        """, logger: logger
      ).decode((String, String, String, String?, String, Int, String, String?, String?).self) {
        out.append(
          IngestBatchRecord(
            id: id, examId: exam, centreId: centre, sessionId: session, source: source, runs: runs,
            startedAt: started, finishedAt: finished, reportJSON: report))
      }
      return out
    }
  }

  public func quarantined(batchId: String) async throws -> [QuarantineRecord] {
    try await retrying("read the refused files of batch \(batchId)") { [self] in
      var out: [QuarantineRecord] = []
      for try await (file, line, candidate, item, reason, message, kept, at) in try await client.query(
        """
        SELECT file, line, candidate_id, item_id, reason, message, quarantined_as, at FROM quarantine
        WHERE batch_id = \(batchId) ORDER BY file COLLATE "C", reason COLLATE "C"
        """, logger: logger
      ).decode((String, Int?, String?, String?, String, String, String?, String).self) {
        out.append(
          QuarantineRecord(
            batchId: batchId, file: file, line: line, candidateId: candidate, itemId: item, reason: reason,
            message: message, quarantinedAs: kept, at: at))
      }
      return out
    }
  }

  public func recordingKeys(examId: String, candidateIds: Set<String>) async throws -> Set<String> {
    Set(
      try await strings(
        "read the stored recordings",
        """
        SELECT candidate_id || '|' || item_id || '|' || original_sha256 FROM recording
        WHERE exam_id = \(examId) AND candidate_id = ANY(\(Array(candidateIds)))
        """))
  }

  public func listeningChoices(examId: String, candidateIds: Set<String>) async throws -> [String: String] {
    try await retrying("read the stored listening choices") { [self] in
      var out: [String: String] = [:]
      for try await (key, choice) in try await client.query(
        """
        SELECT candidate_id || '|' || item_id, choice FROM listening_answer
        WHERE exam_id = \(examId) AND candidate_id = ANY(\(Array(candidateIds)))
        """, logger: logger
      ).decode((String, String).self) { out[key] = choice }
      return out
    }
  }

  /// As `ExamDatabase.insertAnswers`, in bulk: the stored keys and versions of the answers concerned are read once,
  /// the new versions given here, and the recordings written by one statement. Answers of one exam are written one
  /// transaction at a time (an advisory lock), so two machines ingesting at once cannot give one version twice.
  public func insertAnswers(recordings: [StoredRecording], listening: [ListeningAnswer], audit: AuditEntry?)
    async throws -> (recordings: [StoredRecording], listeningAdded: Int)
  {
    try await retrying("store the answers") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        for exam in Set(recordings.map(\.examId) + listening.map(\.examId)).sorted() {
          try await connection.query("SELECT pg_advisory_xact_lock(7270002, hashtext(\(exam)))", logger: logger)
        }
        var stored: Set<String> = []
        var versions: [String: Int] = [:]
        for try await (exam, candidate, item, original, version) in try await connection.query(
          """
          SELECT r.exam_id, r.candidate_id, r.item_id, r.original_sha256, r.version FROM recording r
          JOIN unnest(\(recordings.map(\.examId))::text[], \(recordings.map(\.candidateId))::text[],
            \(recordings.map(\.itemId))::text[]) AS x(e, c, i)
            ON r.exam_id = x.e AND r.candidate_id = x.c AND r.item_id = x.i
          """, logger: logger
        ).decode((String, String, String, String, Int).self) {
          stored.insert([exam, candidate, item, original].joined(separator: "\u{1}"))
          let answer = [exam, candidate, item].joined(separator: "\u{1}")
          versions[answer] = max(versions[answer] ?? 0, version)
        }
        var added: [StoredRecording] = []
        for var r in recordings {
          let key = [r.examId, r.candidateId, r.itemId, r.originalSha256].joined(separator: "\u{1}")
          guard stored.insert(key).inserted else { continue }
          let answer = [r.examId, r.candidateId, r.itemId].joined(separator: "\u{1}")
          r.version = (versions[answer] ?? 0) + 1
          r.isCurrent = true
          versions[answer] = r.version
          added.append(r)
        }
        // Only the last new version of an answer is current; every earlier one stops being so.
        let lastVersion = versions
        for i in added.indices {
          added[i].isCurrent =
            lastVersion[[added[i].examId, added[i].candidateId, added[i].itemId].joined(separator: "\u{1}")]
            == added[i].version
        }
        if !added.isEmpty {
          try await connection.query(
            """
            UPDATE recording r SET is_current = false
            FROM unnest(\(added.map(\.examId))::text[], \(added.map(\.candidateId))::text[], \(added.map(\.itemId))::text[])
              AS x(e, c, i)
            WHERE r.exam_id = x.e AND r.candidate_id = x.c AND r.item_id = x.i AND r.is_current
            """, logger: logger)
          let a = added
          var ids: [String: Int64] = [:]
          for try await (id, key) in try await connection.query(
            """
            INSERT INTO recording (exam_id, candidate_id, item_id, version, is_current, original_sha256, original_name,
              stored_sha256, duration_seconds, original_sample_rate, original_channels, original_format, centre_id,
              session_id, seat_id, recorded_at, ingested_at, batch_id, flags)
            SELECT e, c, i, v, cur, o, n, s, d, sr, ch, f, ct, NULLIF(se, ''), NULLIF(st, ''), ra, ia, b, fl
            FROM unnest(\(a.map(\.examId))::text[], \(a.map(\.candidateId))::text[], \(a.map(\.itemId))::text[],
              \(a.map(\.version))::integer[], \(a.map(\.isCurrent))::boolean[], \(a.map(\.originalSha256))::text[],
              \(a.map(\.originalName))::text[], \(a.map(\.storedSha256))::text[], \(a.map(\.durationSeconds))::float8[],
              \(a.map(\.originalSampleRate))::integer[], \(a.map(\.originalChannels))::integer[],
              \(a.map(\.originalFormat))::text[], \(a.map(\.centreId))::text[], \(a.map { $0.sessionId ?? "" })::text[],
              \(a.map { $0.seatId ?? "" })::text[], \(a.map(\.recordedAt))::text[], \(a.map(\.ingestedAt))::text[],
              \(a.map(\.batchId))::text[], \(a.map { $0.flags.joined(separator: ";") })::text[])
              WITH ORDINALITY AS x(e, c, i, v, cur, o, n, s, d, sr, ch, f, ct, se, st, ra, ia, b, fl, k)
            ORDER BY k
            RETURNING id, exam_id || chr(1) || candidate_id || chr(1) || item_id || chr(1) || original_sha256
            """, logger: logger
          ).decode((Int64, String).self) { ids[key] = id }
          for i in added.indices {
            added[i].id =
              ids[
                [added[i].examId, added[i].candidateId, added[i].itemId, added[i].originalSha256]
                  .joined(separator: "\u{1}")]
          }
        }
        var listeningAdded = 0
        if !listening.isEmpty {
          let l = listening
          for try await n in try await connection.query(
            """
            WITH added AS (
              INSERT INTO listening_answer (exam_id, candidate_id, item_id, choice, answered_at, centre_id, batch_id)
              SELECT * FROM unnest(\(l.map(\.examId))::text[], \(l.map(\.candidateId))::text[], \(l.map(\.itemId))::text[],
                \(l.map(\.choice))::text[], \(l.map(\.answeredAt))::text[], \(l.map(\.centreId))::text[],
                \(l.map(\.batchId))::text[])
              ON CONFLICT (exam_id, candidate_id, item_id) DO NOTHING RETURNING 1)
            SELECT COUNT(*) FROM added
            """, logger: logger
          ).decode(Int.self) { listeningAdded = n }
        }
        if let audit, !added.isEmpty || listeningAdded > 0 {
          try await Self.appendAudit(audit, on: connection, logger: logger)
        }
        return (added, listeningAdded)
      }
    }
  }

  public func recordings(examId: String, currentOnly: Bool) async throws -> [StoredRecording] {
    try await recordings(
      "read the recordings of \(examId)",
      """
      SELECT \(unescaped: Self.recordingColumns) FROM recording
      WHERE exam_id = \(examId) AND (is_current OR NOT \(currentOnly)) ORDER BY id
      """)
  }

  /// The recordings `query` selects (with `recordingColumns`).
  func recordings(_ what: String, _ query: PostgresQuery) async throws(ExamError) -> [StoredRecording] {
    try await retrying(what) { [self] in
      var out: [StoredRecording] = []
      for try await row in try await client.query(query, logger: logger) { out.append(try Self.recording(row)) }
      return out
    }
  }

  public func listeningAnswers(examId: String) async throws -> [ListeningAnswer] {
    try await retrying("read the listening answers of \(examId)") { [self] in
      var out: [ListeningAnswer] = []
      for try await (candidate, item, choice, answered, centre, batch) in try await client.query(
        """
        SELECT candidate_id, item_id, choice, answered_at, centre_id, batch_id FROM listening_answer
        WHERE exam_id = \(examId) ORDER BY candidate_id COLLATE "C", item_id COLLATE "C"
        """, logger: logger
      ).decode((String, String, String, String, String, String).self) {
        out.append(
          ListeningAnswer(
            examId: examId, candidateId: candidate, itemId: item, choice: choice, answeredAt: answered,
            centreId: centre, batchId: batch))
      }
      return out
    }
  }
}
