/// Step 6: the same-school neighbours that seating and the room search left, removed by moves across the
/// whole city.
///
/// Each candidate with a same-school neighbour moves to an empty usable seat, or swaps seats with a candidate of
/// another school, wherever that lowers the pairs — first in its own centre-session, then in centre-sessions its
/// school already rides to, then in any it may reach (one bus trip more: no same-school neighbours comes before
/// trips in the order of objectives). Hard rules hold on every move: the district may reach the centre, an
/// accessible-seat candidate stays in accessible rooms, reserve seats and separate rooms are never used. A move
/// is taken only if it lowers the pairs (the largest drop; then the fewest trips added; then the emptier room),
/// so the step ends; candidates are visited in index order, so it is deterministic.
extension PlannerState {
  /// What `repairNeighbours` did: moves made and the change in bus trips.
  struct NeighbourRepair {
    var moves = 0
    var tripChange = 0
    var outOfWork = false
    /// False only when the last pass found no candidate beside another of their school (a plan without pairs).
    var pairsLeft = true
  }

  /// Seats the repair may look at in all: enough for the few candidates left with a neighbour where the bound is
  /// 0 (each looks at the seats its district reaches, a few times), and a cap where pairs cannot all be avoided.
  static func repairWork(candidates: Int) -> Int { 2_000_000 + 200 * candidates }

  private struct Board {
    /// Who sits where.
    var seats: SeatBoard
    /// Candidates per (school, bin), separate-room candidates included: whether a move adds or removes a trip.
    var present: [Int: Int]
    /// Occupied usable seats per room-session.
    var occupied: [Int]
    /// Seats still to be looked at: a budget of work, not of time, so the plan depends on the seed only.
    var work: Int
  }

  mutating func repairNeighbours() -> NeighbourRepair {
    let bins = problem.sessions.count * problem.centreCount
    var board = Board(
      seats: SeatBoard(problem: problem, roomSessionOf: roomSessionOf, seatOf: seatOf),
      present: [:], occupied: Array(repeating: 0, count: exclusive.count),
      work: Self.repairWork(candidates: problem.candidates.count))
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 {
      let rs = roomSessionOf[i]
      board.occupied[rs] += 1
      board.present[problem.candidateSchool[i] * bins + problem.bin(roomSession: rs), default: 0] += 1
    }
    let reachable = reachableBins()
    var repair = NeighbourRepair()
    // Each move lowers the pairs by at least one, so this ends; the bound keeps a pathological case short.
    search: for _ in 0..<64 {
      var moved = false
      var clashing = 0
      for i in problem.candidates.indices where roomSessionOf[i] >= 0 && !exclusive[roomSessionOf[i]] {
        guard board.work > 0 else {
          repair.outOfWork = true
          break search
        }
        guard board.seats.clashes(i, roomSession: roomSessionOf[i], seat: seatOf[i], ignoring: -1) > 0 else { continue }
        clashing += 1
        if let trips = moveOff(&board, i, reachable: reachable[problem.candidateSchool[i]], bins: bins) {
          repair.moves += 1
          repair.tripChange += trips
          moved = true
        }
      }
      if !moved {
        repair.pairsLeft = clashing > 0
        break
      }
    }
    return repair
  }

  /// Bus trips added by moving one candidate of `school` from bin `from` to bin `to`.
  private func tripChange(_ board: Board, school: Int, from: Int, to: Int, bins: Int) -> Int {
    guard from != to else { return 0 }
    return (board.present[school * bins + to, default: 0] == 0 ? 1 : 0)
      - (board.present[school * bins + from, default: 0] == 1 ? 1 : 0)
  }

  /// The best move or swap that lowers candidate `i`'s same-school pairs, applied; returns the trips it added
  /// (nil: none found). Bins are searched own first, then those its school rides to, then any reachable.
  private mutating func moveOff(_ board: inout Board, _ i: Int, reachable: [Int], bins: Int) -> Int? {
    let school = problem.candidateSchool[i]
    let rs = roomSessionOf[i]
    let seat = seatOf[i]
    let home = problem.bin(roomSession: rs)
    let now = board.seats.clashes(i, roomSession: rs, seat: seat, ignoring: -1)
    let accessible = needs(i, .accessibleSeat)
    let homeRoomAccessible = problem.rooms[rs % problem.roomCount].room.accessible
    // (−gain, trips, fill ‰ of the target room, room-session, seat)
    var best: (key: (Int, Int, Int, Int, Int), roomSession: Int, seat: Int)?
    let scopes: [[Int]] = [
      [home], reachable.filter { $0 != home && board.present[school * bins + $0, default: 0] > 0 },
      reachable.filter { $0 != home && board.present[school * bins + $0, default: 0] == 0 },
    ]
    for scope in scopes {
      if let best, best.key.0 == -now && best.key.1 <= 0 { break }  // all pairs gone, no trip added
      for b in scope {
        let s = b / problem.centreCount
        for r in problem.centreRooms[b % problem.centreCount] {
          let info = problem.rooms[r]
          let target = problem.roomSession(session: s, room: r)
          guard !exclusive[target], !info.usable.isEmpty, !accessible || info.room.accessible else { continue }
          let fill = 1000 * board.occupied[target] / info.usable.count
          board.work -= info.usable.count
          for other in info.usable where !(target == rs && other == seat) {
            let j = board.seats.holder[target][other]
            var gain: Int
            var trips = tripChange(board, school: school, from: home, to: b, bins: bins)
            if j < 0 {
              gain = now - board.seats.clashes(i, roomSession: target, seat: other, ignoring: target == rs ? seat : -1)
            } else {
              let otherSchool = problem.candidateSchool[j]
              guard otherSchool != school, !needs(j, .accessibleSeat) || homeRoomAccessible,
                problem.reachable(
                  district: problem.candidateDistrict[j], centre: problem.rooms[rs % problem.roomCount].centre)
              else { continue }
              let same = target == rs
              gain =
                now + board.seats.clashes(j, roomSession: target, seat: other, ignoring: -1)
                - board.seats.clashes(i, roomSession: target, seat: other, ignoring: same ? seat : -1)
                - board.seats.clashes(j, roomSession: rs, seat: seat, ignoring: same ? other : -1)
              trips += tripChange(board, school: otherSchool, from: b, to: home, bins: bins)
            }
            guard gain > 0 else { continue }
            let key = (-gain, trips, fill, target, other)
            if best == nil || key < best!.key { best = (key, target, other) }
          }
        }
      }
    }
    guard let best else { return nil }
    let j = board.seats.holder[best.roomSession][best.seat]
    place(&board, i, roomSession: best.roomSession, seat: best.seat, bins: bins)
    if j >= 0 {
      place(&board, j, roomSession: rs, seat: seat, bins: bins)
    } else {
      board.seats.holder[rs][seat] = -1
    }
    return best.key.1
  }

  /// Puts candidate `i` on `seat` of `rs` (its old seat is left to the caller).
  private mutating func place(_ board: inout Board, _ i: Int, roomSession rs: Int, seat: Int, bins: Int) {
    let old = roomSessionOf[i]
    let school = problem.candidateSchool[i]
    if board.seats.holder[old][seatOf[i]] == i { board.seats.holder[old][seatOf[i]] = -1 }
    board.occupied[old] -= 1
    board.present[school * bins + problem.bin(roomSession: old)]! -= 1
    board.seats.holder[rs][seat] = i
    board.occupied[rs] += 1
    board.present[school * bins + problem.bin(roomSession: rs), default: 0] += 1
    roomSessionOf[i] = rs
    seatOf[i] = seat
  }
}
