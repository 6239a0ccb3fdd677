import ExamCore
import GRDB

extension ExamDatabase {
  /// Replaces the centres, rooms, seats, sessions and district adjacency with `centres`, `sessions` and
  /// `adjacency`, in one transaction with its audit line. Refused while an allocation refers to a seat or
  /// session that would disappear (re-allocate first).
  /// - Parameter adjacency: pairs of neighbouring districts (stored both ways).
  public func importVenues(centres: [Centre], sessions: [ExamSession], adjacency: [(String, String)],
    audit: AuditEntry) throws
  {
    let pairs = adjacency.map { [$0.0, $0.1] }
    try write { db in
      try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS keptSeat (centreId TEXT, roomId TEXT, id TEXT)")
      try db.execute(sql: "DELETE FROM keptSeat")
      for centre in centres {
        for room in centre.rooms {
          for seat in room.seats {
            try db.execute(sql: "INSERT INTO keptSeat VALUES (?,?,?)", arguments: [centre.id, room.id, seat.id])
          }
        }
      }
      let orphan = try Row.fetchOne(db, sql: """
        SELECT a.examId, a.candidateId, a.centreId, a.roomId, a.seatId FROM allocation a
        WHERE NOT EXISTS (SELECT 1 FROM keptSeat k WHERE k.centreId = a.centreId AND k.roomId = a.roomId AND k.id = a.seatId)
        LIMIT 1
        """)
      if let orphan {
        throw ExamError(.conflict, location: "centre \(orphan["centreId"] as String) room \(orphan["roomId"] as String) seat \(orphan["seatId"] as String)",
          "candidate \(orphan["candidateId"] as String) of exam \(orphan["examId"] as String) is allocated to a seat this import removes",
          fix: "keep the seat, or clear the allocation with `exam allocate` before changing the centres")
      }
      try db.execute(sql: "DROP TABLE keptSeat")
      try db.execute(sql: "DELETE FROM seat")
      try db.execute(sql: "DELETE FROM room")
      try db.execute(sql: "DELETE FROM centre")
      try db.execute(sql: "DELETE FROM districtAdjacency")
      for centre in centres {
        try db.execute(sql: "INSERT INTO centre (id, name, district, address) VALUES (?,?,?,?)",
          arguments: [centre.id, centre.name, centre.district, centre.address])
        for room in centre.rooms {
          try db.execute(sql: "INSERT INTO room (centreId, id, accessible, rows, columns) VALUES (?,?,?,?,?)",
            arguments: [centre.id, room.id, room.accessible, room.rows, room.columns])
          for seat in room.seats {
            try db.execute(
              sql: "INSERT INTO seat (centreId, roomId, id, row, column, machineId, reserve) VALUES (?,?,?,?,?,?,?)",
              arguments: [centre.id, room.id, seat.id, seat.row, seat.column, seat.machineId, seat.reserve])
          }
        }
      }
      for session in sessions {
        try db.execute(
          sql: "INSERT INTO session (id, date, start, \"end\") VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET date=excluded.date, start=excluded.start, \"end\"=excluded.\"end\"",
          arguments: [session.id, session.date, session.start, session.end])
      }
      for pair in pairs {
        for (a, b) in [(pair[0], pair[1]), (pair[1], pair[0])] {
          try db.execute(sql: "INSERT OR IGNORE INTO districtAdjacency (district, neighbour) VALUES (?,?)", arguments: [a, b])
        }
      }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Every centre with its rooms and seats, sorted by id.
  public func centres() throws -> [Centre] {
    try read { db in
      let seatRows = try Row.fetchAll(db, sql: "SELECT * FROM seat ORDER BY centreId, roomId, row, column, id")
      var seats: [String: [Seat]] = [:]
      for r in seatRows {
        let key = (r["centreId"] as String) + "\u{1}" + (r["roomId"] as String)
        seats[key, default: []].append(Seat(id: r["id"], row: r["row"], column: r["column"], machineId: r["machineId"], reserve: r["reserve"]))
      }
      var rooms: [String: [Room]] = [:]
      for r in try Row.fetchAll(db, sql: "SELECT * FROM room ORDER BY centreId, id") {
        let centreId: String = r["centreId"]
        let id: String = r["id"]
        rooms[centreId, default: []].append(Room(id: id, accessible: r["accessible"], rows: r["rows"], columns: r["columns"],
          seats: seats[centreId + "\u{1}" + id] ?? []))
      }
      return try Row.fetchAll(db, sql: "SELECT * FROM centre ORDER BY id").map { r in
        Centre(id: r["id"], name: r["name"], district: r["district"], address: r["address"], rooms: rooms[r["id"]] ?? [])
      }
    }
  }

  /// Every session, by date and start.
  public func sessions() throws -> [ExamSession] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY date, start, id").map {
        ExamSession(id: $0["id"], date: $0["date"], start: $0["start"], end: $0["end"])
      }
    }
  }

  /// Neighbouring districts of each district (both directions).
  public func districtAdjacency() throws -> [String: Set<String>] {
    try read { db in
      var map: [String: Set<String>] = [:]
      for r in try Row.fetchAll(db, sql: "SELECT district, neighbour FROM districtAdjacency") {
        map[r["district"], default: []].insert(r["neighbour"])
      }
      return map
    }
  }
}
