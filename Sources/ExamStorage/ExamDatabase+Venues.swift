import ExamCore
import GRDB
internal import GRDBSQLite

extension ExamDatabase {
  /// Every centre with its rooms and seats, sorted by id.
  public func centres() throws -> [Centre] {
    try read { db in
      // Read through the C API, by column position: a city has 100,000 seats or more, and GRDB's rows (each
      // column looked up by name) cost more than SQLite's read.
      let statement = try db.makeStatement(
        sql: """
          SELECT centreId, roomId, id, row, column, machineId, reserve FROM seat
          ORDER BY centreId, roomId, row, column, id
          """)
      let handle = statement.sqliteStatement
      // The rows come room by room: each room's seats are gathered, then filed once under its key.
      var seats: [String: [Seat]] = [:]
      var room = (centre: "", id: "")
      var roomSeats: [Seat] = []
      try Self.forEachRow(handle, db) {
        let next = (centre: Self.columnText(handle, 0), id: Self.columnText(handle, 1))
        if next != room {
          if !roomSeats.isEmpty { seats[room.centre + "\u{1}" + room.id] = roomSeats }
          (room, roomSeats) = (next, [])
        }
        roomSeats.append(
          Seat(
            id: Self.columnText(handle, 2), row: Int(sqlite3_column_int64(handle, 3)),
            column: Int(sqlite3_column_int64(handle, 4)),
            machineId: sqlite3_column_type(handle, 5) == SQLITE_NULL ? nil : Self.columnText(handle, 5),
            reserve: sqlite3_column_int64(handle, 6) != 0))
      }
      if !roomSeats.isEmpty { seats[room.centre + "\u{1}" + room.id] = roomSeats }
      var rooms: [String: [Room]] = [:]
      for r in try Row.fetchAll(db, sql: "SELECT * FROM room ORDER BY centreId, id") {
        let centreId: String = r["centreId"]
        let id: String = r["id"]
        rooms[centreId, default: []].append(
          Room(
            id: id, accessible: r["accessible"], rows: r["rows"], columns: r["columns"],
            seats: seats[centreId + "\u{1}" + id] ?? []))
      }
      return try Row.fetchAll(db, sql: "SELECT * FROM centre ORDER BY id").map { r in
        Centre(
          id: r["id"], name: r["name"], district: r["district"], address: r["address"], rooms: rooms[r["id"]] ?? [])
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
