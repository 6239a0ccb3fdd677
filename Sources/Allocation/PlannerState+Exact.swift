/// Step 3c (`SeatPlanner.exact`): the bus-trip problem at the level of centre-sessions as a mixed-integer
/// program, solved by CBC, for a proven optimum (or a proven gap) on small cities; the caller keeps the search's
/// plan unless the program's has fewer trips.
///
/// The model is the one the search works in: school s puts x[s,p] of its candidates in part p (a bin's
/// accessible or other rooms; accessible-seat candidates only in accessible parts; only bins its district may
/// reach), at most the part's seats in all and at most its per-school limit (`schoolSeats`: the seats one school
/// can take with no two neighbours) of one school; y[s,b] = 1 when school s uses bin b. Separate-room candidates
/// are in the program too: each chooses one room-session z[i,r] it may use (an accessible one if it needs it, one
/// candidate a room-session), which takes that room's seats and no-neighbour seats out of its part and makes its
/// school ride to that bin (y ≥ z). Minimise Σ y. So the bound holds for every plan without same-school
/// neighbours, wherever it seats its separate-room candidates.
extension PlannerState {
  /// Solves the program and replaces `trips` (the search's plan) by its solution — with the separate-room
  /// candidates in the rooms it chose — when that has fewer trips once each school keeps to one seat class per
  /// room (`TripSearch.run`'s class repairs); returns the report.
  mutating func solveTripsExactly(_ trips: inout TripSearch, limits: ExactLimits) -> ExactTripsReport {
    let searchTrips = trips.trips
    let result = solveTrips(limits: limits)
    var best = searchTrips
    var used = false
    if let pieces = result.pieces {
      let kept = separateRooms
      for (i, _) in result.separateRooms {
        if roomSessionOf[i] >= 0 { exclusive[roomSessionOf[i]] = false }
      }
      for (i, rs) in result.separateRooms {
        exclusive[rs] = true
        roomSessionOf[i] = rs
        let info = problem.rooms[rs % problem.roomCount]
        seatOf[i] = info.usable[info.usable.count / 2]
      }
      var solved = TripSearch(
        pieces: pieces, parts: bagParts(packing: true), limited: true, classes: partClasses(),
        reachable: reachableBins(), anchors: separateRoomBins())
      best = min(best, solved.trips)
      var report: SearchReport?
      if solved.trips < searchTrips {
        report = solved.run(timeLimitSeconds: timeLimitSeconds)
      }
      if let report, solved.trips < searchTrips {
        trips = solved
        search.classRepairs += report.classRepairs
        search.unpackableParts = report.unpackableParts
        search.stoppedByTimeLimit = search.stoppedByTimeLimit || report.stoppedByTimeLimit
        search.stoppedByClock = search.stoppedByClock || report.stoppedByClock
        used = true
      } else {
        separateRooms = kept
      }
    }
    // `SeatPlanner.draft` raises the bound to the column-generation bound, computed with the other bounds.
    return ExactTripsReport(
      trips: best, bound: result.bound, provenOptimal: result.provenOptimal || best == result.bound,
      nodes: result.nodes, stoppedBySeconds: result.stoppedBySeconds, searchTrips: searchTrips, used: used)
  }

  /// What the program found: a placement of every school's candidates and the separate-room candidates' rooms
  /// (candidate, room-session) (nil pieces when none was found or it was not whole), the proven lower bound on
  /// trips, and how the search ended.
  struct ExactResult {
    var pieces: [[Piece]]?
    var separateRooms: [(candidate: Int, roomSession: Int)] = []
    var bound: Int
    var provenOptimal: Bool
    var stoppedBySeconds: Bool
    var nodes: Int
  }

  func solveTrips(limits: ExactLimits) -> ExactResult {
    // The parts with every room open; the separate-room candidates' rooms are the program's to choose.
    var open = self
    open.exclusive = Array(repeating: false, count: exclusive.count)
    let parts = open.bagParts(packing: true)
    let packFill = min(1, fill + wholeSchoolSlack)
    let separate = problem.candidates.indices.filter { needs($0, .separateRoom) }
    var demand = schoolDemand()
    for i in separate where roomSessionOf[i] < 0 {
      // Not placed yet (schoolDemand counts every candidate without a room): the program places them.
      if needs(i, .accessibleSeat) {
        demand[problem.candidateSchool[i]].accessible -= 1
      } else {
        demand[problem.candidateSchool[i]].regular -= 1
      }
    }
    let reachable = reachableBins()
    let program = MixedIntegerProgram()
    var yColumn: [Int: Int] = [:]  // s * bins + b → y column
    let binCount = problem.sessions.count * problem.centreCount
    func y(_ s: Int, _ b: Int) -> Int {
      if let c = yColumn[s * binCount + b] { return c }
      let c = program.addColumn(lower: 0, upper: 1, cost: 1, integer: true)
      yColumn[s * binCount + b] = c
      return c
    }
    // Separate-room candidates: their options, pruned to rooms that fewer candidates than could use the part
    // beat on both seats and no-neighbour seats (a room so beaten is never needed: one beating it stays free).
    let options = separateRoomOptions(separate)
    var partTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: parts.count)
    var partSchoolTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: parts.count)
    var roomSessionTerms: [Int: [(column: Int, coefficient: Double)]] = [:]
    var zColumns: [[(roomSession: Int, column: Int)]] = []
    for (k, i) in separate.enumerated() {
      let s = problem.candidateSchool[i]
      var choice: [(column: Int, coefficient: Double)] = []
      var list: [(roomSession: Int, column: Int)] = []
      for rs in options[k] {
        let info = problem.rooms[rs % problem.roomCount]
        let (b, p) = (problem.bin(roomSession: rs), problem.part(roomSession: rs))
        let z = program.addColumn(lower: 0, upper: 1, cost: 0, integer: true)
        choice.append((z, 1))
        list.append((rs, z))
        program.addRow([(y(s, b), 1), (z, -1)], .atLeast, 0)
        partTerms[p].append((z, Double(Self.target(usable: info.usable.count, fill: packFill))))
        partSchoolTerms[p].append((z, Double(info.schoolSeats)))
        roomSessionTerms[rs, default: []].append((z, 1))
      }
      program.addRow(choice, .equal, 1)
      zColumns.append(list)
    }
    for rs in roomSessionTerms.keys.sorted() where roomSessionTerms[rs]!.count > 1 {
      program.addRow(roomSessionTerms[rs]!, .atMost, 1)
    }
    // Columns per (school, reachable bin): x into the other part, x (regular) and x (accessible) into the
    // accessible part, each -1 when absent.
    struct Link {
      var bin: Int
      var other = -1
      var regular = -1
      var accessible = -1
    }
    var links: [[Link]] = []
    for s in demand.indices {
      let (regular, accessible) = demand[s]
      let n = regular + accessible
      var list: [Link] = []
      var regularTerms: [(column: Int, coefficient: Double)] = []
      var accessibleTerms: [(column: Int, coefficient: Double)] = []
      guard n > 0 else {
        links.append(list)
        continue
      }
      for b in reachable[s] {
        let other = parts[2 * b]
        let access = parts[2 * b + 1]
        let capOther = min(n, other.schoolSeats, other.seats)
        let capAccess = min(n, access.schoolSeats, access.seats)
        guard (regular > 0 && capOther > 0) || capAccess > 0 else { continue }
        var link = Link(bin: b)
        let yb = y(s, b)
        if regular > 0 && capOther > 0 {
          link.other = program.addColumn(lower: 0, upper: Double(min(regular, capOther)), cost: 0, integer: false)
          program.addRow([(link.other, 1), (yb, -Double(capOther))], .atMost, 0)
          if !partSchoolTerms[2 * b].isEmpty {
            program.addRow([(link.other, 1)] + partSchoolTerms[2 * b], .atMost, Double(other.schoolSeats))
          }
          regularTerms.append((link.other, 1))
          partTerms[2 * b].append((link.other, 1))
        }
        if capAccess > 0 {
          var inside: [(column: Int, coefficient: Double)] = []
          if regular > 0 {
            link.regular = program.addColumn(lower: 0, upper: Double(min(regular, capAccess)), cost: 0, integer: false)
            regularTerms.append((link.regular, 1))
            inside.append((link.regular, 1))
          }
          if accessible > 0 {
            link.accessible = program.addColumn(
              lower: 0, upper: Double(min(accessible, capAccess)), cost: 0, integer: false)
            accessibleTerms.append((link.accessible, 1))
            inside.append((link.accessible, 1))
          }
          program.addRow(inside + [(yb, -Double(capAccess))], .atMost, 0)
          if !partSchoolTerms[2 * b + 1].isEmpty {
            program.addRow(inside + partSchoolTerms[2 * b + 1], .atMost, Double(access.schoolSeats))
          }
          partTerms[2 * b + 1] += inside
        }
        list.append(link)
      }
      if regular > 0 { program.addRow(regularTerms, .equal, Double(regular)) }
      if accessible > 0 { program.addRow(accessibleTerms, .equal, Double(accessible)) }
      links.append(list)
    }
    for (p, terms) in partTerms.enumerated() where !terms.isEmpty {
      program.addRow(terms, .atMost, Double(parts[p].seats))
    }
    let solution = program.solve(maximumNodes: limits.maximumNodes, maximumSeconds: limits.maximumSeconds)
    var result = ExactResult(
      pieces: nil, bound: Int((solution.bound - 1e-6).rounded(.up)),
      provenOptimal: solution.provenOptimal, stoppedBySeconds: solution.stoppedBySeconds, nodes: solution.nodes)
    // The x columns are continuous: with the y and z fixed the rest is a flow, whose optimal vertices are whole.
    // A solution that is not whole, or does not place every candidate, is not used.
    guard let values = solution.values, values.allSatisfy({ abs($0 - $0.rounded()) < 1e-6 }) else { return result }
    func amount(_ column: Int) -> Int { column >= 0 ? Int(values[column].rounded()) : 0 }
    var pieces = Array(repeating: [Piece](), count: demand.count)
    for (s, list) in links.enumerated() {
      for link in list {
        let other = amount(link.other)
        let regular = amount(link.regular)
        let accessible = amount(link.accessible)
        if other > 0 { pieces[s].append(Piece(part: 2 * link.bin, regular: other, accessible: 0)) }
        if regular + accessible > 0 {
          pieces[s].append(Piece(part: 2 * link.bin + 1, regular: regular, accessible: accessible))
        }
      }
      let placed = pieces[s].reduce(into: (regular: 0, accessible: 0)) {
        $0.regular += $1.regular
        $0.accessible += $1.accessible
      }
      guard placed == demand[s] else { return result }
    }
    for (k, i) in separate.enumerated() {
      guard let chosen = zColumns[k].first(where: { amount($0.column) == 1 }) else { return result }
      result.separateRooms.append((i, chosen.roomSession))
    }
    result.pieces = pieces
    return result
  }

  /// Per separate-room candidate (in the order given), the room-sessions the program may give it: usable rooms of
  /// the centres its district may reach (accessible ones if it needs one), every session — less those that as
  /// many other rooms of the same part beat (no more seats and no more no-neighbour seats, one of them strictly
  /// fewer, or equal and earlier) as there are separate-room candidates who could use that part: one of those
  /// always stays free, so the optimum does not need the room.
  func separateRoomOptions(_ separate: [Int]) -> [[Int]] {
    let rooms = problem.rooms
    func beats(_ a: Int, _ b: Int) -> Bool {
      let (ua, ub) = (rooms[a].usable.count, rooms[b].usable.count)
      let (sa, sb) = (rooms[a].schoolSeats, rooms[b].schoolSeats)
      return ua <= ub && sa <= sb && (ua < ub || sa < sb || a < b)
    }
    // Per (centre, accessible): the separate-room candidates that could use it.
    var users: [Int: Int] = [:]
    for i in separate {
      let d = problem.candidateDistrict[i]
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        users[2 * c + 1, default: 0] += 1
        if !needs(i, .accessibleSeat) { users[2 * c, default: 0] += 1 }
      }
    }
    var kept = Array(repeating: false, count: rooms.count)
    for c in 0..<problem.centreCount {
      let list = problem.centreRooms[c].filter { !rooms[$0].usable.isEmpty }
      for r in list {
        let key = 2 * c + (rooms[r].room.accessible ? 1 : 0)
        let beaten = list.filter { $0 != r && rooms[$0].room.accessible == rooms[r].room.accessible && beats($0, r) }
        kept[r] = beaten.count < (users[key] ?? 0)
      }
    }
    return separate.map { i in
      let d = problem.candidateDistrict[i]
      var list: [Int] = []
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        for r in problem.centreRooms[c] where kept[r] && (!needs(i, .accessibleSeat) || rooms[r].room.accessible) {
          for session in problem.sessions.indices { list.append(problem.roomSession(session: session, room: r)) }
        }
      }
      return list
    }
  }
}

/// How long `exam allocate --exact` may search: branch-and-bound nodes (deterministic), and seconds (a safety net).
public struct ExactLimits: Sendable, Equatable {
  public var maximumNodes: Int
  public var maximumSeconds: Double
  public static let standard = ExactLimits(maximumNodes: 20_000, maximumSeconds: 60)
  /// The size the exact mode is meant for (measured: 1,000–5,000 candidates end or prove a gap within a minute).
  public static let recommendedCandidates = 5_000

  /// The warning for a city of `candidates`, or nil when the exact mode is meant for it.
  public static func warning(candidates: Int) -> String? {
    guard candidates > recommendedCandidates else { return nil }
    // CBC checks its clock between nodes, not inside its first LP: at 100,000 candidates that LP (358,672 rows)
    // was still running when stopped after 4 minutes, and HiGHS did not solve it in 15 (docs/benchmarks.md).
    return "--exact is meant for up to \(recommendedCandidates) candidates; with \(candidates) the solver's first "
      + "linear program can run far past --exact-seconds — leave out --exact for a city"
  }

  public init(maximumNodes: Int, maximumSeconds: Double) {
    self.maximumNodes = maximumNodes
    self.maximumSeconds = maximumSeconds
  }
}
