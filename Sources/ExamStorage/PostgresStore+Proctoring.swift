import ExamCore
import PostgresNIO

/// `ProctoringStore` on PostgreSQL: the same behaviour as `ExamDatabase`'s methods of the same names. Optional
/// values travel in the bulk statements' arrays as '' and NaN (a text[] or float8[] bound from Swift holds no NULL;
/// the seat-event parser and the rules never give an empty id).
extension PostgresStore: ProctoringStore {
  /// As `ExamDatabase.insertSeatEvents`, in one statement per call.
  public func insertSeatEvents(_ events: [SeatEvent], audit: AuditEntry?) async throws -> Int {
    let e = events
    return try await retrying("store \(events.count) seat events") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var added = 0
        if !e.isEmpty {
          for try await n in try await connection.query(
            """
            WITH added AS (
              INSERT INTO seat_event (exam_id, machine_id, seq, at, centre_id, room_id, seat_id, candidate_id, type,
                item_id, level, passed)
              SELECT x, m, s, t, c, r, st, NULLIF(ca, ''), ty, NULLIF(i, ''), NULLIF(l, 'NaN'::float8),
                CASE p WHEN 1 THEN true WHEN 0 THEN false END
              FROM unnest(\(e.map(\.examId))::text[], \(e.map(\.machineId))::text[], \(e.map(\.seq))::bigint[],
                \(e.map(\.at))::float8[], \(e.map(\.centreId))::text[], \(e.map(\.roomId))::text[],
                \(e.map(\.seatId))::text[], \(e.map { $0.candidateId ?? "" })::text[], \(e.map(\.type.rawValue))::text[],
                \(e.map { $0.itemId ?? "" })::text[], \(e.map { $0.level ?? .nan })::float8[],
                \(e.map { $0.passed.map { $0 ? 1 : 0 } ?? -1 })::integer[])
                AS y(x, m, s, t, c, r, st, ca, ty, i, l, p)
              ON CONFLICT (exam_id, centre_id, room_id, machine_id, seq) DO NOTHING RETURNING 1)
            SELECT COUNT(*) FROM added
            """, logger: logger
          ).decode(Int.self) { added = n }
        }
        if let audit { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return added
      }
    }
  }

  public func seatEventCount(examId: String) async throws -> Int {
    try await retrying("count the seat events") { [self] in
      var count = 0
      for try await n in try await client.query(
        "SELECT COUNT(*) FROM seat_event WHERE exam_id = \(examId)", logger: logger
      ).decode(Int.self) { count = n }
      return count
    }
  }

  public func loggedInCandidates(examId: String) async throws -> Set<String> {
    Set(
      try await strings(
        "read who logged in",
        """
        SELECT DISTINCT candidate_id FROM seat_event
        WHERE exam_id = \(examId) AND type = \(SeatEventType.login.rawValue) AND candidate_id IS NOT NULL
        """))
  }

  public func seatEventRooms(examId: String) async throws -> [ProctoringRoom] {
    try await retrying("read the rooms with seat events") { [self] in
      var out: [ProctoringRoom] = []
      for try await (centre, room) in try await client.query(
        """
        SELECT DISTINCT centre_id COLLATE "C", room_id COLLATE "C" FROM seat_event WHERE exam_id = \(examId)
        ORDER BY 1, 2
        """, logger: logger
      ).decode((String, String).self) { out.append(ProctoringRoom(centreId: centre, roomId: room)) }
      return out
    }
  }

  public func seatEvents(examId: String, room: ProctoringRoom) async throws -> [SeatEvent] {
    try await retrying("read the seat events of \(room.centreId)/\(room.roomId)") { [self] in
      var out: [SeatEvent] = []
      for try await (id, machine, seq, at, seat, candidate, type, item, level, passed) in try await client.query(
        """
        SELECT id, machine_id, seq, at, seat_id, candidate_id, type, item_id, level, passed FROM seat_event
        WHERE exam_id = \(examId) AND centre_id = \(room.centreId) AND room_id = \(room.roomId)
        ORDER BY at, machine_id COLLATE "C", seq
        """, logger: logger
      ).decode((Int64, String, Int64, Double, String, String?, String, String?, Double?, Bool?).self) {
        out.append(
          SeatEvent(
            id: id, examId: examId, machineId: machine, seq: seq, at: at, centreId: room.centreId,
            roomId: room.roomId, seatId: seat, candidateId: candidate,
            type: SeatEventType(rawValue: type) ?? .heartbeat,
            itemId: item, level: level, passed: passed))
      }
      return out
    }
  }

  /// As `ExamDatabase.recordIncidents`, in one statement; ids are given in the order of `incidents`.
  public func recordIncidents(_ incidents: [Incident], audit: AuditEntry?) async throws -> [Incident] {
    guard !incidents.isEmpty else { return [] }
    let i = incidents
    return try await retrying("record \(incidents.count) incidents") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var ids: [String: Int64] = [:]
        for try await (id, key) in try await connection.query(
          """
          INSERT INTO incident (exam_id, key, rule, category, subcategory, severity, session_id, centre_id, room_id,
            seat_id, candidate_id, at, comment, evidence, suggestion, status, raised_at, raised_by)
          SELECT e, ke, ru, ca, su, se, NULLIF(ss, ''), NULLIF(ce, ''), NULLIF(ro, ''), NULLIF(st, ''), NULLIF(cd, ''),
            NULLIF(a, 'NaN'::float8), co, ev, NULLIF(sg, ''), stt, ra, rb
          FROM unnest(\(i.map(\.examId))::text[], \(i.map(\.key))::text[], \(i.map(\.rule))::text[],
            \(i.map(\.category.rawValue))::text[], \(i.map(\.subcategory))::text[], \(i.map(\.severity.rawValue))::text[],
            \(i.map { $0.sessionId ?? "" })::text[], \(i.map { $0.centreId ?? "" })::text[],
            \(i.map { $0.roomId ?? "" })::text[], \(i.map { $0.seatId ?? "" })::text[],
            \(i.map { $0.candidateId ?? "" })::text[], \(i.map { $0.at ?? .nan })::float8[], \(i.map(\.comment))::text[],
            \(i.map { $0.evidence.joined(separator: ";") })::text[], \(i.map { $0.suggestion ?? "" })::text[],
            \(i.map(\.status.rawValue))::text[], \(i.map(\.raisedAt))::text[], \(i.map(\.raisedBy))::text[])
            WITH ORDINALITY AS x(e, ke, ru, ca, su, se, ss, ce, ro, st, cd, a, co, ev, sg, stt, ra, rb, k)
          ORDER BY k
          ON CONFLICT (exam_id, key) DO NOTHING
          RETURNING id, exam_id || chr(1) || key
          """, logger: logger
        ).decode((Int64, String).self) { ids[key] = id }
        // The first of several incidents with one identity is the one stored, as with SQLite's INSERT OR IGNORE.
        var added: [Incident] = []
        for var incident in incidents {
          guard let id = ids.removeValue(forKey: incident.examId + "\u{1}" + incident.key) else { continue }
          incident.id = id
          added.append(incident)
        }
        if let audit, !added.isEmpty { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return added
      }
    }
  }

  public func incidents(examId: String?, roomId: String?, openOnly: Bool) async throws -> [Incident] {
    try await retrying("read the incidents") { [self] in
      var out: [Incident] = []
      for try await row in try await client.query(
        """
        SELECT \(unescaped: Self.incidentColumns) FROM incident
        WHERE (\(examId == nil) OR exam_id = \(examId ?? "")) AND (\(roomId == nil) OR room_id = \(roomId ?? ""))
          AND (NOT \(openOnly) OR status = 'open')
        ORDER BY id
        """, logger: logger)
      { out.append(try Self.incident(row)) }
      return out
    }
  }

  public func incident(id: Int64) async throws -> Incident? {
    try await retrying("read incident \(id)") { [self] in
      var out: Incident?
      for try await row in try await client.query(
        "SELECT \(unescaped: Self.incidentColumns) FROM incident WHERE id = \(id)", logger: logger)
      { out = try Self.incident(row) }
      return out
    }
  }

  static let incidentColumns = """
    id, exam_id, key, rule, category, subcategory, severity, session_id, centre_id, room_id, seat_id, candidate_id,
    at, comment, evidence, suggestion, status, raised_at, raised_by
    """

  static func incident(_ row: PostgresRow) throws -> Incident {
    let c = row.makeRandomAccess()
    return Incident(
      id: try c[0].decode(Int64.self), examId: try c[1].decode(String.self), key: try c[2].decode(String.self),
      rule: try c[3].decode(String.self), category: Incident.Category(rawValue: try c[4].decode(String.self)) ?? .other,
      subcategory: try c[5].decode(String.self),
      severity: Incident.Severity(rawValue: try c[6].decode(String.self)) ?? .medium,
      sessionId: try c[7].decode(String?.self), centreId: try c[8].decode(String?.self),
      roomId: try c[9].decode(String?.self), seatId: try c[10].decode(String?.self),
      candidateId: try c[11].decode(String?.self), at: try c[12].decode(Double?.self),
      comment: try c[13].decode(String.self),
      evidence: try c[14].decode(String.self).split(separator: ";").map(String.init),
      suggestion: try c[15].decode(String?.self),
      status: Incident.Status(rawValue: try c[16].decode(String.self)) ?? .open,
      raisedAt: try c[17].decode(String.self), raisedBy: try c[18].decode(String.self))
  }

  public func decideIncident(_ decision: IncidentDecision, audit: AuditEntry) async throws -> IncidentDecision {
    try await retrying("record a decision on incident \(decision.incidentId)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let stored = try await Self.insertDecision(decision, on: connection, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return stored
      }
    }
  }

  public func incidentDecisions(incidentId: Int64?) async throws -> [IncidentDecision] {
    try await retrying("read the decisions on incidents") { [self] in
      var out: [IncidentDecision] = []
      for try await (id, incident, action, reason, op, at) in try await client.query(
        """
        SELECT id, incident_id, action, reason, operator, at FROM incident_decision
        WHERE \(incidentId == nil) OR incident_id = \(incidentId ?? 0) ORDER BY id
        """, logger: logger
      ).decode((Int64, Int64, String, String, String, String).self) {
        out.append(
          IncidentDecision(
            id: id, incidentId: incident, action: IncidentDecision.Action(rawValue: action) ?? .confirm,
            reason: reason, operator: op, at: at))
      }
      return out
    }
  }

  public func audioAnalysis(storedSha256: String, version: Int) async throws -> String? {
    try await strings(
      "read a cached audio analysis",
      "SELECT json FROM audio_analysis WHERE stored_sha256 = \(storedSha256) AND version = \(version)"
    ).first
  }

  public func saveAudioAnalyses(_ analyses: [(storedSha256: String, json: String)], version: Int) async throws {
    guard !analyses.isEmpty else { return }
    // The last analysis of a digest wins, as SQLite's INSERT OR REPLACE does.
    var latest: [String: String] = [:]
    var order: [String] = []
    for a in analyses {
      if latest.updateValue(a.json, forKey: a.storedSha256) == nil { order.append(a.storedSha256) }
    }
    let (digests, json) = (order, order.map { latest[$0]! })
    _ = try await retrying("cache \(analyses.count) audio analyses") { [self] in
      try await client.query(
        """
        INSERT INTO audio_analysis (stored_sha256, version, json)
        SELECT s, \(version), j FROM unnest(\(digests)::text[], \(json)::text[]) AS x(s, j)
        ON CONFLICT (stored_sha256) DO UPDATE SET version = excluded.version, json = excluded.json
        """, logger: logger)
    }
  }
}
