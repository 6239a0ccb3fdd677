/// Steps 4–5: seats inside each bin, then local search against same-school neighbours.
extension PlannerState {
  /// Seats the members of bin `b`: each school gets one colour class per room where possible.
  mutating func seatBin(_ b: Int, members: [Int]) {
    guard !members.isEmpty else { return }
    let s = b / problem.centreCount
    let c = b % problem.centreCount
    let rooms = problem.centreRooms[c].filter { !exclusive[problem.roomSession(session: s, room: $0)] }
    // Per room and colour class: candidates placed there.
    var halves = Array(repeating: [[Int]](repeating: [], count: 2), count: rooms.count)
    var used = Array(repeating: 0, count: rooms.count)
    var classOfSchool = Array(repeating: [Int: Int](), count: rooms.count)
    // Rooms of the bin share its members in proportion to their usable seats (even fill within the bin).
    let usableTotal = rooms.reduce(0) { $0 + problem.rooms[$1].usable.count }
    let roomTarget = rooms.map { r in
      min(problem.rooms[r].usable.count, (members.count * problem.rooms[r].usable.count + usableTotal - 1) / max(usableTotal, 1))
    }
    // Group members by school (accessible ones first), largest school first, in first-seen order for ties.
    for accessible in [true, false] {
      var groups: [Int: [Int]] = [:]
      var firstSeen: [Int] = []
      for i in members where needs(i, .accessibleSeat) == accessible {
        let school = problem.candidateSchool[i]
        if groups[school] == nil { firstSeen.append(school) }
        groups[school, default: []].append(i)
      }
      let schools = firstSeen.enumerated().sorted { (-groups[$0.1]!.count, $0.0) < (-groups[$1.1]!.count, $1.0) }.map(\.1)
      for school in schools {
        var list = groups[school]![...]
        while !list.isEmpty {
          guard let (k, colour, capacity) = chooseHalf(rooms: rooms, roomTarget: roomTarget, school: school,
            accessible: accessible, halves: halves, used: used, classOfSchool: classOfSchool)
          else { break }  // no seat left at all: the checker reports the candidate unplaced
          let piece = list.prefix(capacity)
          halves[k][colour].append(contentsOf: piece)
          used[k] += piece.count
          if classOfSchool[k][school] == nil { classOfSchool[k][school] = colour }
          list.removeFirst(piece.count)
        }
      }
    }
    // Spread each class's candidates over its seats, leaving the empty seats evenly between them.
    for (k, r) in rooms.enumerated() {
      let rs = problem.roomSession(session: s, room: r)
      for colour in 0..<2 {
        let seats = problem.rooms[r].colourClasses[colour]
        let placed = halves[k][colour]
        for (j, i) in placed.enumerated() {
          roomSessionOf[i] = rs
          seatOf[i] = seats[j * seats.count / placed.count]
        }
      }
    }
  }

  /// The room and colour class for the next piece of `school`, relaxing first the one-class-per-school
  /// rule, then the room's target, then both; nil when the bin has no free seat of the right kind.
  func chooseHalf(rooms: [Int], roomTarget: [Int], school: Int, accessible: Bool, halves: [[[Int]]], used: [Int],
    classOfSchool: [[Int: Int]]) -> (room: Int, colour: Int, capacity: Int)?
  {
    for relax in 0..<4 {
      var best: (capacity: Int, room: Int, colour: Int)?
      for (k, r) in rooms.enumerated() {
        let info = problem.rooms[r]
        if accessible && !info.room.accessible { continue }
        for colour in 0..<2 {
          if relax % 2 == 0, let own = classOfSchool[k][school], own != colour { continue }
          var capacity = info.colourClasses[colour].count - halves[k][colour].count
          if relax < 2 { capacity = min(capacity, roomTarget[k] - used[k]) }
          if capacity > 0 && (best == nil || capacity > best!.capacity) { best = (capacity, k, colour) }
        }
      }
      if let best { return (best.room, best.colour, best.capacity) }
    }
    return nil
  }

  // MARK: - Step 5: local search

  /// In every room-session with same-school neighbours, moves a candidate to an empty usable seat or swaps
  /// two candidates of different schools whenever that lowers the room's same-school neighbour pairs.
  mutating func improveRooms() {
    var occupants = Array(repeating: [Int](), count: exclusive.count)
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 { occupants[roomSessionOf[i]].append(i) }
    var neighbourCache: [Int: [[Int]]] = [:]
    for rs in occupants.indices where occupants[rs].count > 1 && !exclusive[rs] {
      let r = rs % problem.roomCount
      let room = problem.rooms[r].room
      if neighbourCache[r] == nil {
        neighbourCache[r] = SeatGrid.neighbours(room.seats.map { .init(row: $0.row, column: $0.column) })
      }
      let neighbours = neighbourCache[r]!
      var holder = Array(repeating: -1, count: room.seats.count)
      for i in occupants[rs] { holder[seatOf[i]] = i }
      func clashes(_ seat: Int, school: Int, ignoring: Int) -> Int {
        neighbours[seat].reduce(0) { n, other in
          let h = holder[other]
          return n + (other != ignoring && h >= 0 && problem.candidateSchool[h] == school ? 1 : 0)
        }
      }
      let usable = problem.rooms[r].usable
      for _ in 0..<4 {
        var improved = false
        for seat in usable where holder[seat] >= 0 {
          let i = holder[seat]
          let school = problem.candidateSchool[i]
          let now = clashes(seat, school: school, ignoring: -1)
          guard now > 0 else { continue }
          var best: (gain: Int, seat: Int)?
          for other in usable where other != seat {
            let j = holder[other]
            var gain: Int
            if j < 0 {
              gain = now - clashes(other, school: school, ignoring: seat)
            } else {
              let otherSchool = problem.candidateSchool[j]
              if otherSchool == school { continue }
              gain = now + clashes(other, school: otherSchool, ignoring: -1)
                - clashes(other, school: school, ignoring: seat) - clashes(seat, school: otherSchool, ignoring: other)
            }
            if gain > 0 && (best == nil || gain > best!.gain) { best = (gain, other) }
          }
          if let best {
            let j = holder[best.seat]
            holder[best.seat] = i
            holder[seat] = j
            seatOf[i] = best.seat
            if j >= 0 { seatOf[j] = seat }
            improved = true
          }
        }
        if !improved { break }
      }
    }
  }
}
