/// Who sits where in every room-session, and the seats beside each seat: what the neighbour repair and the
/// annealing count a move's change in same-school pairs from.
struct SeatBoard {
  /// Occupant of each seat of each room-session (-1: empty).
  var holder: [[Int]]
  /// Neighbouring seats of each seat, per room (`PlanningProblem.RoomInfo.seatNeighbours`).
  let neighbours: [[[Int]]]
  /// School of each candidate.
  let school: [Int]

  /// The board of a plan: `roomSessionOf[i]` and `seatOf[i]` for each candidate (room-session -1: not seated).
  init(problem: PlanningProblem, roomSessionOf: [Int], seatOf: [Int]) {
    let roomCount = problem.roomCount
    holder = (0..<roomCount * problem.sessions.count).map {
      Array(repeating: -1, count: problem.rooms[$0 % roomCount].room.seats.count)
    }
    neighbours = problem.rooms.map(\.seatNeighbours)
    school = problem.candidateSchool
    for (i, rs) in roomSessionOf.enumerated() where rs >= 0 { holder[rs][seatOf[i]] = i }
  }

  /// Same-school neighbours candidate `i` would have on `seat` of room-session `rs`, the seat `ignoring` counted
  /// empty.
  func clashes(_ i: Int, roomSession rs: Int, seat: Int, ignoring: Int) -> Int {
    var n = 0
    for other in neighbours[rs % neighbours.count][seat] where other != ignoring {
      let h = holder[rs][other]
      if h >= 0 && h != i && school[h] == school[i] { n += 1 }
    }
    return n
  }
}
