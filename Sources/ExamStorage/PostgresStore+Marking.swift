import ExamCore
import Foundation
import PostgresNIO

/// `MarkingStore` on PostgreSQL: the same behaviour as `ExamDatabase`'s methods of the same names, each write one
/// statement (or a few) whatever the number of rows.
extension PostgresStore: MarkingStore {
  // MARK: Scoring

  public func saveScoringModel(version: String, json: String, audit: AuditEntry) async throws {
    try await retrying("store scoring model \(version)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var added = false
        for try await _ in try await connection.query(
          """
          INSERT INTO scoring_model (version, json, stored_at) VALUES (\(version), \(json), \(audit.at))
          ON CONFLICT (version) DO NOTHING RETURNING 1
          """, logger: logger
        ).decode(Int.self) { added = true }
        if added { try await Self.appendAudit(audit, on: connection, logger: logger) }
      }
    }
  }

  public func unscoredRecordings(examId: String?, afterId: Int64, limit: Int) async throws -> [StoredRecording] {
    try await recordings(
      "read the unscored recordings",
      """
      SELECT \(unescaped: Self.recordingColumns) FROM recording r
      WHERE r.is_current AND r.id > \(afterId) AND (\(examId == nil) OR r.exam_id = \(examId ?? ""))
        AND NOT EXISTS (SELECT 1 FROM machine_score m WHERE m.recording_id = r.id)
      ORDER BY r.id LIMIT \(limit)
      """)
  }

  /// As `ExamDatabase.saveMachineScores`, in one statement: the scores, their machine marks, and the final marks of
  /// `finalRecordingIds`.
  public func saveMachineScores(_ scores: [MachineScore], finalRecordingIds: Set<Int64>, audit: AuditEntry)
    async throws -> Int
  {
    guard !scores.isEmpty else { return 0 }
    var features: [String] = []
    var aspects: [String] = []
    for s in scores {
      features.append(String(decoding: try ExamDatabase.encoder.encode(s.features), as: UTF8.self))
      aspects.append(String(decoding: try ExamDatabase.encoder.encode(s.aspects), as: UTF8.self))
    }
    let (s, f, a, finals) = (scores, features, aspects, Array(finalRecordingIds))
    return try await retrying("store \(scores.count) machine scores") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var added = 0
        for try await n in try await connection.query(
          """
          WITH s AS (
            INSERT INTO machine_score (recording_id, exam_id, candidate_id, item_id, features_json, aspects_json, points,
              confidence, needs_human, reason, model_version, scored_at)
            SELECT r, e, c, i, fe, asp, NULLIF(p, 'NaN'::float8), co, nh, re, mv, sa
            FROM unnest(\(s.map(\.recordingId))::bigint[], \(s.map(\.examId))::text[], \(s.map(\.candidateId))::text[],
              \(s.map(\.itemId))::text[], \(f)::text[], \(a)::text[], \(s.map { $0.points ?? .nan })::float8[],
              \(s.map(\.confidence))::float8[], \(s.map(\.needsHuman))::boolean[], \(s.map(\.reason))::text[],
              \(s.map(\.modelVersion))::text[], \(s.map(\.scoredAt))::text[])
              WITH ORDINALITY AS x(r, e, c, i, fe, asp, p, co, nh, re, mv, sa, k)
            ORDER BY k
            ON CONFLICT (recording_id) DO NOTHING
            RETURNING recording_id, exam_id, candidate_id, item_id, points, model_version, scored_at),
          m AS (
            INSERT INTO mark (recording_id, rater_id, kind, points, marked_at, source)
            SELECT recording_id, 'machine', 'machine', points, scored_at, 'model ' || model_version FROM s
            WHERE points IS NOT NULL ORDER BY recording_id
            ON CONFLICT (recording_id, kind, rater_id) DO NOTHING RETURNING id, recording_id),
          f AS (
            INSERT INTO final_mark (recording_id, exam_id, candidate_id, item_id, points, method, mark_ids, decided_at)
            SELECT s.recording_id, s.exam_id, s.candidate_id, s.item_id, s.points, 'machine (confident)', m.id::text,
              s.scored_at
            FROM s JOIN m ON m.recording_id = s.recording_id WHERE s.recording_id = ANY(\(finals)::bigint[])
            ON CONFLICT (recording_id) DO UPDATE SET exam_id = excluded.exam_id, candidate_id = excluded.candidate_id,
              item_id = excluded.item_id, points = excluded.points, method = excluded.method,
              mark_ids = excluded.mark_ids, decided_at = excluded.decided_at)
          SELECT COUNT(*) FROM s
          """, logger: logger
        ).decode(Int.self) { added = n }
        if added > 0 { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return added
      }
    }
  }

  public func machineScores(examId: String) async throws -> [MachineScore] {
    try await retrying("read the machine scores of \(examId)") { [self] in
      var out: [MachineScore] = []
      for try await row in try await client.query(
        """
        SELECT m.recording_id, m.exam_id, m.candidate_id, m.item_id, m.features_json, m.aspects_json, m.points,
          m.confidence, m.needs_human, m.reason, m.model_version, m.scored_at
        FROM machine_score m JOIN recording r ON r.id = m.recording_id
        WHERE m.exam_id = \(examId) AND r.is_current ORDER BY m.recording_id
        """, logger: logger)
      { out.append(try Self.machineScore(row)) }
      return out
    }
  }

  /// A `machine_score` row, its columns in table order (without `scored_by`).
  static func machineScore(_ row: PostgresRow) throws -> MachineScore {
    let c = row.makeRandomAccess()
    return MachineScore(
      recordingId: try c[0].decode(Int64.self), examId: try c[1].decode(String.self),
      candidateId: try c[2].decode(String.self), itemId: try c[3].decode(String.self),
      features: try ExamDatabase.decoder.decode([String: Double].self, from: Data(try c[4].decode(String.self).utf8)),
      aspects: try ExamDatabase.decoder.decode([String: Double].self, from: Data(try c[5].decode(String.self).utf8)),
      points: try c[6].decode(Double?.self), confidence: try c[7].decode(Double.self),
      needsHuman: try c[8].decode(Bool.self), reason: try c[9].decode(String.self),
      modelVersion: try c[10].decode(String.self), scoredAt: try c[11].decode(String.self))
  }

  public func scoringProgress(examId: String?) async throws -> (recordings: Int, scored: Int) {
    try await retrying("count the scored recordings") { [self] in
      var out = (recordings: 0, scored: 0)
      for try await (total, scored) in try await client.query(
        """
        SELECT COUNT(*), COUNT(m.recording_id) FROM recording r LEFT JOIN machine_score m ON m.recording_id = r.id
        WHERE r.is_current AND (\(examId == nil) OR r.exam_id = \(examId ?? ""))
        """, logger: logger
      ).decode((Int, Int).self) { out = (total, scored) }
      return out
    }
  }

  // MARK: Marking

  public func importRaters(_ raters: [Rater], audit: AuditEntry) async throws {
    let r = Self.lastRowOfEach(raters)
    try await retrying("import the raters") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await Self.upsertRaters(r, on: connection, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  /// The raters of a list, each id once with its last row (as one upsert after another keeps it in SQLite).
  static func lastRowOfEach(_ raters: [Rater]) -> [Rater] {
    var byId: [String: Rater] = [:]
    for r in raters { byId[r.id] = r }
    return Array(byId.values)
  }

  /// Adds `raters` (ids unique) and updates the name and school of known ones, in one statement.
  static func upsertRaters(_ r: [Rater], on connection: PostgresConnection, logger: Logger) async throws {
    try await connection.query(
      """
      INSERT INTO rater (id, name, school)
      SELECT * FROM unnest(\(r.map(\.id))::text[], \(r.map(\.name))::text[], \(r.map(\.school))::text[])
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, school = excluded.school
      """, logger: logger)
  }

  public func raters() async throws -> [Rater] {
    try await retrying("read the raters") { [self] in
      var out: [Rater] = []
      for try await (id, name, school) in try await client.query(
        "SELECT id, name, school FROM rater ORDER BY id COLLATE \"C\"", logger: logger
      ).decode((String, String, String).self) { out.append(Rater(id: id, name: name, school: school)) }
      return out
    }
  }

  public func saveAssignments(_ assignments: [MarkAssignment], audit: AuditEntry) async throws -> Int {
    guard !assignments.isEmpty else { return 0 }
    let a = assignments
    return try await retrying("store \(assignments.count) marking assignments") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var added = 0
        for try await n in try await connection.query(
          """
          WITH added AS (
            INSERT INTO mark_assignment (recording_id, rater_id, slot, assigned_at)
            SELECT r, ra, s, at FROM unnest(\(a.map(\.recordingId))::bigint[], \(a.map(\.raterId))::text[],
              \(a.map(\.slot))::integer[], \(a.map(\.assignedAt))::text[]) WITH ORDINALITY AS x(r, ra, s, at, k)
            ORDER BY k
            ON CONFLICT DO NOTHING RETURNING 1)
          SELECT COUNT(*) FROM added
          """, logger: logger
        ).decode(Int.self) { added = n }
        if added > 0 { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return added
      }
    }
  }

  public func assignments(examId: String) async throws -> [MarkAssignment] {
    try await retrying("read the marking assignments of \(examId)") { [self] in
      var out: [MarkAssignment] = []
      for try await (recording, rater, slot, at) in try await client.query(
        """
        SELECT a.recording_id, a.rater_id, a.slot, a.assigned_at FROM mark_assignment a
        JOIN recording r ON r.id = a.recording_id
        WHERE r.exam_id = \(examId) AND r.is_current ORDER BY a.recording_id, a.slot
        """, logger: logger
      ).decode((Int64, String, Int, String).self) {
        out.append(MarkAssignment(recordingId: recording, raterId: rater, slot: slot, assignedAt: at))
      }
      return out
    }
  }

  /// As `ExamDatabase.saveMarks`: the stored marks of the same answers, kinds and raters are read once and compared
  /// here, then the new marks and the final marks are written by one statement each.
  public func saveMarks(_ marks: [Mark], finals: [FinalMark], audit: AuditEntry) async throws -> Int {
    let m = marks
    return try await retrying("store \(marks.count) marks") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        func key(_ recording: Int64, _ kind: String, _ rater: String) -> String {
          "\(recording)\u{1}\(kind)\u{1}\(rater)"
        }
        var stored: [String: Double] = [:]
        if !m.isEmpty {
          for try await (recording, kind, rater, points) in try await connection.query(
            """
            SELECT k.recording_id, k.kind, k.rater_id, k.points FROM mark k
            JOIN unnest(\(m.map(\.recordingId))::bigint[], \(m.map(\.kind.rawValue))::text[], \(m.map(\.raterId))::text[])
              AS x(r, ki, ra) ON k.recording_id = x.r AND k.kind = x.ki AND k.rater_id = x.ra
            """, logger: logger
          ).decode((Int64, String, String, Double).self) { stored[key(recording, kind, rater)] = points }
        }
        var fresh: [Mark] = []
        for mark in m {
          let k = key(mark.recordingId, mark.kind.rawValue, mark.raterId)
          if let points = stored[k] {
            if abs(points - mark.points) < 1e-9 { continue }
            throw ExamError(
              .conflict, file: mark.source, location: "answer \(mark.recordingId)",
              "rater \(mark.raterId) already gave this answer \(points) points, not \(mark.points)",
              fix: "correct the file, or ask the exam office to withdraw the earlier mark")
          }
          stored[k] = mark.points
          fresh.append(mark)
        }
        var inserted: [Int64: [Int64]] = [:]
        if !fresh.isEmpty {
          let n = fresh
          for try await (id, recording) in try await connection.query(
            """
            INSERT INTO mark (recording_id, rater_id, kind, points, marked_at, source)
            SELECT r, ra, ki, p, at, so FROM unnest(\(n.map(\.recordingId))::bigint[], \(n.map(\.raterId))::text[],
              \(n.map(\.kind.rawValue))::text[], \(n.map(\.points))::float8[], \(n.map(\.markedAt))::text[],
              \(n.map(\.source))::text[]) WITH ORDINALITY AS x(r, ra, ki, p, at, so, k)
            ORDER BY k
            RETURNING id, recording_id
            """, logger: logger
          ).decode((Int64, Int64).self) { inserted[recording, default: []].append(id) }
        }
        if !finals.isEmpty {
          // The last final mark of an answer wins, as SQLite's INSERT OR REPLACE does.
          var last: [Int64: FinalMark] = [:]
          for f in finals { last[f.recordingId] = f }
          let f = Array(last.values)
          let ids = f.map { x in
            (x.markIds.isEmpty ? (inserted[x.recordingId] ?? []).sorted() : x.markIds).map(String.init)
              .joined(separator: ";")
          }
          try await connection.query(
            """
            INSERT INTO final_mark (recording_id, exam_id, candidate_id, item_id, points, method, mark_ids, decided_at)
            SELECT * FROM unnest(\(f.map(\.recordingId))::bigint[], \(f.map(\.examId))::text[],
              \(f.map(\.candidateId))::text[], \(f.map(\.itemId))::text[], \(f.map(\.points))::float8[],
              \(f.map(\.method))::text[], \(ids)::text[], \(f.map(\.decidedAt))::text[])
            ON CONFLICT (recording_id) DO UPDATE SET exam_id = excluded.exam_id, candidate_id = excluded.candidate_id,
              item_id = excluded.item_id, points = excluded.points, method = excluded.method,
              mark_ids = excluded.mark_ids, decided_at = excluded.decided_at
            """, logger: logger)
        }
        if !fresh.isEmpty || !finals.isEmpty { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return fresh.count
      }
    }
  }

  public func marks(examId: String) async throws -> [Mark] {
    try await retrying("read the marks of \(examId)") { [self] in
      var out: [Mark] = []
      for try await (id, recording, rater, kind, points, at, source) in try await client.query(
        """
        SELECT m.id, m.recording_id, m.rater_id, m.kind, m.points, m.marked_at, m.source FROM mark m
        JOIN recording r ON r.id = m.recording_id
        WHERE r.exam_id = \(examId) AND r.is_current ORDER BY m.recording_id, m.id
        """, logger: logger
      ).decode((Int64, Int64, String, String, Double, String, String).self) {
        out.append(
          Mark(
            id: id, recordingId: recording, raterId: rater, kind: Mark.Kind(rawValue: kind) ?? .human, points: points,
            markedAt: at, source: source))
      }
      return out
    }
  }

  public func finalMarks(examId: String) async throws -> [FinalMark] {
    try await retrying("read the final marks of \(examId)") { [self] in
      var out: [FinalMark] = []
      for try await (recording, exam, candidate, item, points, method, ids, at) in try await client.query(
        """
        SELECT f.recording_id, f.exam_id, f.candidate_id, f.item_id, f.points, f.method, f.mark_ids, f.decided_at
        FROM final_mark f JOIN recording r ON r.id = f.recording_id
        WHERE f.exam_id = \(examId) AND r.is_current ORDER BY f.recording_id
        """, logger: logger
      ).decode((Int64, String, String, String, Double, String, String, String).self) {
        out.append(
          FinalMark(
            recordingId: recording, examId: exam, candidateId: candidate, itemId: item, points: points, method: method,
            markIds: ids.split(separator: ";").compactMap { Int64($0) }, decidedAt: at))
      }
      return out
    }
  }

  // MARK: Results

  public func saveResults(_ results: [CandidateResult], audit: AuditEntry) async throws {
    var byKey: [String: CandidateResult] = [:]
    for r in results { byKey[r.examId + "\u{1}" + r.candidateId] = r }
    let r = Array(byKey.values)
    let sections = try r.map { String(decoding: try ExamDatabase.encoder.encode($0.sectionScores), as: UTF8.self) }
    try await retrying("store \(results.count) results") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        if !r.isEmpty {
          try await connection.query(
            """
            INSERT INTO result (exam_id, candidate_id, sitting_date, total, listening, speaking, section_scores_json,
              level, finalised_at)
            SELECT * FROM unnest(\(r.map(\.examId))::text[], \(r.map(\.candidateId))::text[],
              \(r.map(\.sittingDate))::text[], \(r.map(\.total))::float8[], \(r.map(\.listening))::float8[],
              \(r.map(\.speaking))::float8[], \(sections)::text[], \(r.map(\.level))::text[],
              \(r.map(\.finalisedAt))::text[])
            ON CONFLICT (exam_id, candidate_id) DO UPDATE SET sitting_date = excluded.sitting_date,
              total = excluded.total, listening = excluded.listening, speaking = excluded.speaking,
              section_scores_json = excluded.section_scores_json, level = excluded.level,
              finalised_at = excluded.finalised_at
            """, logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  public func results(examId: String?) async throws -> [CandidateResult] {
    let rows = try await retrying("read the results") { [self] in
      var out: [(String, String, String, Double, Double, Double, String, String, String)] = []
      for try await row in try await client.query(
        """
        SELECT exam_id, candidate_id, sitting_date, total, listening, speaking, section_scores_json, level,
          finalised_at
        FROM result WHERE \(examId == nil) OR exam_id = \(examId ?? "")
        ORDER BY exam_id COLLATE "C", candidate_id COLLATE "C"
        """, logger: logger
      ).decode((String, String, String, Double, Double, Double, String, String, String).self) { out.append(row) }
      return out
    }
    return try rows.map { r in
      CandidateResult(
        examId: r.0, candidateId: r.1, sittingDate: r.2, total: r.3, listening: r.4, speaking: r.5,
        sectionScores: try ExamDatabase.decoder.decode([String: Double].self, from: Data(r.6.utf8)), level: r.7,
        finalisedAt: r.8)
    }
  }
}

/// `MarkingStore`'s reads of one answer at a time, for the marking desk.
extension PostgresStore {
  public func nextOpenAssignment(examId: String, raterId: String) async throws -> MarkAssignment? {
    try await retrying("read the next answer of rater \(raterId)") { [self] in
      var out: MarkAssignment?
      for try await (recording, rater, slot, at) in try await client.query(
        """
        SELECT a.recording_id, a.rater_id, a.slot, a.assigned_at FROM mark_assignment a
        JOIN recording r ON r.id = a.recording_id
        WHERE a.rater_id = \(raterId) AND a.slot <= 2 AND r.exam_id = \(examId) AND r.is_current
          AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.recording_id = a.recording_id AND m.kind = 'human'
            AND m.rater_id = a.rater_id)
        ORDER BY a.recording_id LIMIT 1
        """, logger: logger
      ).decode((Int64, String, Int, String).self) {
        out = MarkAssignment(recordingId: recording, raterId: rater, slot: slot, assignedAt: at)
      }
      return out
    }
  }

  public func assignmentProgress(examId: String, raterId: String) async throws -> (assigned: Int, marked: Int) {
    try await retrying("read the progress of rater \(raterId)") { [self] in
      var out = (assigned: 0, marked: 0)
      for try await (assigned, marked) in try await client.query(
        """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM mark m WHERE m.recording_id = a.recording_id
          AND m.kind = 'human' AND m.rater_id = a.rater_id))
        FROM mark_assignment a JOIN recording r ON r.id = a.recording_id
        WHERE a.rater_id = \(raterId) AND a.slot <= 2 AND r.exam_id = \(examId) AND r.is_current
        """, logger: logger
      ).decode((Int, Int).self) { out = (assigned, marked) }
      return out
    }
  }

  public func assignments(recordingId: Int64) async throws -> [MarkAssignment] {
    try await retrying("read the assignments of answer \(recordingId)") { [self] in
      var out: [MarkAssignment] = []
      for try await (rater, slot, at) in try await client.query(
        """
        SELECT rater_id, slot, assigned_at FROM mark_assignment WHERE recording_id = \(recordingId) ORDER BY slot
        """, logger: logger
      ).decode((String, Int, String).self) {
        out.append(MarkAssignment(recordingId: recordingId, raterId: rater, slot: slot, assignedAt: at))
      }
      return out
    }
  }

  public func recording(id: Int64) async throws -> StoredRecording? {
    try await recordings(
      "read recording \(id)", "SELECT \(unescaped: Self.recordingColumns) FROM recording WHERE id = \(id)"
    ).first
  }

  public func recordingVersions(examId: String, candidateId: String, itemId: String) async throws
    -> [StoredRecording]
  {
    try await recordings(
      "read the versions of \(candidateId)'s answer to \(itemId)",
      """
      SELECT \(unescaped: Self.recordingColumns) FROM recording
      WHERE exam_id = \(examId) AND candidate_id = \(candidateId) AND item_id = \(itemId) ORDER BY version
      """)
  }

  public func machineScore(recordingId: Int64) async throws -> MachineScore? {
    try await retrying("read the machine score of answer \(recordingId)") { [self] in
      var out: MachineScore?
      for try await row in try await client.query(
        """
        SELECT recording_id, exam_id, candidate_id, item_id, features_json, aspects_json, points, confidence,
          needs_human, reason, model_version, scored_at
        FROM machine_score WHERE recording_id = \(recordingId)
        """, logger: logger)
      { out = try Self.machineScore(row) }
      return out
    }
  }

  public func marks(recordingId: Int64) async throws -> (marks: [Mark], isFinal: Bool) {
    try await retrying("read the marks of answer \(recordingId)") { [self] in
      var marks: [Mark] = []
      var isFinal = false
      for try await (id, rater, kind, points, at, source, final) in try await client.query(
        """
        SELECT m.id, m.rater_id, m.kind, m.points, m.marked_at, m.source,
          EXISTS (SELECT 1 FROM final_mark f WHERE f.recording_id = \(recordingId))
        FROM mark m WHERE m.recording_id = \(recordingId) ORDER BY m.id
        """, logger: logger
      ).decode((Int64, String, String, Double, String, String, Bool).self) {
        marks.append(
          Mark(
            id: id, recordingId: recordingId, raterId: rater, kind: Mark.Kind(rawValue: kind) ?? .human, points: points,
            markedAt: at, source: source))
        isFinal = final
      }
      if marks.isEmpty {
        for try await final in try await client.query(
          "SELECT EXISTS (SELECT 1 FROM final_mark WHERE recording_id = \(recordingId))", logger: logger
        ).decode(Bool.self) { isFinal = final }
      }
      return (marks, isFinal)
    }
  }

  public func schools(ofCandidates ids: Set<String>) async throws -> [String: String] {
    try await retrying("read the candidates' schools") { [self] in
      var out: [String: String] = [:]
      for try await (id, school) in try await client.query(
        "SELECT id, school FROM candidate WHERE id = ANY(\(Array(ids)))", logger: logger
      ).decode((String, String).self) { out[id] = school }
      return out
    }
  }
}
