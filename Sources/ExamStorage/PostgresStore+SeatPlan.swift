import ExamCore
import PostgresNIO

/// `SittingStore` on PostgreSQL, part 2: venues, the seat plan and reseats — the same behaviour as `ExamDatabase`'s
/// methods of the same names. Text is ordered as SQLite orders it (`COLLATE "C"`, byte order), whatever the
/// database's locale.
extension PostgresStore {
  // MARK: Venues

  /// As `ExamDatabase.replaceVenues`. PostgreSQL checks foreign keys at each statement, so instead of deleting
  /// and inserting every seat, it upserts the file's centres, rooms and seats and then deletes those the file
  /// lacks (refused first when the seat plan uses one).
  public func replaceVenues(
    centres: [Centre], sessions: [ExamSession], adjacency: [(String, String)], audit: AuditEntry
  ) async throws -> Bool {
    let wanted = neighbourMap(adjacency)
    if venuesUnchanged(
      storedCentres: try await self.centres(), storedSessions: try await self.sessions(),
      storedAdjacency: try await districtAdjacency(), centres: centres, sessions: sessions, neighbours: wanted)
    {
      return false
    }
    let rooms = centres.flatMap { c in c.rooms.map { (c.id, $0) } }
    let seats = rooms.flatMap { (centre, room) in room.seats.map { (centre, room.id, $0) } }
    let pairs = wanted.flatMap { a, ns in ns.map { (a, $0) } }
    try await retrying("replace the venues", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        for try await (exam, candidate, centre, room, seat) in try await connection.query(
          """
          SELECT a.exam_id, a.candidate_id, a.centre_id, a.room_id, a.seat_id FROM allocation a
          WHERE NOT EXISTS (SELECT 1 FROM unnest(\(seats.map(\.0))::text[], \(seats.map(\.1))::text[],
            \(seats.map(\.2.id))::text[]) AS k(c, r, s) WHERE k.c = a.centre_id AND k.r = a.room_id AND k.s = a.seat_id)
          ORDER BY a.exam_id COLLATE "C", a.candidate_id COLLATE "C" LIMIT 1
          """, logger: logger
        ).decode((String, String, String, String, String).self) {
          throw ExamError(
            .conflict, location: "centre \(centre) room \(room) seat \(seat)",
            "candidate \(candidate) of exam \(exam) is allocated to a seat this import removes",
            fix: "keep the seat, or allocate again after importing (exam allocate)")
        }
        try await connection.query(
          """
          INSERT INTO centre (id, name, district, address)
          SELECT * FROM unnest(\(centres.map(\.id))::text[], \(centres.map(\.name))::text[],
            \(centres.map(\.district))::text[], \(centres.map(\.address))::text[])
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, district = excluded.district, address = excluded.address
          """, logger: logger)
        try await connection.query(
          """
          INSERT INTO room (centre_id, id, accessible, rows, columns)
          SELECT * FROM unnest(\(rooms.map(\.0))::text[], \(rooms.map(\.1.id))::text[],
            \(rooms.map(\.1.accessible))::boolean[], \(rooms.map(\.1.rows))::integer[], \(rooms.map(\.1.columns))::integer[])
          ON CONFLICT (centre_id, id) DO UPDATE SET accessible = excluded.accessible, rows = excluded.rows,
            columns = excluded.columns
          """, logger: logger)
        // A seat without a machine is NULL, as in SQLite (a text[] bound from Swift holds no NULL).
        try await connection.query(
          """
          INSERT INTO seat (centre_id, room_id, id, "row", "column", machine_id, reserve)
          SELECT c, r, s, rw, cl, NULLIF(m, ''), rs FROM unnest(\(seats.map(\.0))::text[], \(seats.map(\.1))::text[],
            \(seats.map(\.2.id))::text[], \(seats.map(\.2.row))::integer[], \(seats.map(\.2.column))::integer[],
            \(seats.map { $0.2.machineId ?? "" })::text[], \(seats.map(\.2.reserve))::boolean[]) AS k(c, r, s, rw, cl, m, rs)
          ON CONFLICT (centre_id, room_id, id) DO UPDATE SET "row" = excluded."row", "column" = excluded."column",
            machine_id = excluded.machine_id, reserve = excluded.reserve
          """, logger: logger)
        try await connection.query(
          """
          DELETE FROM seat s WHERE NOT EXISTS (SELECT 1 FROM unnest(\(seats.map(\.0))::text[], \(seats.map(\.1))::text[],
            \(seats.map(\.2.id))::text[]) AS k(c, r, i) WHERE k.c = s.centre_id AND k.r = s.room_id AND k.i = s.id)
          """, logger: logger)
        try await connection.query(
          """
          DELETE FROM room m WHERE NOT EXISTS (SELECT 1 FROM unnest(\(rooms.map(\.0))::text[], \(rooms.map(\.1.id))::text[])
            AS k(c, i) WHERE k.c = m.centre_id AND k.i = m.id)
          """, logger: logger)
        try await connection.query(
          "DELETE FROM centre WHERE NOT (id = ANY(\(centres.map(\.id))))", logger: logger)
        try await connection.query(
          """
          INSERT INTO session (id, date, start, "end")
          SELECT * FROM unnest(\(sessions.map(\.id))::text[], \(sessions.map(\.date))::text[],
            \(sessions.map(\.start))::text[], \(sessions.map(\.end))::text[])
          ON CONFLICT (id) DO UPDATE SET date = excluded.date, start = excluded.start, "end" = excluded."end"
          """, logger: logger)
        try await connection.query("DELETE FROM district_adjacency", logger: logger)
        try await connection.query(
          """
          INSERT INTO district_adjacency (district, neighbour)
          SELECT * FROM unnest(\(pairs.map(\.0))::text[], \(pairs.map(\.1))::text[])
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
    return true
  }

  public func centres() async throws -> [Centre] {
    try await retrying("read the centres") { [self] in
      var seats: [String: [Seat]] = [:]
      for try await (centre, room, id, row, column, machine, reserve) in try await client.query(
        """
        SELECT centre_id, room_id, id, "row", "column", machine_id, reserve FROM seat
        ORDER BY centre_id COLLATE "C", room_id COLLATE "C", "row", "column", id COLLATE "C"
        """, logger: logger
      ).decode((String, String, String, Int, Int, String?, Bool).self) {
        seats[centre + "\u{1}" + room, default: []].append(
          Seat(id: id, row: row, column: column, machineId: machine, reserve: reserve))
      }
      var rooms: [String: [Room]] = [:]
      for try await (centre, id, accessible, rows, columns) in try await client.query(
        """
        SELECT centre_id, id, accessible, rows, columns FROM room ORDER BY centre_id COLLATE "C", id COLLATE "C"
        """, logger: logger
      ).decode((String, String, Bool, Int, Int).self) {
        rooms[centre, default: []].append(
          Room(id: id, accessible: accessible, rows: rows, columns: columns, seats: seats[centre + "\u{1}" + id] ?? []))
      }
      var out: [Centre] = []
      for try await (id, name, district, address) in try await client.query(
        "SELECT id, name, district, address FROM centre ORDER BY id COLLATE \"C\"", logger: logger
      ).decode((String, String, String, String).self) {
        out.append(Centre(id: id, name: name, district: district, address: address, rooms: rooms[id] ?? []))
      }
      return out
    }
  }

  public func sessions() async throws -> [ExamSession] {
    try await retrying("read the sessions") { [self] in
      var out: [ExamSession] = []
      for try await (id, date, start, end) in try await client.query(
        """
        SELECT id, date, start, "end" FROM session ORDER BY date COLLATE "C", start COLLATE "C", id COLLATE "C"
        """, logger: logger
      ).decode((String, String, String, String).self) {
        out.append(ExamSession(id: id, date: date, start: start, end: end))
      }
      return out
    }
  }

  public func districtAdjacency() async throws -> [String: Set<String>] {
    try await retrying("read the district adjacency") { [self] in
      var map: [String: Set<String>] = [:]
      for try await (district, neighbour) in try await client.query(
        "SELECT district, neighbour FROM district_adjacency", logger: logger
      ).decode((String, String).self) { map[district, default: []].insert(neighbour) }
      return map
    }
  }

  // MARK: Seat plan

  public func saveSeatPlan(
    examId: String, _ assignments: [SeatAssignment], seed: UInt64, audit: AuditEntry,
    report: @escaping @Sendable () throws -> SeatPlanReport
  ) async throws {
    try await retrying("save the seat plan of \(examId)", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query("DELETE FROM seat_failure WHERE exam_id = \(examId)", logger: logger)
        try await Self.replaceAllocation(examId: examId, assignments, on: connection, logger: logger)
        let report = try report()
        var line = audit
        line.summary = report.summary
        try await connection.query(
          """
          INSERT INTO allocation_run (exam_id, seed, report_json, created_at)
          VALUES (\(examId), \(String(seed)), \(report.json), \(audit.at))
          ON CONFLICT (exam_id) DO UPDATE SET seed = excluded.seed, report_json = excluded.report_json,
            created_at = excluded.created_at
          """, logger: logger)
        try await Self.appendAudit(line, on: connection, logger: logger)
      }
    }
  }

  public func replaceAllocation(examId: String, _ assignments: [SeatAssignment], audit: AuditEntry) async throws {
    try await retrying("replace the seat plan of \(examId)", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await Self.replaceAllocation(examId: examId, assignments, on: connection, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  static func replaceAllocation(
    examId: String, _ a: [SeatAssignment], on connection: PostgresConnection, logger: Logger
  ) async throws {
    try await connection.query("DELETE FROM allocation WHERE exam_id = \(examId)", logger: logger)
    try await connection.query(
      """
      INSERT INTO allocation (exam_id, candidate_id, session_id, centre_id, room_id, seat_id, form)
      SELECT \(examId), * FROM unnest(\(a.map(\.candidateId))::text[], \(a.map(\.sessionId))::text[],
        \(a.map(\.centreId))::text[], \(a.map(\.roomId))::text[], \(a.map(\.seatId))::text[], \(a.map(\.form))::text[])
      """, logger: logger)
  }

  public func allocation(examId: String) async throws -> [SeatAssignment] {
    try await assignments(
      """
      SELECT \(unescaped: Self.assignmentColumns) FROM allocation WHERE exam_id = \(examId)
      ORDER BY session_id COLLATE "C", centre_id COLLATE "C", room_id COLLATE "C", seat_id COLLATE "C"
      """)
  }

  public func allocation(examId: String, candidateIds: Set<String>) async throws -> [SeatAssignment] {
    try await assignments(
      """
      SELECT \(unescaped: Self.assignmentColumns) FROM allocation
      WHERE exam_id = \(examId) AND candidate_id = ANY(\(Array(candidateIds)))
      """)
  }

  public func assignment(examId: String, candidateId: String) async throws -> SeatAssignment? {
    try await assignments(
      """
      SELECT \(unescaped: Self.assignmentColumns) FROM allocation
      WHERE exam_id = \(examId) AND candidate_id = \(candidateId)
      """
    ).first
  }

  static let assignmentColumns = "exam_id, candidate_id, session_id, centre_id, room_id, seat_id, form"

  private func assignments(_ query: PostgresQuery) async throws -> [SeatAssignment] {
    try await retrying("read the seat plan") { [self] in
      var out: [SeatAssignment] = []
      for try await (exam, candidate, session, centre, room, seat, form) in try await client.query(
        query, logger: logger
      )
      .decode((String, String, String, String, String, String, String).self) {
        out.append(
          SeatAssignment(
            examId: exam, candidateId: candidate, sessionId: session, centreId: centre, roomId: room, seatId: seat,
            form: form))
      }
      return out
    }
  }

  public func allocationRun(examId: String) async throws -> AllocationRun? {
    try await retrying("read the allocation run of \(examId)") { [self] in
      var run: AllocationRun? = nil
      for try await (seed, report, created) in try await client.query(
        "SELECT seed, report_json, created_at FROM allocation_run WHERE exam_id = \(examId)", logger: logger
      ).decode((String, String, String).self) {
        run = AllocationRun(examId: examId, seed: UInt64(seed) ?? 0, reportJSON: report, createdAt: created)
      }
      return run
    }
  }

  // MARK: Reseats

  /// In the order they were reported: by time, then by the transaction that wrote them (`xmin`; SQLite's rowid).
  public func seatFailures(examId: String) async throws -> [SeatFailure] {
    try await retrying("read the seat failures of \(examId)") { [self] in
      var out: [SeatFailure] = []
      for try await (session, centre, room, seat, candidate, toCentre, toRoom, toSeat, reason, at, op)
        in try await client.query(
          """
          SELECT session_id, centre_id, room_id, seat_id, candidate_id, to_centre_id, to_room_id, to_seat_id, reason,
            at, operator
          FROM seat_failure WHERE exam_id = \(examId) ORDER BY at COLLATE "C", xmin::text::bigint
          """, logger: logger
        ).decode((String, String, String, String, String?, String?, String?, String?, String, String, String).self)
      {
        out.append(
          SeatFailure(
            examId: examId, sessionId: session, centreId: centre, roomId: room, seatId: seat, candidateId: candidate,
            toCentreId: toCentre, toRoomId: toRoom, toSeatId: toSeat, reason: reason, at: at, operator: op))
      }
      return out
    }
  }

  /// As `ExamDatabase.recordSeatFailure`: the seat plan's rows of the session are locked first, so two reseats
  /// at once cannot both take one seat.
  @discardableResult
  public func recordSeatFailure(_ failure: SeatFailure, decision: IncidentDecision?, audit: AuditEntry) async throws
    -> IncidentDecision?
  {
    let f = failure
    return try await retrying("record the failed seat") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query(
          "SELECT 1 FROM allocation WHERE exam_id = \(f.examId) AND session_id = \(f.sessionId) FOR UPDATE",
          logger: logger)
        func failed(_ centre: String, _ room: String, _ seat: String) async throws -> Bool {
          var found = false
          for try await _ in try await connection.query(
            """
            SELECT 1 FROM seat_failure WHERE exam_id = \(f.examId) AND session_id = \(f.sessionId)
              AND centre_id = \(centre) AND room_id = \(room) AND seat_id = \(seat)
            """, logger: logger
          ).decode(Int.self) { found = true }
          return found
        }
        func holder(_ centre: String, _ room: String, _ seat: String) async throws -> String? {
          var id: String? = nil
          for try await c in try await connection.query(
            """
            SELECT candidate_id FROM allocation WHERE exam_id = \(f.examId) AND session_id = \(f.sessionId)
              AND centre_id = \(centre) AND room_id = \(room) AND seat_id = \(seat)
            """, logger: logger
          ).decode(String.self) { id = c }
          return id
        }
        if try await failed(f.centreId, f.roomId, f.seatId) {
          throw ExamError(
            .conflict, location: "seat \(f.centreId)/\(f.roomId)/\(f.seatId)",
            "was already reported failed in session \(f.sessionId)", fix: "see `exam allocate reseat --list`")
        }
        let holding = try await holder(f.centreId, f.roomId, f.seatId)
        guard holding == f.candidateId else {
          throw ExamError(
            .conflict, location: "seat \(f.centreId)/\(f.roomId)/\(f.seatId)",
            "is now held by \(holding ?? "nobody"), not \(f.candidateId ?? "nobody")", fix: "run the reseat again")
        }
        if let candidate = f.candidateId, let toCentre = f.toCentreId, let toRoom = f.toRoomId, let toSeat = f.toSeatId
        {
          if let taken = try await holder(toCentre, toRoom, toSeat) {
            throw ExamError(
              .conflict, location: "seat \(toCentre)/\(toRoom)/\(toSeat)", "is taken by candidate \(taken)",
              fix: "run the reseat again to choose another seat")
          }
          if try await failed(toCentre, toRoom, toSeat) {
            throw ExamError(
              .conflict, location: "seat \(toCentre)/\(toRoom)/\(toSeat)", "has failed in this session",
              fix: "run the reseat again to choose another seat")
          }
          try await connection.query(
            """
            UPDATE allocation SET centre_id = \(toCentre), room_id = \(toRoom), seat_id = \(toSeat)
            WHERE exam_id = \(f.examId) AND candidate_id = \(candidate)
            """, logger: logger)
        }
        try await connection.query(
          """
          INSERT INTO seat_failure (exam_id, session_id, centre_id, room_id, seat_id, candidate_id, to_centre_id,
            to_room_id, to_seat_id, reason, at, operator)
          VALUES (\(f.examId), \(f.sessionId), \(f.centreId), \(f.roomId), \(f.seatId), \(f.candidateId),
            \(f.toCentreId), \(f.toRoomId), \(f.toSeatId), \(f.reason), \(f.at), \(f.operator))
          """, logger: logger)
        let stored = try await decision.asyncMap { d in try await Self.insertDecision(d, on: connection, logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return stored
      }
    }
  }

  /// As `ExamDatabase.insertDecision`: the decision, and the incident's new status.
  static func insertDecision(_ decision: IncidentDecision, on connection: PostgresConnection, logger: Logger)
    async throws -> IncidentDecision
  {
    var id: Int64? = nil
    for try await i in try await connection.query(
      """
      WITH incident AS (UPDATE incident SET status = \(decision.resultingStatus.rawValue)
        WHERE id = \(decision.incidentId) RETURNING id)
      INSERT INTO incident_decision (incident_id, action, reason, operator, at)
      SELECT id, \(decision.action.rawValue), \(decision.reason), \(decision.operator), \(decision.at) FROM incident
      RETURNING id
      """, logger: logger
    ).decode(Int64.self) { id = i }
    guard let id else {
      throw ExamError(
        .notFound, location: "incident \(decision.incidentId)", "no such incident",
        fix: "list incidents with `exam proctor incidents`")
    }
    var stored = decision
    stored.id = id
    return stored
  }
}

extension Optional {
  fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
    guard let self else { return nil }
    return try await transform(self)
  }
}
