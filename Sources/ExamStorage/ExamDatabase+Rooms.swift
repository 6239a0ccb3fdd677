import ExamCore
import GRDB
internal import GRDBSQLite

/// The stored record of the last `exam allocate` run of an exam.
public struct AllocationRun: Sendable, Equatable {
  public var examId: String
  public var seed: UInt64
  public var reportJSON: String
  public var createdAt: String
}

extension ExamDatabase {
  /// Replaces the seat plan of `examId` with `assignments` and records the run (seed, quality report),
  /// clearing the exam's seat-failure log — all in one transaction with its audit line; `report` is called once
  /// the rows are written (`SittingStore.saveSeatPlan`).
  public func saveSeatPlan(
    examId: String, _ assignments: [SeatAssignment], seed: UInt64, audit: AuditEntry,
    report: @escaping @Sendable () throws -> SeatPlanReport
  ) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM allocation WHERE examId = ?", arguments: [examId])
      try db.execute(sql: "DELETE FROM seatFailure WHERE examId = ?", arguments: [examId])
      let statement = try db.makeStatement(
        sql: """
          INSERT INTO allocation (examId, candidateId, sessionId, centreId, roomId, seatId, form) VALUES (?,?,?,?,?,?,?)
          """)
      // The hot loop binds through the C API (GRDB's argument arrays cost as much as the inserts), in the primary
      // key's order, so that each row lands beside the last one.
      let handle = statement.sqliteStatement
      Self.bindText(handle, 1, examId)
      // Each row's texts are copied into one buffer that SQLite reads in place (SQLITE_STATIC) until the step.
      var row = RowTexts()
      for a in assignments.sorted(by: { $0.candidateId < $1.candidateId }) {
        row.set(a.candidateId, a.sessionId, a.centreId, a.roomId, a.seatId, a.form)
        try row.bytes.withUnsafeBufferPointer { buffer in
          sqlite3_reset(handle)
          let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
          for k in 0..<RowTexts.count {
            let start = k == 0 ? 0 : row.ends[k - 1]
            sqlite3_bind_text(handle, Int32(k + 2), base + start, Int32(row.ends[k] - start), nil)
          }
          try Self.stepToDone(handle, db)
        }
      }
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
      let report = try report()
      try db.execute(
        sql: """
          INSERT INTO allocationRun (examId, seed, reportJSON, createdAt) VALUES (?,?,?,?)
          ON CONFLICT(examId) DO UPDATE SET seed=excluded.seed, reportJSON=excluded.reportJSON, createdAt=excluded.createdAt
          """, arguments: [examId, String(seed), report.json, audit.at])
      var line = audit
      line.summary = report.summary
      try Self.appendAudit(line, in: db)
    }
  }

  /// The last allocation run of `examId`, or nil.
  public func allocationRun(examId: String) throws -> AllocationRun? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM allocationRun WHERE examId = ?", arguments: [examId]).map {
        AllocationRun(
          examId: $0["examId"], seed: UInt64($0["seed"] as String) ?? 0, reportJSON: $0["reportJSON"],
          createdAt: $0["createdAt"])
      }
    }
  }

  /// The seats reported failed for `examId`, in the order they were reported.
  public func seatFailures(examId: String) throws -> [SeatFailure] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM seatFailure WHERE examId = ? ORDER BY at, rowid", arguments: [examId])
        .map {
          SeatFailure(
            examId: $0["examId"], sessionId: $0["sessionId"], centreId: $0["centreId"], roomId: $0["roomId"],
            seatId: $0["seatId"], candidateId: $0["candidateId"], toCentreId: $0["toCentreId"],
            toRoomId: $0["toRoomId"],
            toSeatId: $0["toSeatId"], reason: $0["reason"], at: $0["at"], operator: $0["operator"])
        }
    }
  }

  /// Records a failed seat and moves its candidate (if any) to the failure's target seat, touching no other
  /// row — in one transaction with its audit line and, when the move decides an incident, that decision.
  /// The only write that moves a seated candidate (Allocation's `Reseater` chooses the seat).
  /// - Returns: the stored decision, when one was given.
  /// - Throws: `ExamError.conflict` when the candidate is no longer on the failed seat, the target is taken
  ///   in that session or has failed itself, or the seat was already reported failed; `.notFound` for the
  ///   decision's unknown incident.
  @discardableResult
  public func recordSeatFailure(_ failure: SeatFailure, decision: IncidentDecision? = nil, audit: AuditEntry) throws
    -> IncidentDecision?
  {
    try write { db in
      let key: StatementArguments = [
        failure.examId, failure.sessionId, failure.centreId, failure.roomId, failure.seatId,
      ]
      if try Bool.fetchOne(
        db,
        sql: """
          SELECT 1 FROM seatFailure WHERE examId = ? AND sessionId = ? AND centreId = ? AND roomId = ? AND seatId = ?
          """, arguments: key) == true
      {
        throw ExamError(
          .conflict, location: "seat \(failure.centreId)/\(failure.roomId)/\(failure.seatId)",
          "was already reported failed in session \(failure.sessionId)", fix: "see `exam allocate reseat --list`")
      }
      let holder = try String.fetchOne(
        db,
        sql: """
          SELECT candidateId FROM allocation WHERE examId = ? AND sessionId = ? AND centreId = ? AND roomId = ? AND seatId = ?
          """, arguments: key)
      guard holder == failure.candidateId else {
        throw ExamError(
          .conflict, location: "seat \(failure.centreId)/\(failure.roomId)/\(failure.seatId)",
          "is now held by \(holder ?? "nobody"), not \(failure.candidateId ?? "nobody")", fix: "run the reseat again")
      }
      if let candidate = failure.candidateId, let toCentre = failure.toCentreId, let toRoom = failure.toRoomId,
        let toSeat = failure.toSeatId
      {
        let target: StatementArguments = [failure.examId, failure.sessionId, toCentre, toRoom, toSeat]
        if let taken = try String.fetchOne(
          db,
          sql: """
            SELECT candidateId FROM allocation WHERE examId = ? AND sessionId = ? AND centreId = ? AND roomId = ? AND seatId = ?
            """, arguments: target)
        {
          throw ExamError(
            .conflict, location: "seat \(toCentre)/\(toRoom)/\(toSeat)", "is taken by candidate \(taken)",
            fix: "run the reseat again to choose another seat")
        }
        if try Bool.fetchOne(
          db,
          sql: """
            SELECT 1 FROM seatFailure WHERE examId = ? AND sessionId = ? AND centreId = ? AND roomId = ? AND seatId = ?
            """, arguments: target) == true
        {
          throw ExamError(
            .conflict, location: "seat \(toCentre)/\(toRoom)/\(toSeat)", "has failed in this session",
            fix: "run the reseat again to choose another seat")
        }
        try db.execute(
          sql: "UPDATE allocation SET centreId = ?, roomId = ?, seatId = ? WHERE examId = ? AND candidateId = ?",
          arguments: [toCentre, toRoom, toSeat, failure.examId, candidate])
      }
      try db.execute(
        sql: """
          INSERT INTO seatFailure (examId, sessionId, centreId, roomId, seatId, candidateId, toCentreId, toRoomId, toSeatId,
            reason, at, operator) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
          """,
        arguments: [
          failure.examId, failure.sessionId, failure.centreId, failure.roomId, failure.seatId,
          failure.candidateId, failure.toCentreId, failure.toRoomId, failure.toSeatId, failure.reason, failure.at,
          failure.operator,
        ])
      let stored = try decision.map { try Self.insertDecision($0, in: db) }
      try Self.appendAudit(audit, in: db)
      return stored
    }
  }
}

extension ExamDatabase {
  /// Replaces the centres, rooms, seats, sessions and district adjacency (pairs, stored both ways), in one
  /// transaction with its audit line, also after an allocation exists: foreign keys are checked at commit (so seats an allocation uses may be deleted and
  /// inserted again), and a seat the allocation uses that the new file lacks is refused. Importing the same
  /// venues again changes nothing and writes no audit line.
  /// - Returns: false when nothing changed.
  /// - Throws: `ExamError.conflict` naming a seat in use that the import would remove.
  @discardableResult
  public func replaceVenues(
    centres: [Centre], sessions: [ExamSession], adjacency: [(String, String)],
    audit: AuditEntry
  ) throws -> Bool {
    let wanted = neighbourMap(adjacency)
    if venuesUnchanged(
      storedCentres: try self.centres(), storedSessions: try self.sessions(), storedAdjacency: try districtAdjacency(),
      centres: centres, sessions: sessions, neighbours: wanted)
    {
      return false
    }
    try write { db in
      try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
      var kept: Set<String> = []
      for centre in centres {
        for room in centre.rooms {
          for seat in room.seats { kept.insert([centre.id, room.id, seat.id].joined(separator: "\u{1}")) }
        }
      }
      for r in try Row.fetchAll(
        db, sql: "SELECT DISTINCT examId, candidateId, centreId, roomId, seatId FROM allocation")
      {
        let key = [r["centreId"] as String, r["roomId"] as String, r["seatId"] as String].joined(separator: "\u{1}")
        if !kept.contains(key) {
          throw ExamError(
            .conflict,
            location: "centre \(r["centreId"] as String) room \(r["roomId"] as String) seat \(r["seatId"] as String)",
            "candidate \(r["candidateId"] as String) of exam \(r["examId"] as String) is allocated to a seat this import removes",
            fix: "keep the seat, or allocate again after importing (exam allocate)")
        }
      }
      try db.execute(sql: "DELETE FROM seat")
      try db.execute(sql: "DELETE FROM room")
      try db.execute(sql: "DELETE FROM centre")
      try db.execute(sql: "DELETE FROM districtAdjacency")
      for centre in centres {
        try db.execute(
          sql: "INSERT INTO centre (id, name, district, address) VALUES (?,?,?,?)",
          arguments: [centre.id, centre.name, centre.district, centre.address])
        for room in centre.rooms {
          try db.execute(
            sql: "INSERT INTO room (centreId, id, accessible, rows, columns) VALUES (?,?,?,?,?)",
            arguments: [centre.id, room.id, room.accessible, room.rows, room.columns])
          let statement = try db.makeStatement(
            sql: "INSERT INTO seat (centreId, roomId, id, row, column, machineId, reserve) VALUES (?,?,?,?,?,?,?)")
          for seat in room.seats {
            try statement.execute(arguments: [
              centre.id, room.id, seat.id, seat.row, seat.column, seat.machineId, seat.reserve,
            ])
          }
        }
      }
      for session in sessions {
        try db.execute(
          sql:
            "INSERT INTO session (id, date, start, \"end\") VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET date=excluded.date, start=excluded.start, \"end\"=excluded.\"end\"",
          arguments: [session.id, session.date, session.start, session.end])
      }
      for (a, ns) in wanted {
        for b in ns {
          try db.execute(
            sql: "INSERT OR IGNORE INTO districtAdjacency (district, neighbour) VALUES (?,?)", arguments: [a, b])
        }
      }
      try Self.appendAudit(audit, in: db)
    }
    return true
  }

  /// `centre` with rooms and seats in the order `centres()` returns them.
  static func sortedRooms(_ centre: Centre) -> Centre {
    var c = centre
    c.rooms = c.rooms.sorted { $0.id < $1.id }.map { room in
      var r = room
      r.seats = r.seats.sorted { ($0.row, $0.column, $0.id) < ($1.row, $1.column, $1.id) }
      return r
    }
    return c
  }
}

/// The six texts of one seat row after the exam id, back to back in one buffer (`ends`: where each ends).
private struct RowTexts {
  static let count = 6
  var bytes: [UInt8] = []
  var ends = [Int](repeating: 0, count: count)

  init() { bytes.reserveCapacity(256) }

  mutating func set(_ a: String, _ b: String, _ c: String, _ d: String, _ e: String, _ f: String) {
    bytes.removeAll(keepingCapacity: true)
    append(a, 0)
    append(b, 1)
    append(c, 2)
    append(d, 3)
    append(e, 4)
    append(f, 5)
    bytes.append(0)  // never empty, so the buffer always has an address
  }

  private mutating func append(_ text: String, _ k: Int) {
    bytes.append(contentsOf: text.utf8)
    ends[k] = bytes.count
  }
}
