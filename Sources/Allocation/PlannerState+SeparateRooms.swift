/// Separate-room candidates and the bus trips of their schools.
extension PlannerState {
  /// Per school, the centre-sessions of its separate-room candidates (increasing, no repeats).
  func separateRoomBins() -> [[Int]] {
    var bins = Array(repeating: Set<Int>(), count: problem.schoolNames.count)
    for i in problem.candidates.indices where needs(i, .separateRoom) && roomSessionOf[i] >= 0 {
      bins[problem.candidateSchool[i]].insert(problem.bin(roomSession: roomSessionOf[i]))
    }
    return bins.map { $0.sorted() }
  }

  /// The room-sessions of bin `b` that separate-room candidate `i` may have: not given to another, with seats, an
  /// accessible room if it needs one.
  func freeRooms(for i: Int, inBin b: Int) -> [Int] {
    let session = b / problem.centreCount
    let accessibleOnly = needs(i, .accessibleSeat)
    // Loops, not closures over `problem`: each closure would copy the whole problem value, and this runs for every
    // separate-room candidate and bin it may reach (a tenth of the dry run's time at 100,000 candidates).
    var rooms: [Int] = []
    for r in problem.centreRooms[b % problem.centreCount] {
      let rs = problem.roomSession(session: session, room: r)
      guard !exclusive[rs], !problem.rooms[r].usable.isEmpty, !accessibleOnly || problem.rooms[r].room.accessible
      else { continue }
      rooms.append(rs)
    }
    return rooms
  }

  /// How a later round of planning re-places separate-room candidates (`reanchorSeparateRooms`).
  enum ReanchorRule {
    /// Those whose school sits elsewhere: into the smallest free room of the centre-session where their school
    /// has most candidates.
    case riders
    /// Every one: into the room of one of their school's centre-sessions whose part has most seats to spare
    /// after giving it up (seats the last search left free), when that is more than the room it has leaves.
    case spare
  }

  /// Before a later round of planning: re-places separate-room candidates by `rule` into rooms of the
  /// centre-sessions their schools went to in `trips` (the next packing tries a school's anchors first, so it goes
  /// back there). Returns whether any moved; moves nothing (and returns false) when the rooms it would take leave
  /// some district short of seats.
  mutating func reanchorSeparateRooms(after trips: TripSearch, rule: ReanchorRule) -> Bool {
    let saved = separateRooms
    var moved = false
    var free = trips.free
    let part = problem.part(roomSession:)
    let seats = problem.seats(roomSession:)
    for i in problem.candidates.indices where needs(i, .separateRoom) {
      let school = problem.candidateSchool[i]
      let old = roomSessionOf[i]
      let rides = old < 0 || !trips.sits(school, inBin: problem.bin(roomSession: old))
      guard rule == .spare || rides else { continue }
      var perBin: [Int: Int] = [:]
      for (part, portion) in trips.amount[school] { perBin[part / 2, default: 0] += portion.count }
      // The smallest key wins; the room-session last, so that the choice does not depend on the order of perBin.
      var best: (key: (Int, Int, Int), roomSession: Int)?
      for (b, count) in perBin {
        for rs in freeRooms(for: i, inBin: b) {
          let key = rule == .riders ? (-count, seats(rs), rs) : (seats(rs) - free[part(rs)], -count, rs)
          if best == nil || key < best!.key { best = (key, rs) }
        }
      }
      guard let best else {
        if old < 0 {
          separateRooms = saved
          return false
        }
        continue
      }
      if rule == .spare {
        // Not worth a move unless the new part spares more than the old one does now.
        guard rides || -best.key.0 > free[part(old)] else { continue }
        free[part(best.roomSession)] -= seats(best.roomSession)
        if old >= 0 { free[part(old)] += seats(old) }
      }
      if old >= 0 { exclusive[old] = false }
      exclusive[best.roomSession] = true
      roomSessionOf[i] = best.roomSession
      let info = problem.rooms[best.roomSession % problem.roomCount]
      seatOf[i] = info.usable[info.usable.count / 2]
      moved = true
    }
    guard moved, capacityShortages().isEmpty else {
      separateRooms = saved
      return false
    }
    return true
  }

  /// Moves each separate-room candidate whose school sits in other centre-sessions into a free room of one of
  /// them (the smallest that the part can spare), so it rides with its school: one bus trip fewer each.
  /// Returns how many moved.
  mutating func moveSeparateRooms(_ trips: inout TripSearch) -> Int {
    var moved = 0
    for i in problem.candidates.indices where needs(i, .separateRoom) && roomSessionOf[i] >= 0 {
      let school = problem.candidateSchool[i]
      let old = roomSessionOf[i]
      let oldInfo = problem.rooms[old % problem.roomCount]
      guard !trips.sits(school, inBin: problem.bin(roomSession: old)) else { continue }
      var options: [(Int, Int)] = []
      for b in trips.bins(of: school) {
        for rs in freeRooms(for: i, inBin: b) {
          options.append((problem.rooms[rs % problem.roomCount].usable.count, rs))
        }
      }
      for (_, rs) in options.sorted(by: <) {
        let info = problem.rooms[rs % problem.roomCount]
        let classes = (wide: info.colourClasses[0].count, narrow: info.colourClasses[1].count)
        guard trips.removeRoom(part: problem.part(roomSession: rs), seats: info.usable.count, classes: classes)
        else { continue }
        if !oldInfo.usable.isEmpty {
          trips.addRoom(
            part: problem.part(roomSession: old), seats: oldInfo.usable.count,
            classes: (oldInfo.colourClasses[0].count, oldInfo.colourClasses[1].count))
        }
        exclusive[old] = false
        exclusive[rs] = true
        trips.moveAnchor(school: school, from: problem.bin(roomSession: old), to: problem.bin(roomSession: rs))
        roomSessionOf[i] = rs
        seatOf[i] = info.usable[info.usable.count / 2]
        moved += 1
        break
      }
    }
    return moved
  }

  /// Per school, the seats its separate-room candidates `separate` will take beyond their own: per candidate, the
  /// median over the centre-sessions it may reach of the smallest room it may have there, less one.
  func separateRoomGhosts(_ separate: [Int]) -> [Int] {
    var ghosts = Array(repeating: 0, count: problem.schoolNames.count)
    for i in separate {
      var smallest: [Int] = []
      for b in bins(reachableFrom: problem.candidateDistrict[i]) {
        var least = Int.max
        for rs in freeRooms(for: i, inBin: b) { least = min(least, problem.seats(roomSession: rs)) }
        if least < Int.max { smallest.append(least) }
      }
      guard !smallest.isEmpty else { continue }
      smallest.sort()
      ghosts[problem.candidateSchool[i]] += max(0, smallest[smallest.count / 2] - 1)
    }
    return ghosts
  }

  /// After a dry run (`trips`: the separate-room candidates `separate` placed as their schools' ordinary candidates, with
  /// `ghostSeats` beside them): gives each a free room where its school sits — the one that displaces fewest
  /// candidates once the school gives up its own seats there (up to what it still holds beyond its ordinary
  /// candidates: its separate-room candidates' seats and the held ones), then the smallest — else the smallest it
  /// may reach. Returns the dry run's pieces less what the schools gave up (the
  /// rest of their surplus `packSchools(from:)` takes out); nil, with the rooms as they were, when a candidate
  /// has no free room or the rooms leave a district short.
  mutating func placeSeparateRooms(_ separate: [Int], after trips: TripSearch) -> [[Piece]]? {
    let saved = separateRooms
    var pieces = trips.pieces()
    var free = trips.free
    var surplus = ghostSeats.isEmpty ? Array(repeating: 0, count: problem.schoolNames.count) : ghostSeats
    let part = problem.part(roomSession:)
    let seats = problem.seats(roomSession:)
    for i in separate { surplus[problem.candidateSchool[i]] += 1 }
    for i in separate {
      let school = problem.candidateSchool[i]
      let mine = surplus[school]
      func own(_ p: Int) -> Int { min(mine, pieces[school].first { $0.part == p }?.regular ?? 0) }
      var best: (key: (Int, Int, Int), roomSession: Int)?
      for b in Set(pieces[school].map { $0.part / 2 }).sorted() {
        for rs in freeRooms(for: i, inBin: b) {
          let key = (max(0, seats(rs) - free[part(rs)] - own(part(rs))), seats(rs), rs)
          if best == nil || key < best!.key { best = (key, rs) }
        }
      }
      if best == nil {
        for b in bins(reachableFrom: problem.candidateDistrict[i]) {
          for rs in freeRooms(for: i, inBin: b) {
            let key = (max(0, seats(rs) - free[part(rs)]), seats(rs), rs)
            if best == nil || key < best!.key { best = (key, rs) }
          }
        }
      }
      guard let best else {
        separateRooms = saved
        return nil
      }
      let p = part(best.roomSession)
      // The school gives up its own seats in the room's part first: up to the room's seats and its surplus.
      let given = min(own(p), seats(best.roomSession))
      if given > 0, let k = pieces[school].firstIndex(where: { $0.part == p }) {
        pieces[school][k].regular -= given
        if pieces[school][k].count == 0 { pieces[school].remove(at: k) }
      }
      surplus[school] -= given
      free[p] += given - seats(best.roomSession)
      exclusive[best.roomSession] = true
      roomSessionOf[i] = best.roomSession
      let info = problem.rooms[best.roomSession % problem.roomCount]
      seatOf[i] = info.usable[info.usable.count / 2]
    }
    guard capacityShortages().isEmpty else {
      separateRooms = saved
      return nil
    }
    return pieces
  }

  /// Takes every separate-room candidate out of its room (for the dry run's packing, `roomsWhilePacking`);
  /// returns them per school, those who need an accessible room first.
  mutating func unroomSeparateCandidates() -> [[Int]] {
    var separate = Array(repeating: [Int](), count: problem.schoolNames.count)
    for i in problem.candidates.indices where needs(i, .separateRoom) {
      if roomSessionOf[i] >= 0 { exclusive[roomSessionOf[i]] = false }
      roomSessionOf[i] = -1
      seatOf[i] = -1
      separate[problem.candidateSchool[i]].append(i)
    }
    return separate.map { list in
      list.filter { needs($0, .accessibleSeat) } + list.filter { !needs($0, .accessibleSeat) }
    }
  }

  /// Rooms of bin `b` for the separate-room candidates `list` (in order): each the smallest free room it may have
  /// that its part's `free` seats still cover at the fill `fill`; per candidate (candidate, room-session), or nil
  /// when one has none.
  func separateRooms(of list: [Int], inBin b: Int, free: [Int], fill: Double) -> [(Int, Int)]? {
    var free = free
    var taken: [(Int, Int)] = []
    for i in list {
      var best: (seats: Int, roomSession: Int)?
      for rs in freeRooms(for: i, inBin: b) where !taken.contains(where: { $0.1 == rs }) {
        let seats = Self.target(usable: problem.seats(roomSession: rs), fill: fill)
        guard seats <= free[problem.part(roomSession: rs)] else { continue }
        if best == nil || (seats, rs) < (best!.seats, best!.roomSession) { best = (seats, rs) }
      }
      guard let best else { return nil }
      free[problem.part(roomSession: best.roomSession)] -= best.seats
      taken.append((i, best.roomSession))
    }
    return taken
  }
}
