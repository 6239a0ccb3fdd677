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
          // An accessible-seat member sits where the accessible seats are and does not choose its school's
          // class; the school's other members take the roomier class (the local search parts them if needed).
          if !accessible && classOfSchool[k][school] == nil { classOfSchool[k][school] = colour }
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

  /// The room and colour class for the next piece of `school`, relaxing first the room's target (even fill),
  /// then the one-class-per-school rule (no neighbours), then both — the order of objectives puts
  /// neighbours before even rooms; nil when the bin has no free seat of the right kind.
  func chooseHalf(rooms: [Int], roomTarget: [Int], school: Int, accessible: Bool, halves: [[[Int]]], used: [Int],
    classOfSchool: [[Int: Int]]) -> (room: Int, colour: Int, capacity: Int)?
  {
    for relax in 0..<4 {
      var best: (capacity: Int, room: Int, colour: Int)?
      for (k, r) in rooms.enumerated() {
        let info = problem.rooms[r]
        if accessible && !info.room.accessible { continue }
        for colour in 0..<2 {
          if relax < 2, let own = classOfSchool[k][school], own != colour { continue }
          var capacity = info.colourClasses[colour].count - halves[k][colour].count
          if relax % 2 == 0 { capacity = min(capacity, roomTarget[k] - used[k]) }
          // Schools take the roomiest class; accessible candidates (few, from many schools) fill one class of
          // an accessible room before the other, which keeps a whole class free for the next large school.
          if capacity > 0 && (best == nil || (accessible ? capacity < best!.capacity : capacity > best!.capacity)) {
            best = (capacity, k, colour)
          }
        }
      }
      if let best { return (best.room, best.colour, best.capacity) }
    }
    return nil
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
    var neighbourCache: [Int: [[Int]]] = [:]
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
          let room = problem.rooms[r].room
          if neighbourCache[r] == nil {
            neighbourCache[r] = SeatGrid.neighbours(room.seats.map { .init(row: $0.row, column: $0.column) })
          }
          neighbours.append(neighbourCache[r]!)
          var h = Array(repeating: -1, count: room.seats.count)
          for i in occupants[problem.roomSession(session: s, room: r)] { h[seatOf[i]] = i }
          holder.append(h)
        }
        improve(rooms: rooms, session: s, holder: &holder, neighbours: neighbours)
      }
    }
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
                gain = now + clashes(k2, other, school: otherSchool, ignoring: -1)
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
