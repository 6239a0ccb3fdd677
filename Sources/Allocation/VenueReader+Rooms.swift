import ExamCore
import Yams

extension VenueReader {
  mutating func readCentre(_ node: Node, _ path: String) -> Centre? {
    guard let map = mapping(node, path, allowed: ["id", "name", "district", "address", "rooms"]) else { return nil }
    let id = string(map["id"], path + ".id")
    let name = string(map["name"], path + ".name")
    let district = string(map["district"], path + ".district")
    let address = map["address"] == nil ? "" : string(map["address"], path + ".address") ?? ""
    var rooms: [Room] = []
    var seen: Set<String> = []
    for (i, item) in sequence(map["rooms"], path + ".rooms").enumerated() {
      let roomPath = path + ".rooms[\(i)]"
      guard let room = readRoom(item, roomPath) else { continue }
      if !seen.insert(room.id).inserted {
        fail(
          roomPath + ".id", item, "repeats the room id '\(room.id)' in this centre", fix: "give each room its own id")
      }
      rooms.append(room)
    }
    guard let id, let name, let district else { return nil }
    return Centre(id: id, name: name, district: district, address: address, rooms: rooms)
  }

  mutating func readRoom(_ node: Node, _ path: String) -> Room? {
    guard let map = mapping(node, path, allowed: ["id", "grid", "seats", "accessible", "reserve", "machine_prefix"])
    else { return nil }
    let id = string(map["id"], path + ".id")
    var accessible = false
    if let a = map["accessible"] {
      switch a.scalar?.string {
      case "true", "yes": accessible = true
      case "false", "no": accessible = false
      default: fail(path + ".accessible", a, "must be true or false", fix: "write accessible: true")
      }
    }
    var seats: [Seat] = []
    switch (map["grid"], map["seats"]) {
    case (let grid?, nil):
      guard let g = mapping(grid, path + ".grid", allowed: ["rows", "columns"]),
        let rows = integer(g["rows"], path + ".grid.rows", in: 1...50),
        let columns = integer(g["columns"], path + ".grid.columns", in: 1...50)
      else { return nil }
      let prefix = map["machine_prefix"].flatMap { string($0, path + ".machine_prefix") }
      let width = rows * columns >= 100 ? 3 : 2
      for n in 0..<rows * columns {
        var number = String(n + 1)
        while number.count < width { number = "0" + number }
        seats.append(
          Seat(id: number, row: n / columns + 1, column: n % columns + 1, machineId: prefix.map { $0 + number }))
      }
    case (nil, let list?):
      var ids: Set<String> = []
      var places: Set<SeatGrid.Position> = []
      for (i, item) in sequence(list, path + ".seats").enumerated() {
        let seatPath = path + ".seats[\(i)]"
        guard let s = mapping(item, seatPath, allowed: ["id", "row", "col", "machine"]),
          let seatId = string(s["id"], seatPath + ".id"),
          let row = integer(s["row"], seatPath + ".row", in: 1...50),
          let column = integer(s["col"], seatPath + ".col", in: 1...50)
        else { continue }
        let machine = s["machine"] == nil ? nil : string(s["machine"], seatPath + ".machine")
        if !ids.insert(seatId).inserted {
          fail(seatPath + ".id", item, "repeats the seat id '\(seatId)'", fix: "one id per seat")
        }
        if !places.insert(.init(row: row, column: column)).inserted {
          fail(seatPath, item, "puts a second seat at row \(row), col \(column)", fix: "give each seat its own place")
        }
        seats.append(Seat(id: seatId, row: row, column: column, machineId: machine))
      }
    default:
      fail(path, node, "must have either grid: {rows, columns} or a seats: list (not both)", fix: "keep one of them")
      return nil
    }
    guard !seats.isEmpty, let id else { return nil }
    // Reserve seats: a count (the last seats), a list of ids, or the default.
    var reserve: Set<String> = []
    if let r = map["reserve"] {
      if let list = r.sequence {
        for (i, item) in list.enumerated() {
          guard let seatId = item.scalar?.string, seats.contains(where: { $0.id == seatId }) else {
            fail(
              path + ".reserve[\(i)]", item, "value '\(item.scalar?.string ?? "?")' is not a seat of this room",
              fix: "list seat ids of the room (grid seats are 01, 02, …)")
            continue
          }
          reserve.insert(seatId)
        }
      } else if let n = integer(r, path + ".reserve", in: 0...seats.count - 1) {
        reserve = Set(seats.suffix(n).map(\.id))
      }
    } else {
      reserve = Set(seats.suffix(VenueFile.defaultReserve(seatCount: seats.count)).map(\.id))
    }
    if reserve.count >= seats.count {
      fail(path + ".reserve", map["reserve"], "keeps every seat in reserve", fix: "leave at least one seat to give out")
    }
    for i in seats.indices where reserve.contains(seats[i].id) { seats[i].reserve = true }
    let rows = seats.map(\.row).max() ?? 0
    let columns = seats.map(\.column).max() ?? 0
    return Room(id: id, accessible: accessible, rows: rows, columns: columns, seats: seats)
  }
}
