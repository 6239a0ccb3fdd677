import ExamCore

/// The allocation problem in index form: candidates, schools, districts, rooms, room-sessions and
/// centre-sessions ("bins", one bus trip each) as dense integer ids, so the planner works on arrays.
struct PlanningProblem: Sendable {
  struct RoomInfo: Sendable {
    var centre: Int
    var room: Room
    /// Indices into `room.seats` of seats that may be given out (not reserve), front-left first.
    var usable: [Int]
    /// `usable` split in two sets with no neighbours inside either (`SeatGrid.wideAndNarrowClasses`): the wide
    /// class first. A school kept inside one class has no neighbour from its own school.
    var colourClasses: [[Int]]
    /// Seats one school can hold in this room with no two side by side or front/back, as the planner seats
    /// them (the wide class); at least half the usable seats, at most `independentSeats`.
    var schoolSeats: Int { colourClasses[0].count }
    /// Largest set of usable seats with no two neighbours (exact, by König's theorem).
    var independentSeats: Int
    /// The seats beside each seat of `room.seats` (side by side or front/back; indices into `room.seats`, reserve
    /// seats included): made once here for every step that counts same-school pairs.
    var seatNeighbours: [[Int]]
    /// Same-school pairs of a seating of this room given as seat (index into `room.seats`) → school.
    func sameSchoolPairs(_ schoolAt: [Int: Int]) -> Int {
      schoolAt.reduce(0) { n, e in n + seatNeighbours[e.key].count { schoolAt[$0] == e.value } } / 2
    }
    /// The grid positions of `usable`, in its order.
    var usablePositions: [SeatGrid.Position] {
      usable.map { SeatGrid.Position(row: room.seats[$0].row, column: room.seats[$0].column) }
    }
    /// `usablePositions` moved to start at row 0, column 0 and sorted: rooms with equal shapes have equal values.
    var usableShape: [SeatGrid.Position] {
      let positions = usablePositions
      guard let firstRow = positions.map(\.row).min(), let firstColumn = positions.map(\.column).min() else {
        return []
      }
      return positions.map { SeatGrid.Position(row: $0.row - firstRow, column: $0.column - firstColumn) }
        .sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }
  }

  var candidates: [Candidate]
  var centres: [Centre]
  var sessions: [ExamSession]
  var formCount: Int
  var districtNames: [String]
  /// District index of each candidate.
  var candidateDistrict: [Int]
  /// School index of each candidate (a school is a name within a district).
  var candidateSchool: [Int]
  var schoolNames: [String]
  var schoolDistrict: [Int]
  var centreDistrict: [Int]
  /// Districts whose candidates may sit in a centre of district d: d and its neighbours.
  var reachableDistricts: [Set<Int>]
  var rooms: [RoomInfo]
  /// Rooms of each centre, as indices into `rooms`.
  var centreRooms: [[Int]]

  init(
    candidates: [Candidate], centres: [Centre], sessions: [ExamSession], adjacency: [String: Set<String>],
    formCount: Int
  ) {
    self.candidates = candidates.sorted { $0.id < $1.id }
    self.centres = centres.sorted { $0.id < $1.id }
    self.sessions = sessions.sorted { ($0.date, $0.start, $0.id) < ($1.date, $1.start, $1.id) }
    self.formCount = max(1, formCount)
    var names = Set(self.candidates.map(\.district))
    names.formUnion(self.centres.map(\.district))
    for (d, ns) in adjacency { names.insert(d); names.formUnion(ns) }
    districtNames = names.sorted()
    let districtIndex = Dictionary(uniqueKeysWithValues: districtNames.enumerated().map { ($1, $0) })
    candidateDistrict = self.candidates.map { districtIndex[$0.district]! }
    var schoolIndex: [String: Int] = [:]
    var schoolNames: [String] = []
    var schoolDistrict: [Int] = []
    var candidateSchool: [Int] = []
    candidateSchool.reserveCapacity(self.candidates.count)
    for (i, c) in self.candidates.enumerated() {
      let key = c.district + "\u{1}" + c.school
      if let s = schoolIndex[key] {
        candidateSchool.append(s)
      } else {
        schoolIndex[key] = schoolNames.count
        candidateSchool.append(schoolNames.count)
        schoolNames.append(c.school)
        schoolDistrict.append(candidateDistrict[i])
      }
    }
    self.schoolNames = schoolNames
    self.schoolDistrict = schoolDistrict
    self.candidateSchool = candidateSchool
    centreDistrict = self.centres.map { districtIndex[$0.district]! }
    reachableDistricts = districtNames.map { name in
      var set: Set<Int> = [districtIndex[name]!]
      for n in adjacency[name] ?? [] { set.insert(districtIndex[n]!) }
      return set
    }
    var rooms: [RoomInfo] = []
    var centreRooms: [[Int]] = []
    for (c, centre) in self.centres.enumerated() {
      var list: [Int] = []
      for room in centre.rooms.sorted(by: { $0.id < $1.id }) {
        list.append(rooms.count)
        rooms.append(PlanningProblem.roomInfo(centre: c, room: room))
      }
      centreRooms.append(list)
    }
    self.rooms = rooms
    self.centreRooms = centreRooms
  }

  static func roomInfo(centre: Int, room: Room) -> RoomInfo {
    let order = room.seats.indices.sorted {
      (room.seats[$0].row, room.seats[$0].column, room.seats[$0].id) < (
        room.seats[$1].row, room.seats[$1].column, room.seats[$1].id
      )
    }
    let usable = order.filter { !room.seats[$0].reserve }
    let positions = usable.map { SeatGrid.Position(row: room.seats[$0].row, column: room.seats[$0].column) }
    let (wide, narrow) = SeatGrid.wideAndNarrowClasses(positions)
    return RoomInfo(
      centre: centre, room: room, usable: usable, colourClasses: [wide.map { usable[$0] }, narrow.map { usable[$0] }],
      independentSeats: SeatGrid.independenceNumber(positions),
      seatNeighbours: SeatGrid.neighbours(room.seats.map { .init(row: $0.row, column: $0.column) }))
  }

  var roomCount: Int { rooms.count }
  var centreCount: Int { centres.count }
  /// Room-session index.
  func roomSession(session: Int, room: Int) -> Int { session * rooms.count + room }
  /// Centre-session ("bin") index.
  func bin(session: Int, centre: Int) -> Int { session * centres.count + centre }
  /// The bin of room-session `rs`, and its part (`SchoolNetwork.part`: the bin's accessible or other rooms).
  func bin(roomSession rs: Int) -> Int { bin(session: rs / rooms.count, centre: rooms[rs % rooms.count].centre) }
  /// The usable seats of room-session `rs`'s room.
  func seats(roomSession rs: Int) -> Int { rooms[rs % rooms.count].usable.count }
  func part(roomSession rs: Int) -> Int {
    SchoolNetwork.part(bin: bin(roomSession: rs), accessible: rooms[rs % rooms.count].room.accessible)
  }

  /// Whether a candidate of district `d` may sit in centre `c`.
  func reachable(district d: Int, centre c: Int) -> Bool { reachableDistricts[d].contains(centreDistrict[c]) }
}
