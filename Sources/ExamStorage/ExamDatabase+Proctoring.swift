import ExamCore
import GRDB
internal import GRDBSQLite

extension ExamDatabase {
  /// Inserts seat events not stored yet (identity: exam, machine, seq) in one transaction; returns how many
  /// were new. Pass `audit` with the last batch of an ingest so the audit line lands with it.
  public func insertSeatEvents(_ events: [SeatEvent], audit: AuditEntry? = nil) throws -> Int {
    try write { db in
      let statement = try db.cachedStatement(
        sql: """
          INSERT OR IGNORE INTO seatEvent (examId, machineId, seq, at, centreId, roomId, seatId, candidateId, type,
            itemId, level, passed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
          """)
      try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB: the identity index stays in memory
      // The hot loop binds through the C API: GRDB's argument arrays cost more than SQLite's insert itself.
      let handle = statement.sqliteStatement
      var added = 0
      for e in events {
        sqlite3_reset(handle)
        Self.bindText(handle, 1, e.examId)
        Self.bindText(handle, 2, e.machineId)
        sqlite3_bind_int64(handle, 3, e.seq)
        sqlite3_bind_double(handle, 4, e.at)
        Self.bindText(handle, 5, e.centreId)
        Self.bindText(handle, 6, e.roomId)
        Self.bindText(handle, 7, e.seatId)
        Self.bindText(handle, 8, e.candidateId)
        Self.bindText(handle, 9, e.type.rawValue)
        Self.bindText(handle, 10, e.itemId)
        if let level = e.level { sqlite3_bind_double(handle, 11, level) } else { sqlite3_bind_null(handle, 11) }
        if let passed = e.passed { sqlite3_bind_int(handle, 12, passed ? 1 : 0) } else { sqlite3_bind_null(handle, 12) }
        try Self.stepToDone(handle, db)
        added += Int(sqlite3_changes(db.sqliteConnection))
      }
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
      if let audit { try Self.appendAudit(audit, in: db) }
      return added
    }
  }

  /// Number of stored events of `examId`.
  public func seatEventCount(examId: String) throws -> Int {
    try read { db in
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM seatEvent WHERE examId = ?", arguments: [examId]) ?? 0
    }
  }

  /// Candidates whose seat machines logged them in for `examId` (they came, whether or not they answered).
  public func loggedInCandidates(examId: String) throws -> Set<String> {
    try read { db in
      Set(
        try String.fetchAll(
          db,
          sql: """
            SELECT DISTINCT candidateId FROM seatEvent WHERE examId = ? AND type = ? AND candidateId IS NOT NULL
            """, arguments: [examId, SeatEventType.login.rawValue]))
    }
  }

  /// The (centre, room) pairs that have events for `examId`, sorted.
  public func seatEventRooms(examId: String) throws -> [ProctoringRoom] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT DISTINCT centreId, roomId FROM seatEvent WHERE examId = ? ORDER BY centreId, roomId",
        arguments: [examId]
      ).map { ProctoringRoom(centreId: $0["centreId"], roomId: $0["roomId"]) }
    }
  }

  /// Events of one room, in time order (ties by machine sequence).
  public func seatEvents(examId: String, room: ProctoringRoom) throws -> [SeatEvent] {
    try read { db in
      // Columns by position and the room's ids from the arguments: named lookups cost more than SQLite here.
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT id, machineId, seq, at, seatId, candidateId, type, itemId, level, passed FROM seatEvent
          WHERE examId = ? AND centreId = ? AND roomId = ? ORDER BY at, machineId, seq
          """, arguments: [examId, room.centreId, room.roomId])
      var events: [SeatEvent] = []
      var types: [String: SeatEventType] = [:]
      for t in SeatEventType.allCases { types[t.rawValue] = t }
      while let r = try cursor.next() {
        let typeName: String = r[6]
        events.append(
          SeatEvent(
            id: r[0], examId: examId, machineId: r[1], seq: r[2], at: r[3], centreId: room.centreId,
            roomId: room.roomId, seatId: r[4], candidateId: r[5], type: types[typeName] ?? .heartbeat, itemId: r[7],
            level: r[8],
            passed: r[9]))
      }
      return events
    }
  }

  static func seatEvent(from r: Row) -> SeatEvent {
    SeatEvent(
      id: r["id"], examId: r["examId"], machineId: r["machineId"], seq: r["seq"], at: r["at"],
      centreId: r["centreId"], roomId: r["roomId"], seatId: r["seatId"], candidateId: r["candidateId"],
      type: SeatEventType(rawValue: r["type"]) ?? .heartbeat, itemId: r["itemId"], level: r["level"],
      passed: r["passed"])
  }

  /// Records incidents not raised before (identity: exam and `key`), in one transaction with `audit` when any
  /// is new. Returns the incidents actually added, with their ids.
  public func recordIncidents(_ incidents: [Incident], audit: AuditEntry?) throws -> [Incident] {
    try write { db in
      var added: [Incident] = []
      for var i in incidents {
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO incident (examId, key, rule, category, subcategory, severity, sessionId, centreId, roomId,
              seatId, candidateId, at, comment, evidence, suggestion, status, raisedAt, raisedBy)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
          arguments: [
            i.examId, i.key, i.rule, i.category.rawValue, i.subcategory, i.severity.rawValue, i.sessionId, i.centreId,
            i.roomId, i.seatId, i.candidateId, i.at, i.comment, i.evidence.joined(separator: ";"), i.suggestion,
            i.status.rawValue, i.raisedAt, i.raisedBy,
          ])
        if db.changesCount > 0 {
          i.id = db.lastInsertedRowID
          added.append(i)
        }
      }
      if let audit, !added.isEmpty { try Self.appendAudit(audit, in: db) }
      return added
    }
  }

  /// Incidents, oldest first; all exams when `examId` is nil.
  /// - Parameters:
  ///   - roomId: only this room (any centre).
  ///   - openOnly: only incidents with no decision yet.
  public func incidents(examId: String? = nil, roomId: String? = nil, openOnly: Bool = false) throws -> [Incident] {
    try read { db in
      var sql = "SELECT * FROM incident WHERE 1"
      var arguments: [(any DatabaseValueConvertible)?] = []
      if let examId { sql += " AND examId = ?"; arguments.append(examId) }
      if let roomId { sql += " AND roomId = ?"; arguments.append(roomId) }
      if openOnly { sql += " AND status = 'open'" }
      sql += " ORDER BY id"
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.incident(from:))
    }
  }

  /// One incident, or nil.
  public func incident(id: Int64) throws -> Incident? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM incident WHERE id = ?", arguments: [id]).map(Self.incident(from:))
    }
  }

  static func incident(from r: Row) -> Incident {
    Incident(
      id: r["id"], examId: r["examId"], key: r["key"], rule: r["rule"],
      category: Incident.Category(rawValue: r["category"]) ?? .other, subcategory: r["subcategory"],
      severity: Incident.Severity(rawValue: r["severity"]) ?? .medium, sessionId: r["sessionId"],
      centreId: r["centreId"],
      roomId: r["roomId"], seatId: r["seatId"], candidateId: r["candidateId"], at: r["at"], comment: r["comment"],
      evidence: (r["evidence"] as String).split(separator: ";").map(String.init), suggestion: r["suggestion"],
      status: Incident.Status(rawValue: r["status"]) ?? .open, raisedAt: r["raisedAt"], raisedBy: r["raisedBy"])
  }

  /// Records a decision on an incident and sets its status, in one transaction with `audit`. A decision that
  /// moves a candidate goes through `recordSeatFailure(_:decision:audit:)` instead, so one write moves a seat.
  /// - Throws: `ExamError.notFound` for an unknown incident.
  @discardableResult
  public func decideIncident(_ decision: IncidentDecision, audit: AuditEntry) throws -> IncidentDecision {
    try write { db in
      let stored = try Self.insertDecision(decision, in: db)
      try Self.appendAudit(audit, in: db)
      return stored
    }
  }

  /// Inserts `decision` and sets its incident's status, inside the caller's transaction.
  static func insertDecision(_ decision: IncidentDecision, in db: Database) throws -> IncidentDecision {
    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM incident WHERE id = ?", arguments: [decision.incidentId]) == true
    else {
      throw ExamError(
        .notFound, location: "incident \(decision.incidentId)", "no such incident",
        fix: "list incidents with `exam proctor incidents`")
    }
    try db.execute(
      sql: "INSERT INTO incidentDecision (incidentId, action, reason, operator, at) VALUES (?,?,?,?,?)",
      arguments: [decision.incidentId, decision.action.rawValue, decision.reason, decision.operator, decision.at])
    var stored = decision
    stored.id = db.lastInsertedRowID
    try db.execute(
      sql: "UPDATE incident SET status = ? WHERE id = ?",
      arguments: [decision.resultingStatus.rawValue, decision.incidentId])
    return stored
  }

  /// Every decision on incident `id` (all incidents when nil), oldest first.
  public func incidentDecisions(incidentId: Int64? = nil) throws -> [IncidentDecision] {
    try read { db in
      let sql = "SELECT * FROM incidentDecision" + (incidentId == nil ? "" : " WHERE incidentId = ?") + " ORDER BY id"
      return try Row.fetchAll(db, sql: sql, arguments: incidentId.map { [$0] } ?? []).map {
        IncidentDecision(
          id: $0["id"], incidentId: $0["incidentId"],
          action: IncidentDecision.Action(rawValue: $0["action"]) ?? .confirm, reason: $0["reason"],
          operator: $0["operator"], at: $0["at"])
      }
    }
  }

  /// A cached analysis (JSON) of the stored recording with this digest, when computed with `version`.
  public func audioAnalysis(storedSha256: String, version: Int) throws -> String? {
    try read { db in
      try String.fetchOne(
        db, sql: "SELECT json FROM audioAnalysis WHERE storedSha256 = ? AND version = ?",
        arguments: [storedSha256, version])
    }
  }

  /// Caches analyses (digest → JSON) of stored recordings; derived data, so no audit line.
  public func saveAudioAnalyses(_ analyses: [(storedSha256: String, json: String)], version: Int) throws {
    try write { db in
      for a in analyses {
        try db.execute(
          sql: "INSERT OR REPLACE INTO audioAnalysis (storedSha256, version, json) VALUES (?,?,?)",
          arguments: [a.storedSha256, version, a.json])
      }
    }
  }
}
