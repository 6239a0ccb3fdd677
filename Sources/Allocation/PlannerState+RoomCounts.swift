/// Step 8, where same-school neighbours remain: a second plan whose counts of each school per room-session come
/// from `RoomPairsProgram`, kept if it has fewer pairs (then fewer bus trips); then, on small cities, a third whose
/// counts have the fewest trips among those with no more pairs (`SeparateRoomsProgram.fewestTrips`).
///
/// The plan so far chose each school's centre-sessions for bus trips and then seated them; where pairs cannot be
/// avoided, that leaves each room exactly at its fewest pairs for the counts it was given (measured on the pairs
/// sweep's 18 such cities), so what is left is in the counts. The program chooses them for pairs first — a
/// candidate placed in a centre-session its school does not ride to in the plan so far costs a small amount, so
/// among the counts with fewest pairs it takes those closest to that plan — then each room is seated
/// (`seatRoomFewestPairs`), and the local search, the crowded-school step, the neighbour repair and the annealing
/// run again. The separate rooms are `SeparateRoomsProgram`'s where it finds counts with fewer pairs than the first
/// plan's rooms allow (its proven bound then joins the report's pairs bound), else the first plan's.
extension PlannerState {
  /// Largest city the program is built for: its columns grow with schools × room-sessions a school reaches.
  static let roomCountsCandidates = 20_000

  /// Same-school pairs and bus trips of the plan as it stands.
  func pairsAndTrips() -> (pairs: Int, trips: Int) {
    let board = SeatBoard(problem: problem, roomSessionOf: roomSessionOf, seatOf: seatOf)
    var rides = Set<Int>()
    let bins = problem.sessions.count * problem.centreCount
    var pairs = 0
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 {
      rides.insert(problem.candidateSchool[i] * bins + problem.bin(roomSession: roomSessionOf[i]))
      if !exclusive[roomSessionOf[i]] {
        pairs += board.clashes(i, roomSession: roomSessionOf[i], seat: seatOf[i], ignoring: -1)
      }
    }
    return (pairs / 2, rides.count)
  }

  /// Plans again from the program's counts; returns the same-school pairs and the bus trips it saved ((0, 0): the
  /// plan so far is kept).
  mutating func planByRoomCounts() -> (pairs: Int, trips: Int) {
    guard problem.candidates.count <= Self.roomCountsCandidates else { return (0, 0) }
    let before = pairsAndTrips()
    guard before.pairs > 0 else { return (0, 0) }
    let bins = problem.sessions.count * problem.centreCount
    let separateRooms = SeparateRoomsProgram(problem: problem)
    var members = Array(repeating: [Int](), count: problem.schoolNames.count)
    var rides = Set<Int>()
    for i in problem.candidates.indices where !needs(i, .separateRoom) {
      let school = problem.candidateSchool[i]
      members[school].append(i)
      if roomSessionOf[i] >= 0 { rides.insert(school * bins + problem.bin(roomSession: roomSessionOf[i])) }
    }
    let away = 0.5 / Double(max(1, problem.candidates.count))
    let saved = (roomSessionOf, seatOf, search, exclusive)
    let program = RoomPairsProgram(
      problem: problem, closed: exclusive, demand: separateRooms.demand, curves: separateRooms.curves,
      binCost: { school, bin in rides.contains(school * bins + bin) ? 0 : away })
    guard program.solve() else { return (0, 0) }
    let largest = exact == nil ? SeparateRoomsProgram.largestCity : SeparateRoomsProgram.largestExactCity
    if separateRooms.hasSeparateRoomCandidates && problem.candidates.count <= largest {
      let choice = separateRooms.solve(
        maximumNodes: SeparateRoomsProgram.maximumNodes, maximumSeconds: SeparateRoomsProgram.maximumSeconds)
      separateRoomsPairsBound = choice.bound
      if let pairs = choice.pairs, pairs < program.objective - 0.5 {
        for rs in moveSeparateRoomCandidates(to: choice.rooms) { program.setClosed(rs, false) }
        for i in problem.candidates.indices where needs(i, .separateRoom) && roomSessionOf[i] >= 0 {
          program.setClosed(roomSessionOf[i], true)
        }
        guard program.solve() else {
          (roomSessionOf, seatOf, search, exclusive) = saved
          return (0, 0)
        }
      }
    }
    var best = (pairs: before.pairs, trips: before.trips, repairMoves: 0)
    if let counts = program.counts() {
      seat(counts: counts, members: members, keptIfBelow: &best, else: saved)
    } else {
      (roomSessionOf, seatOf, search, exclusive) = saved
    }
    // Then, among counts with no more pairs, the fewest bus trips (small cities: a mixed-integer program).
    let (tripsCity, tripsNodes) =
      exact == nil
      ? (Self.fewestTripsCandidates, Self.fewestTripsNodes)
      : (SeparateRoomsProgram.largestExactCity, SeparateRoomsProgram.maximumNodes)
    if problem.candidates.count <= tripsCity,
      let fewest = separateRooms.fewestTrips(
        pairs: Double(best.pairs), maximumNodes: tripsNodes, maximumSeconds: SeparateRoomsProgram.maximumSeconds),
      fewest.trips < best.trips
    {
      let kept = (roomSessionOf, seatOf, search, exclusive)
      _ = moveSeparateRoomCandidates(to: fewest.rooms)
      seat(counts: fewest.counts, members: members, keptIfBelow: &best, else: kept)
    }
    guard (best.pairs, best.trips) < (before.pairs, before.trips) else { return (0, 0) }
    search.neighbourMoves += best.repairMoves
    search.neighbourTripChange += best.trips - before.trips
    return (before.pairs - best.pairs, before.trips - best.trips)
  }

  /// Largest city whose trips `SeparateRoomsProgram.fewestTrips` lowers by default, and CBC's node limit there
  /// (the plan then depends on the input only): 0.4–4 s at 1,000–2,000 candidates, 12 s at 5,000
  /// (docs/benchmarks.md, Rooms, session 32). With `--exact`: up to `SeparateRoomsProgram.largestExactCity`, its
  /// node limit.
  static let fewestTripsCandidates = 2_000
  static let fewestTripsNodes = 25

  /// Gives the separate-room candidates the room-sessions `rooms` (per district and kind, as
  /// `SeparateRoomsProgram` lists them), in candidate order; returns the room-sessions they left.
  private mutating func moveSeparateRoomCandidates(to rooms: [[Int]]) -> [Int] {
    var next = Array(repeating: 0, count: rooms.count)
    var left: [Int] = []
    for i in problem.candidates.indices where needs(i, .separateRoom) && roomSessionOf[i] >= 0 {
      let kind = 2 * problem.candidateDistrict[i] + (needs(i, .accessibleSeat) ? 1 : 0)
      guard next[kind] < rooms[kind].count else { continue }
      let rs = rooms[kind][next[kind]]
      next[kind] += 1
      left.append(roomSessionOf[i])
      exclusive[roomSessionOf[i]] = false
      roomSessionOf[i] = rs
      let info = problem.rooms[rs % problem.roomCount]
      seatOf[i] = info.usable[info.usable.count / 2]
    }
    for i in problem.candidates.indices where needs(i, .separateRoom) && roomSessionOf[i] >= 0 {
      exclusive[roomSessionOf[i]] = true
    }
    return left
  }

  /// Seats every candidate but the separate-room ones from `counts` (per school, its candidates per
  /// room-session; `members` its candidates), each room by `seatRoomFewestPairs`, then runs the local search, the
  /// crowded-school step, the neighbour repair and the annealing. Kept where its (pairs, trips) is below `best`'s,
  /// which it then becomes with the repair's moves; else the plan `previous` is put back.
  private mutating func seat(
    counts: [[Int: Int]], members: [[Int]], keptIfBelow best: inout (pairs: Int, trips: Int, repairMoves: Int),
    else previous: (roomSessionOf: [Int], seatOf: [Int], search: SearchReport, exclusive: [Bool])
  ) {
    // Each school's accessible-seat candidates to its accessible room-sessions first.
    var groupsByRoomSession: [Int: [(school: Int, members: [Int])]] = [:]
    for school in counts.indices where !members[school].isEmpty {
      let accessibleFirst = members[school].filter { needs($0, .accessibleSeat) }
      let order = accessibleFirst + members[school].filter { !needs($0, .accessibleSeat) }
      let places = counts[school].keys.sorted {
        (problem.rooms[$0 % problem.roomCount].room.accessible ? 0 : 1, $0)
          < (problem.rooms[$1 % problem.roomCount].room.accessible ? 0 : 1, $1)
      }
      var next = 0
      for rs in places {
        let k = counts[school][rs]!
        groupsByRoomSession[rs, default: []].append((school, Array(order[next..<next + k])))
        next += k
      }
    }
    for i in problem.candidates.indices where !needs(i, .separateRoom) {
      roomSessionOf[i] = -1
      seatOf[i] = -1
    }
    for rs in groupsByRoomSession.keys.sorted() {
      seatRoomFewestPairs(rs, groupsByRoomSession[rs]!.map { ($0.school, $0.members[...]) })
    }
    improveRooms()
    _ = seatCrowdedSchoolsBest()
    let repair = repairNeighbours()
    if repair.moves > 0 { _ = seatCrowdedSchoolsBest() }
    _ = annealNeighbours()
    let after = pairsAndTrips()
    if (after.pairs, after.trips) < (best.pairs, best.trips) {
      best = (after.pairs, after.trips, repair.moves)
    } else {
      (roomSessionOf, seatOf, search, exclusive) = previous
    }
  }

  /// Seats room-session `rs` from its schools' counts: as `seatRoom` does (each school in one seat class where it
  /// fits), or — where that makes same-school pairs — each school in turn, largest first, on the seats left that
  /// make fewest pairs among themselves (`RoomPairCost.fewestPairSeats`), whichever has fewer pairs. A school of
  /// 20 in a 6 × 6 room (18 seats a class) with schools of 8 and 3: the classes put its last two on the narrow
  /// class's last seats, the counted seats where they touch fewest of its own; the others fill what is left.
  mutating func seatRoomFewestPairs(_ rs: Int, _ groups: [(school: Int, members: ArraySlice<Int>)]) {
    seatRoom(rs, groups)
    let info = problem.rooms[rs % problem.roomCount]
    let now = info.sameSchoolPairs(
      Dictionary(uniqueKeysWithValues: groups.flatMap { g in g.members.map { (seatOf[$0], g.school) } }))
    guard now > 0 else { return }
    var left = info.usable
    var trial: [(candidate: Int, seat: Int)] = []
    var schoolAt: [Int: Int] = [:]
    for group in groups.sorted(by: { ($0.members.count, -$0.school) > ($1.members.count, -$1.school) }) {
      let positions = left.map { SeatGrid.Position(row: info.room.seats[$0].row, column: info.room.seats[$0].column) }
      guard let chosen = RoomPairCost.fewestPairSeats(positions, count: group.members.count) else { return }
      let seats = chosen.map { left[$0] }
      trial += zip(group.members, seats).map { ($0, $1) }
      for seat in seats { schoolAt[seat] = group.school }
      let taken = Set(seats)
      left.removeAll { taken.contains($0) }
    }
    guard info.sameSchoolPairs(schoolAt) < now else { return }
    for (i, seat) in trial { seatOf[i] = seat }
  }
}
