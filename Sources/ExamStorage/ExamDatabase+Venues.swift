import ExamCore
import GRDB

extension ExamDatabase {
  /// Every centre with its rooms and seats, sorted by id.
  public func centres() throws -> [Centre] {
    try read { db in
      let seatRows = try Row.fetchAll(db, sql: "SELECT * FROM seat ORDER BY centreId, roomId, row, column, id")
      var seats: [String: [Seat]] = [:]
      for r in seatRows {
        let key = (r["centreId"] as String) + "\u{1}" + (r["roomId"] as String)
        seats[key, default: []].append(
          Seat(id: r["id"], row: r["row"], column: r["column"], machineId: r["machineId"], reserve: r["reserve"]))
      }
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
