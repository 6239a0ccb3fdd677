/// A test centre with its rooms.
public struct Centre: Sendable, Codable, Equatable {
  public var id: String
  public var name: String
  public var district: String
  public var address: String
  public var rooms: [Room]

  public init(id: String, name: String, district: String, address: String = "", rooms: [Room]) {
    self.id = id
    self.name = name
    self.district = district
    self.address = address
    self.rooms = rooms
  }
}

/// A computer room: a grid of seats, some kept in reserve for machine failures.
public struct Room: Sendable, Codable, Equatable {
  public var id: String
  public var accessible: Bool
  /// Grid size; every seat's `row` is in 1...rows and `column` in 1...columns.
  public var rows: Int
  public var columns: Int
  public var seats: [Seat]

  public init(id: String, accessible: Bool, rows: Int, columns: Int, seats: [Seat]) {
    self.id = id
    self.accessible = accessible
    self.rows = rows
    self.columns = columns
    self.seats = seats
  }
}

/// One seat (one machine) in a room.
public struct Seat: Sendable, Codable, Equatable, Hashable {
  public var id: String
  /// 1-based position in the room's grid.
  public var row: Int
  public var column: Int
  public var machineId: String?
  /// Kept empty for reseating after a machine failure.
  public var reserve: Bool

  public init(id: String, row: Int, column: Int, machineId: String? = nil, reserve: Bool = false) {
    self.id = id
    self.row = row
    self.column = column
    self.machineId = machineId
    self.reserve = reserve
  }
}

/// A sitting session (a half-day slot in which every room runs once).
public struct ExamSession: Sendable, Codable, Equatable, Hashable {
  public var id: String
  /// `YYYY-MM-DD`.
  public var date: String
  /// `HH:MM`, local time.
  public var start: String
  public var end: String

  public init(id: String, date: String, start: String, end: String) {
    self.id = id
    self.date = date
    self.start = start
    self.end = end
  }
}

/// Where one candidate sits for one exam.
public struct SeatAssignment: Sendable, Codable, Equatable, Hashable {
  public var examId: String
  public var candidateId: String
  public var sessionId: String
  public var centreId: String
  public var roomId: String
  public var seatId: String
  /// Paper form, "A", "B", …
  public var form: String

  public init(
    examId: String, candidateId: String, sessionId: String, centreId: String, roomId: String,
    seatId: String, form: String = "A"
  ) {
    self.examId = examId
    self.candidateId = candidateId
    self.sessionId = sessionId
    self.centreId = centreId
    self.roomId = roomId
    self.seatId = seatId
    self.form = form
  }
}
