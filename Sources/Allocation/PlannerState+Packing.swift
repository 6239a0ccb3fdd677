/// Step 3a: schools into centre-sessions ("bins", one bus trip each) with no same-school neighbours.
extension PlannerState {
  /// Candidates of one school in one part of a bin (`SchoolNetwork.part`).
  struct Piece: Equatable {
    var part: Int
    var regular: Int
    var accessible: Int
    var count: Int { regular + accessible }
  }

  /// What packing found: pieces per school, the parts (seats and per-school limits), shortages.
  struct Packing {
    var pieces: [[Piece]]
    var parts: [SchoolNetwork.Part]
    var shortages: [SeatShortage]
    var limitsLifted = false

    /// Σ over schools of the bins their pieces are in.
    var trips: Int { pieces.reduce(0) { $0 + Set($1.map { $0.part / 2 }).count } }
  }

  /// Seats and per-school limits of each bin's two parts, over the room-sessions not given to a separate-room
  /// candidate. `packing` caps seats at the even fill plus `wholeSchoolSlack`.
  func bagParts(packing: Bool) -> [SchoolNetwork.Part] {
    var parts = Array(
      repeating: SchoolNetwork.Part(seats: 0, schoolSeats: 0),
      count: 2 * problem.sessions.count * problem.centreCount)
    let packFill = min(1, fill + wholeSchoolSlack)
    for s in problem.sessions.indices {
      for (r, info) in problem.rooms.enumerated() where !exclusive[problem.roomSession(session: s, room: r)] {
        let p = SchoolNetwork.part(bin: problem.bin(session: s, centre: info.centre), accessible: info.room.accessible)
        parts[p].seats += packing ? Self.target(usable: info.usable.count, fill: packFill) : info.usable.count
        parts[p].schoolSeats += info.schoolSeats
      }
    }
    return parts
  }

  /// Per part, the wide and narrow class sizes of its rooms (room-sessions of separate-room candidates left out).
  func partClasses() -> [[(wide: Int, narrow: Int)]] {
    var classes = Array(
      repeating: [(wide: Int, narrow: Int)](), count: 2 * problem.sessions.count * problem.centreCount)
    for s in problem.sessions.indices {
      for c in 0..<problem.centreCount {
        for (p, r) in partRooms(session: s, centre: c) {
          classes[p].append((problem.rooms[r].colourClasses[0].count, problem.rooms[r].colourClasses[1].count))
        }
      }
    }
    return classes
  }

  /// The rooms of centre `c` open to shared seating in session `s`, with their part, in room order.
  func partRooms(session s: Int, centre c: Int) -> [(part: Int, room: Int)] {
    problem.centreRooms[c].compactMap { r in
      guard !problem.rooms[r].usable.isEmpty, !exclusive[problem.roomSession(session: s, room: r)] else { return nil }
      return (
        SchoolNetwork.part(bin: problem.bin(session: s, centre: c), accessible: problem.rooms[r].room.accessible), r
      )
    }
  }

  /// Candidates still to place per school: (any seat, accessible seat).
  func schoolDemand() -> [(regular: Int, accessible: Int)] {
    var demand = (0..<problem.schoolNames.count).map {
      (regular: ghostSeats.isEmpty ? 0 : ghostSeats[$0], accessible: 0)
    }
    for i in problem.candidates.indices where roomSessionOf[i] < 0 {
      if needs(i, .accessibleSeat) {
        demand[problem.candidateSchool[i]].accessible += 1
      } else {
        demand[problem.candidateSchool[i]].regular += 1
      }
    }
    return demand
  }

  /// Bins each school may use (its district's and the adjacent districts' centres, every session).
  func reachableBins() -> [[Int]] {
    let byDistrict = problem.districtNames.indices.map { bins(reachableFrom: $0) }
    return problem.schoolDistrict.map { byDistrict[$0] }
  }

  /// The bins of district `d`'s and its adjacent districts' centres, centre by centre, every session.
  func bins(reachableFrom d: Int) -> [Int] {
    var bins: [Int] = []
    for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
      for s in problem.sessions.indices { bins.append(problem.bin(session: s, centre: c)) }
    }
    return bins
  }

  /// Packs schools, largest first, each into as few bins as it can (a bin it rides to anyway first; then a bin
  /// that takes the rest of the school whole, the tightest such; else the bin that takes most of it), never past
  /// a part's per-school limit.
  /// Whatever that leaves over is placed by a maximum flow started from the greedy placement, so every
  /// candidate is placed with no same-school neighbour whenever the rooms allow it (`SchoolNetwork`); only
  /// when they do not are the per-school limits lifted.
  /// - Parameter anchors: per school, bins it rides to anyway (separate-room candidates): tried first.
  /// - Parameter jitter: schools are ordered by size × (1 + a seeded random share up to this), for restarts.
  /// With `roomsWhilePacking` (a dry run, `placeSeparateRoomsWhilePacking`): first takes the separate-room
  /// candidates out of their rooms, then gives each school's the smallest rooms of the first bin it is packed into
  /// that has them within the parts' seats (`separateRooms(of:inBin:free:fill:)`), else each the smallest it may
  /// reach (own district first); names the districts short when even that finds none.
  ///
  /// Two orders are packed from the same state and random draws, the one whose packing rides to fewer bins kept
  /// (the first on a tie): largest first, and largest first among the schools that fit whole into some bin they
  /// may reach before those that must split (`wholeFirst`). At 100,000 candidates the second gives the search a
  /// start 50–120 trips lower and plans up to 38 lower (city B 14; docs/benchmarks.md, Rooms, session 33): the large
  /// centre-sessions then go to the schools that can ride to one of them alone, as the linear relaxation places
  /// them, and the schools too large for any split over what is left. Where that scatters the large schools (a
  /// start above the first order's), the first is kept. Where the second order is the first (every school fits
  /// whole, or the schools that must split are the largest anyway: most small cities), it is the only packing made.
  mutating func packSchools(anchors: [[Int]], jitter: Double = 0) -> Packing {
    var other = self
    let wholeFirst = other.packSchools(anchors: anchors, jitter: jitter, wholeFirst: true)
    guard wholeFirst.reordered else {
      self = other
      return wholeFirst.packing
    }
    let largestFirst = packSchools(anchors: anchors, jitter: jitter, wholeFirst: false).packing
    guard wholeFirst.packing.shortages.isEmpty,
      !largestFirst.shortages.isEmpty || wholeFirst.packing.trips < largestFirst.trips
    else { return largestFirst }
    self = other
    return wholeFirst.packing
  }

  /// `packSchools(anchors:jitter:)` in one order; `reordered`: whether that order is not largest first's (the
  /// same state and random draws give the same packing largest first otherwise).
  /// - Parameter wholeFirst: the schools that fit whole into a bin they may reach (its parts' per-school limits)
  ///   before the others; largest first within each.
  mutating func packSchools(anchors: [[Int]], jitter: Double, wholeFirst: Bool) -> (packing: Packing, reordered: Bool) {
    let separate = roomsWhilePacking ? unroomSeparateCandidates() : []
    let demand = schoolDemand()
    var parts = bagParts(packing: true)
    let packFill = min(1, fill + wholeSchoolSlack)
    let reachable = reachableBins()
    var order = Array(problem.schoolNames.indices)
    random.shuffle(&order)
    var rank = Array(repeating: 0, count: order.count)
    for (position, school) in order.enumerated() { rank[school] = position }
    let weight = demand.map { d in
      Double(d.regular + d.accessible) * (1 + jitter * Double(random.next() % 1024) / 1024)
    }
    // What one school may take of each bin (both parts, within seats and per-school limits).
    let schoolRoom: [Int] = stride(from: 0, to: parts.count, by: 2).map { p in
      min(parts[p].schoolSeats, parts[p].seats) + min(parts[p + 1].schoolSeats, parts[p + 1].seats)
    }
    let splits: [Bool] = demand.indices.map { s in
      wholeFirst && demand[s].regular + demand[s].accessible > reachable[s].lazy.map { schoolRoom[$0] }.max() ?? 0
    }
    order.sort { (-weight[$0], rank[$0]) < (-weight[$1], rank[$1]) }
    // Whole first: the schools that fit whole, then those that split, each in the largest-first order.
    let largestOrder = order
    order = order.filter { !splits[$0] } + order.filter { splits[$0] }
    let reordered = order != largestOrder
    var free = parts.map(\.seats)
    var pieces = Array(repeating: [Piece](), count: demand.count)
    var left = 0
    var unroomed: [Int] = []
    /// Gives the candidates `rooms` their rooms: the parts lose those rooms' seats and per-school room.
    func take(_ rooms: [(candidate: Int, roomSession: Int)]) {
      for (i, rs) in rooms {
        let info = problem.rooms[rs % problem.roomCount]
        let p = problem.part(roomSession: rs)
        let seats = Self.target(usable: info.usable.count, fill: packFill)
        free[p] -= seats
        parts[p].seats -= seats
        parts[p].schoolSeats -= info.schoolSeats
        exclusive[rs] = true
        roomSessionOf[i] = rs
        seatOf[i] = info.usable[info.usable.count / 2]
      }
    }
    for school in order {
      var (regular, accessible) = demand[school]
      var waiting = separate.isEmpty ? [] : separate[school]
      /// Takes the separate-room candidates `list` out of the school's demand (they sit in rooms of their own).
      func seatApart(_ list: [Int]) {
        let inAccessible = list.filter { needs($0, .accessibleSeat) }.count
        (regular, accessible) = (regular - (list.count - inAccessible), accessible - inAccessible)
      }
      let waitingAccessible = waiting.filter { needs($0, .accessibleSeat) }.count
      let away = problem.schoolDistrict[school]
      while regular + accessible > 0 {
        var best: (key: (Int, Int, Int, Int, Int), bin: Int, regular: Int, accessible: Int, rooms: [(Int, Int)])?
        for b in reachable[school] {
          let other = 2 * b
          let access = other + 1
          guard !pieces[school].contains(where: { $0.part / 2 == b }) else { continue }
          var (freeOther, freeAccessible) = (free[other], free[access])
          var (limitOther, limitAccessible) = (parts[other].schoolSeats, parts[access].schoolSeats)
          var (regularLeft, accessibleLeft) = (regular, accessible)
          if !waiting.isEmpty {
            (regularLeft, accessibleLeft) = (
              regular - (waiting.count - waitingAccessible), accessible - waitingAccessible
            )
          }
          var rooms: [(Int, Int)] = []
          if !waiting.isEmpty {
            guard let found = separateRooms(of: waiting, inBin: b, free: free, fill: packFill) else { continue }
            rooms = found
            for (_, rs) in found {
              let info = problem.rooms[rs % problem.roomCount]
              let seats = Self.target(usable: info.usable.count, fill: packFill)
              if info.room.accessible {
                (freeAccessible, limitAccessible) = (freeAccessible - seats, limitAccessible - info.schoolSeats)
              } else {
                (freeOther, limitOther) = (freeOther - seats, limitOther - info.schoolSeats)
              }
            }
          }
          let inAccessible = max(0, min(limitAccessible, freeAccessible))
          let inOther = max(0, min(limitOther, freeOther))
          let a = min(accessibleLeft, inAccessible)
          let r = min(regularLeft, inOther + inAccessible - a)
          guard a + r > 0 || (!rooms.isEmpty && regularLeft + accessibleLeft == 0) else { continue }
          let whole = a + r == regularLeft + accessibleLeft
          let distance = problem.centreDistrict[b % problem.centreCount] == away ? 0 : 1
          let anchor = anchors[school].contains(b) ? 0 : 1
          let key =
            whole ? (anchor, 0, freeOther + freeAccessible - a - r, distance, b) : (anchor, 1, -(a + r), distance, b)
          if best == nil || key < best!.key { best = (key, b, r, a, rooms) }
        }
        guard let best else {
          // No bin it may reach takes the school beside its separate rooms: each takes the smallest room it may
          // reach (own district first), and the school goes where it can.
          guard !waiting.isEmpty else { break }
          for i in waiting {
            var room: (key: (Int, Int, Int), roomSession: Int)?
            for b in reachable[school] {
              guard let rs = separateRooms(of: [i], inBin: b, free: free, fill: packFill)?.first?.1 else { continue }
              let distance = problem.centreDistrict[b % problem.centreCount] == away ? 0 : 1
              let key = (distance, problem.seats(roomSession: rs), rs)
              if room == nil || key < room!.key { room = (key, rs) }
            }
            guard let room else {
              unroomed.append(i)
              continue
            }
            take([(i, room.roomSession)])
            seatApart([i])
          }
          waiting = []
          continue
        }
        if !waiting.isEmpty {
          take(best.rooms.map { (candidate: $0.0, roomSession: $0.1) })
          seatApart(waiting)
          waiting = []
        }
        let other = 2 * best.bin
        let toOther = min(best.regular, min(parts[other].schoolSeats, free[other]))
        if toOther > 0 { pieces[school].append(Piece(part: other, regular: toOther, accessible: 0)) }
        if best.regular - toOther + best.accessible > 0 {
          pieces[school].append(Piece(part: other + 1, regular: best.regular - toOther, accessible: best.accessible))
        }
        free[other] -= toOther
        free[other + 1] -= best.regular - toOther + best.accessible
        regular -= best.regular
        accessible -= best.accessible
      }
      left += regular + accessible
    }
    guard unroomed.isEmpty else {
      // Rooms short within the even fill: the dry run gives up, and the rooms given before any school stay.
      var short: [Int: Int] = [:]
      for i in unroomed { short[problem.candidateDistrict[i], default: 0] += 1 }
      let shortages = short.keys.sorted().map {
        SeatShortage(district: problem.districtNames[$0], kind: .separateRooms, needed: short[$0]!, short: short[$0]!)
      }
      return (Packing(pieces: pieces, parts: parts, shortages: shortages), reordered)
    }
    guard left > 0 else { return (Packing(pieces: pieces, parts: parts, shortages: []), reordered) }
    let packing = finishPacking(
      pieces: pieces, parts: parts, demand: separate.isEmpty ? demand : schoolDemand(), reachable: reachable)
    return (packing, reordered)
  }

  /// Packs the schools from an earlier plan's pieces (`previous`, a plan with more seats: a dry run's, before
  /// the separate-room candidates took their rooms): each school gives up what it has beyond its demand now,
  /// smallest pieces first, and each part what is past its seats or a school's limit, smallest pieces first;
  /// the rest stays where it was and the candidates so taken out are placed by `finishPacking`'s flow.
  mutating func packSchools(from previous: [[Piece]]) -> Packing {
    let demand = schoolDemand()
    let parts = bagParts(packing: true)
    var pieces = previous
    /// Which of a piece's candidates `takeOut` may take.
    enum Kind { case accessible, regular, regularFirst }
    /// Takes up to `n` candidates of `kind` out of school s's pieces that `eligible` allows, smallest first.
    func takeOut(_ n: Int, school s: Int, _ kind: Kind, where eligible: (Piece) -> Bool) {
      var n = n
      let order = pieces[s].indices.filter { eligible(pieces[s][$0]) }
        .sorted { (pieces[s][$0].count, pieces[s][$0].part) < (pieces[s][$1].count, pieces[s][$1].part) }
      for k in order where n > 0 {
        if kind != .accessible {
          let r = min(n, pieces[s][k].regular)
          pieces[s][k].regular -= r
          n -= r
        }
        if kind != .regular {
          let a = min(n, pieces[s][k].accessible)
          pieces[s][k].accessible -= a
          n -= a
        }
      }
    }
    // Each school's surplus of either kind (a regular one never stands in for an accessible-seat one, which
    // would leave that candidate without a seat).
    for s in pieces.indices {
      let regular = pieces[s].reduce(0) { $0 + $1.regular }
      let accessible = pieces[s].reduce(0) { $0 + $1.accessible }
      takeOut(max(0, accessible - demand[s].accessible), school: s, .accessible) { _ in true }
      takeOut(max(0, regular - demand[s].regular), school: s, .regular) { _ in true }
    }
    // Per part: the schools' pieces within its per-school limit, then all within its seats.
    var bySize: [[(count: Int, school: Int)]] = Array(repeating: [], count: parts.count)
    for s in pieces.indices {
      for k in pieces[s].indices {
        let p = pieces[s][k].part
        let over = pieces[s][k].count - min(parts[p].schoolSeats, parts[p].seats)
        if over > 0 { takeOut(over, school: s, .regularFirst) { $0.part == p } }
        bySize[p].append((pieces[s][k].count, s))
      }
    }
    for p in parts.indices {
      var over = bySize[p].reduce(0) { $0 + $1.count } - parts[p].seats
      for (count, s) in bySize[p].sorted(by: <) where over > 0 && count > 0 {
        let take = min(over, count)
        takeOut(take, school: s, .regularFirst) { $0.part == p }
        over -= take
      }
    }
    for s in pieces.indices { pieces[s].removeAll { $0.count == 0 } }
    // Done when every school has its demand of each kind; else the flow places the rest.
    let complete = pieces.indices.allSatisfy { s in
      pieces[s].reduce(0) { $0 + $1.regular } == demand[s].regular
        && pieces[s].reduce(0) { $0 + $1.accessible } == demand[s].accessible
    }
    guard !complete else { return Packing(pieces: pieces, parts: parts, shortages: []) }
    return finishPacking(pieces: pieces, parts: parts, demand: demand, reachable: reachableBins())
  }

  /// Places what `pieces` leaves of `demand` by a maximum flow started from `pieces` (augmenting paths move
  /// other schools' candidates as needed), within the even-fill caps, then every usable seat, then without the
  /// per-school limits; names the districts short of seats when even that leaves some out.
  func finishPacking(
    pieces: [[Piece]], parts: [SchoolNetwork.Part], demand: [(regular: Int, accessible: Int)], reachable: [[Int]]
  ) -> Packing {
    var parts = parts
    let seats = bagParts(packing: false)
    var network = SchoolNetwork(
      parts: seats, demand: demand, reachableBins: reachable,
      limited: Array(repeating: true, count: demand.count))
    let total = demand.reduce(0) { $0 + $1.regular + $1.accessible }
    network.limitSeats(parts.map(\.seats))
    network.load(pieces.map { $0.map { ($0.part, $0.regular, $0.accessible) } })
    var placed = network.maximise()
    if placed < total {
      network.limitSeats(seats.map(\.seats))
      parts = seats
      placed = network.maximise()
    }
    let lifted = placed < total
    if lifted {
      network.liftSchoolLimits()
      placed = network.maximise()
    }
    let pieces = network.amounts().map {
      $0.map { Piece(part: $0.part, regular: $0.regular, accessible: $0.accessible) }
    }
    guard placed < total else { return Packing(pieces: pieces, parts: parts, shortages: [], limitsLifted: lifted) }
    // Seats are short once accessible and other candidates compete for the same rooms: name the districts.
    var short: [Int: (needed: Int, short: Int)] = [:]
    for (s, n) in network.unplaced(demand: demand).enumerated() {
      let d = problem.schoolDistrict[s]
      short[d, default: (0, 0)].needed += demand[s].regular + demand[s].accessible
      short[d, default: (0, 0)].short += n
    }
    let shortages = short.keys.sorted().compactMap { d -> SeatShortage? in
      guard let v = short[d], v.short > 0 else { return nil }
      return SeatShortage(district: problem.districtNames[d], kind: .seats, needed: v.needed, short: v.short)
    }
    return Packing(pieces: pieces, parts: parts, shortages: shortages)
  }
}
