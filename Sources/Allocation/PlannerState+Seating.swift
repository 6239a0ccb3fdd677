/// Steps 4–5: rooms and seats inside each part of a centre-session, then local search against same-school
/// neighbours.
extension PlannerState {
  /// Gives each piece its candidates (accessible-seat ones to accessible parts), then splits each part over
  /// its rooms and seats each room.
  mutating func seatParts(_ pieces: [[Piece]]) {
    var regularMembers = Array(repeating: [Int](), count: problem.schoolNames.count)
    var accessibleMembers = regularMembers
    for i in problem.candidates.indices where roomSessionOf[i] < 0 {
      if needs(i, .accessibleSeat) {
        accessibleMembers[problem.candidateSchool[i]].append(i)
      } else {
        regularMembers[problem.candidateSchool[i]].append(i)
      }
    }
    for s in regularMembers.indices {
      random.shuffle(&regularMembers[s])
      random.shuffle(&accessibleMembers[s])
    }
    var byPart = Array(
      repeating: [(school: Int, members: [Int])](), count: 2 * problem.sessions.count * problem.centreCount)
    for (school, list) in pieces.enumerated() {
      var r = regularMembers[school][...]
      var a = accessibleMembers[school][...]
      for piece in list {
        byPart[piece.part].append((school, Array(a.prefix(piece.accessible)) + Array(r.prefix(piece.regular))))
        a = a.dropFirst(piece.accessible)
        r = r.dropFirst(piece.regular)
      }
    }
    for (p, groups) in byPart.enumerated() where !groups.isEmpty { seatPart(p, groups) }
  }

  /// Seats part `p`'s schools in its rooms. Each school keeps to one no-neighbour class per room when it can:
  /// first with rooms filled evenly (a max flow splits the schools over the rooms, each within a room's wide
  /// class, then each room packs its schools into its two classes), else packed class by class over the whole
  /// part (`ClassSlots`); only if neither works is a school split over both classes of a room (`seatRoom`).
  mutating func seatPart(_ p: Int, _ groups: [(school: Int, members: [Int])]) {
    let b = p / 2
    let s = b / problem.centreCount
    let rooms = partRooms(session: s, centre: b % problem.centreCount).filter { $0.part == p }.map(\.room)
    let classes = rooms.map {
      (wide: problem.rooms[$0].colourClasses[0].count, narrow: problem.rooms[$0].colourClasses[1].count)
    }
    let split = evenSplit(rooms: rooms, counts: groups.map(\.members.count))
    var placements: [ClassSlots.Placement]? = []
    for (j, list) in split.enumerated() {
      let packed = ClassSlots.pack(classes: [classes[j]], groups: list)
      guard packed.leftover.isEmpty else {
        placements = nil
        break
      }
      placements! += packed.placements.map {
        ClassSlots.Placement(school: $0.school, room: j, colour: $0.colour, count: $0.count)
      }
    }
    if placements == nil {
      let packed = ClassSlots.pack(classes: classes, groups: groups.indices.map { ($0, groups[$0].members.count) })
      if packed.leftover.isEmpty { placements = packed.placements }
    }
    var taken = Array(repeating: 0, count: groups.count)
    func members(_ k: Int, _ n: Int) -> ArraySlice<Int> {
      defer { taken[k] += n }
      return groups[k].members[taken[k]..<taken[k] + n]
    }
    if let placements {
      var inClass = Array(repeating: [[Int](), [Int]()], count: rooms.count)
      for pl in placements { inClass[pl.room][pl.colour] += members(pl.school, pl.count) }
      for (j, r) in rooms.enumerated() {
        seatClasses(problem.roomSession(session: s, room: r), whole: inClass[j], front: [], back: [])
      }
    } else {
      for (j, r) in rooms.enumerated() {
        seatRoom(
          problem.roomSession(session: s, room: r),
          split[j].map { (groups[$0.school].school, members($0.school, $0.count)) })
      }
    }
  }

  /// Splits candidates (counts per group) over `rooms` by a max flow: each group within a room's wide class,
  /// rooms filled evenly first, then to their usable seats, then (only if the part cannot avoid same-school
  /// neighbours) without the class limit. Returns per room the (group, count) it takes.
  func evenSplit(rooms: [Int], counts: [Int]) -> [[(school: Int, count: Int)]] {
    let total = counts.reduce(0, +)
    let usable = rooms.reduce(0) { $0 + problem.rooms[$1].usable.count }
    let sink = 1 + counts.count + rooms.count
    var graph = MaxFlow(nodeCount: sink + 1)
    for (k, n) in counts.enumerated() { graph.addEdge(from: 0, to: 1 + k, capacity: n) }
    let groupEdges = counts.enumerated().map { k, n in
      rooms.enumerated().map { j, r in
        graph.addEdge(from: 1 + k, to: 1 + counts.count + j, capacity: min(n, problem.rooms[r].schoolSeats))
      }
    }
    let roomEdges = rooms.enumerated().map { j, r in
      let seats = problem.rooms[r].usable.count
      return graph.addEdge(
        from: 1 + counts.count + j, to: sink, capacity: min(seats, (total * seats + usable - 1) / max(usable, 1)))
    }
    var placed = graph.augment(source: 0, sink: sink)
    if placed < total {
      for (j, r) in rooms.enumerated() { graph.setCapacity(of: roomEdges[j], to: problem.rooms[r].usable.count) }
      placed += graph.augment(source: 0, sink: sink)
    }
    if placed < total {
      for (k, n) in counts.enumerated() {
        for (j, r) in rooms.enumerated() {
          graph.setCapacity(of: groupEdges[k][j], to: min(n, problem.rooms[r].usable.count))
        }
      }
      placed += graph.augment(source: 0, sink: sink)
    }
    return rooms.indices.map { j in
      counts.indices.compactMap { k in
        let n = graph.flow(of: groupEdges[k][j])
        return n > 0 ? (k, n) : nil
      }
    }
  }

  /// Seats a room whose schools do not fit one class each: largest first, each in the class with more room left
  /// when it fits whole, else split over both classes — its wide seats from the front, its narrow seats from the
  /// back, so the two halves are far apart (the local search then parts what still touches).
  mutating func seatRoom(_ rs: Int, _ groups: [(school: Int, members: ArraySlice<Int>)]) {
    var free = problem.rooms[rs % problem.roomCount].colourClasses.map(\.count)
    var whole: [[Int]] = [[], []]
    var front: [Int] = []
    var back: [Int] = []
    let order = groups.indices.sorted {
      (-groups[$0].members.count, groups[$0].school) < (-groups[$1].members.count, groups[$1].school)
    }
    for k in order {
      let members = Array(groups[k].members)
      let roomier = free[0] >= free[1] ? 0 : 1
      if members.count <= free[roomier] {
        whole[roomier] += members
        free[roomier] -= members.count
      } else if members.count <= free[1 - roomier] {
        whole[1 - roomier] += members
        free[1 - roomier] -= members.count
      } else {
        let first = free[0]
        front += members.prefix(first)
        back += members.dropFirst(first)
        free[0] = 0
        free[1] -= members.count - first
      }
    }
    seatClasses(rs, whole: whole, front: front, back: back)
  }

  /// Puts `front` on the first seats of the wide class, `back` on the last seats of the narrow class, and each
  /// class's `whole` members on the rest of it with the empty seats spread evenly between them.
  mutating func seatClasses(_ rs: Int, whole: [[Int]], front: [Int], back: [Int]) {
    let classes = problem.rooms[rs % problem.roomCount].colourClasses
    func put(_ i: Int, _ seat: Int) {
      roomSessionOf[i] = rs
      seatOf[i] = seat
    }
    for (j, i) in front.enumerated() { put(i, classes[0][j]) }
    for (j, i) in back.enumerated() { put(i, classes[1][classes[1].count - 1 - j]) }
    for colour in 0..<2 {
      let seats = colour == 0 ? Array(classes[0].dropFirst(front.count)) : Array(classes[1].dropLast(back.count))
      for (j, i) in whole[colour].enumerated() { put(i, seats[j * seats.count / whole[colour].count]) }
    }
  }

  // MARK: - Step 5: local search

  /// In every centre-session with same-school neighbours, moves a candidate to an empty usable seat or swaps
  /// two candidates of different schools — within a room or between rooms of the same centre and session, so
  /// bus trips do not change — whenever that lowers the same-school neighbour pairs. Accessible-seat
  /// candidates only move between accessible rooms; separate rooms are left alone.
  mutating func improveRooms() {
    let sessions = problem.sessions.count
    var occupants = Array(repeating: [Int](), count: exclusive.count)
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 { occupants[roomSessionOf[i]].append(i) }
    for s in 0..<sessions {
      for c in 0..<problem.centreCount {
        let rooms = problem.centreRooms[c].filter { r in
          let rs = problem.roomSession(session: s, room: r)
          return !exclusive[rs] && !occupants[rs].isEmpty
        }
        guard !rooms.isEmpty else { continue }
        var holder: [[Int]] = []
        var neighbours: [[[Int]]] = []
        for r in rooms {
          neighbours.append(problem.rooms[r].seatNeighbours)
          var h = Array(repeating: -1, count: problem.rooms[r].room.seats.count)
          for i in occupants[problem.roomSession(session: s, room: r)] { h[seatOf[i]] = i }
          holder.append(h)
        }
        improve(rooms: rooms, session: s, holder: &holder, neighbours: neighbours)
      }
    }
  }

  /// Where one school has more candidates in a room than the room seats without neighbours, tries it on the
  /// room's best seats for that many (`RoomPairCost.fewestPairSeats`), the room's other candidates then each on the
  /// free seat beside fewest of their own school, and keeps that when the room has fewer pairs: one checkerboard
  /// class and the other's cheapest seats, which seating and the local search reach, are not always best (a 5 × 8
  /// room less 4 reserve seats, 21 candidates of one school: 6 pairs, not 7). Returns the pairs saved.
  mutating func seatCrowdedSchoolsBest() -> Int {
    var occupants = Array(repeating: [Int](), count: exclusive.count)
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 { occupants[roomSessionOf[i]].append(i) }
    var best: [Int: [Int: [Int]?]] = [:]  // by room, then count: the seats (indices into the room's seats)
    var saved = 0
    // A school can be crowded only where the room holds more than its independence number.
    for (rs, list) in occupants.enumerated()
    where !exclusive[rs] && list.count > problem.rooms[rs % problem.roomCount].independentSeats {
      let room = rs % problem.roomCount
      let info = problem.rooms[room]
      var bySchool: [Int: [Int]] = [:]
      for i in list { bySchool[problem.candidateSchool[i], default: []].append(i) }
      // The crowded school: the most candidates (the first such school on a tie), beyond the independence number.
      guard let crowded = bySchool.keys.max(by: { (bySchool[$0]!.count, -$0) < (bySchool[$1]!.count, -$1) }),
        case let members = bySchool[crowded]!, members.count > info.independentSeats
      else { continue }
      if best[room]?[members.count] == nil {
        best[room, default: [:]][members.count] =
          RoomPairCost.fewestPairSeats(info.usablePositions, count: members.count).map { $0.map { info.usable[$0] } }
      }
      guard let seats = best[room]![members.count]! else { continue }
      let neighbours = info.seatNeighbours
      let now = info.sameSchoolPairs(
        Dictionary(uniqueKeysWithValues: list.map { (seatOf[$0], problem.candidateSchool[$0]) }))
      var trial: [Int: Int] = [:]
      var schoolAt: [Int: Int] = [:]
      for (i, seat) in zip(members.sorted { seatOf[$0] < seatOf[$1] }, seats) {
        trial[i] = seat
        schoolAt[seat] = crowded
      }
      // The others, larger schools first, each candidate on the free seat beside fewest of its school.
      let others = bySchool.keys.filter { $0 != crowded }.sorted {
        (bySchool[$0]!.count, -$0) > (bySchool[$1]!.count, -$1)
      }
      for school in others {
        for i in bySchool[school]!.sorted(by: { seatOf[$0] < seatOf[$1] }) {
          let seat = info.usable.filter { schoolAt[$0] == nil }
            .map { (clashes: neighbours[$0].filter { schoolAt[$0] == school }.count, seat: $0) }.min(by: <)!.seat
          trial[i] = seat
          schoolAt[seat] = school
        }
      }
      let then = info.sameSchoolPairs(schoolAt)
      guard then < now else { continue }
      for (i, seat) in trial { seatOf[i] = seat }
      saved += now - then
    }
    return saved
  }

  private mutating func improve(rooms: [Int], session s: Int, holder: inout [[Int]], neighbours: [[[Int]]]) {
    func clashes(_ k: Int, _ seat: Int, school: Int, ignoring: Int) -> Int {
      var n = 0
      for other in neighbours[k][seat] where other != ignoring {
        let h = holder[k][other]
        if h >= 0 && problem.candidateSchool[h] == school { n += 1 }
      }
      return n
    }
    let candidates = problem.candidates
    // Occupants per room: a move to another room's empty seat must not make that room the fuller one.
    var count = holder.map { $0.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
    func accessibleNeeded(_ i: Int) -> Bool { candidates[i].accommodations.contains(.accessibleSeat) }
    for _ in 0..<4 {
      var improved = false
      for (k, r) in rooms.enumerated() {
        for seat in problem.rooms[r].usable where holder[k][seat] >= 0 {
          let i = holder[k][seat]
          let school = problem.candidateSchool[i]
          let now = clashes(k, seat, school: school, ignoring: -1)
          guard now > 0 else { continue }
          var best: (gain: Int, room: Int, seat: Int)?
          for (k2, r2) in rooms.enumerated() {
            if accessibleNeeded(i) && !problem.rooms[r2].room.accessible { continue }
            for other in problem.rooms[r2].usable where !(k2 == k && other == seat) {
              let j = holder[k2][other]
              let gain: Int
              if j < 0 {
                if k2 != k && count[k2] + 1 > count[k] - 1 { continue }
                gain = now - clashes(k2, other, school: school, ignoring: k2 == k ? seat : -1)
              } else {
                let otherSchool = problem.candidateSchool[j]
                if otherSchool == school { continue }
                if accessibleNeeded(j) && !problem.rooms[r].room.accessible { continue }
                gain =
                  now + clashes(k2, other, school: otherSchool, ignoring: -1)
                  - clashes(k2, other, school: school, ignoring: k2 == k ? seat : -1)
                  - clashes(k, seat, school: otherSchool, ignoring: k2 == k ? other : -1)
              }
              if gain > 0 && (best == nil || gain > best!.gain) { best = (gain, k2, other) }
            }
          }
          guard let best else { continue }
          let j = holder[best.room][best.seat]
          holder[best.room][best.seat] = i
          holder[k][seat] = j
          seatOf[i] = best.seat
          roomSessionOf[i] = problem.roomSession(session: s, room: rooms[best.room])
          if j >= 0 {
            seatOf[j] = seat
            roomSessionOf[j] = problem.roomSession(session: s, room: r)
          } else {
            count[k] -= 1
            count[best.room] += 1
          }
          improved = true
        }
      }
      if !improved { break }
    }
  }
}
