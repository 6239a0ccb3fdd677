/// How many candidates of each school each room-session should take so that the fewest same-school pairs are
/// made: a linear program over room-sessions, for cities where some pairs cannot be avoided.
///
/// A school's k candidates in a room make at least the room's curve at k (`RoomPairCost`: the fewest pairs any k
/// seats of it make, made convex), so the program gives each (school, room-session) a column per segment of that
/// curve, at its cost a candidate; each school's candidates are placed (its accessible-seat ones in accessible
/// rooms), each open room-session takes at most its usable seats, and the school's district must reach the
/// centre. Its matrix is a transportation problem's (schools × room-sessions) with one more row a school for its
/// accessible-seat candidates, so CLP's solutions are whole or nearly so. Its minimum is at most the pairs of any
/// plan with the same room-sessions closed (the separate rooms); where each room's seats can give every school
/// its curve's seats at once — checked by seating, not assumed — a plan with these counts has that many pairs.
///
/// The one owner of its `LinearProgram`: a room-session is closed or opened by its row's bound and the program
/// solved again from the last basis, so trying another room for a separate-room candidate costs a few pivots.
final class RoomPairsProgram {
  let problem: PlanningProblem
  /// Candidates to place, per school: all, and those needing an accessible seat.
  let demand: [(all: Int, accessible: Int)]
  private let program: LinearProgram
  private let owners: [(school: Int, roomSession: Int)]
  private let curves: [RoomPairCost?]
  private let roomRow: Int
  private(set) var closed: [Bool]

  /// - Parameters:
  ///   - closed: room-sessions no school may use (separate rooms).
  ///   - curves: each room's pairs curve (`RoomPairCost.ofRooms`), where the caller has them; else made here.
  ///   - binCost: what a candidate of a school pays in a bin besides its pairs: small (below one pair over all
  ///     candidates), so that among counts with the fewest pairs the program takes those closest to a given plan.
  init(
    problem: PlanningProblem, closed: [Bool], demand: [(all: Int, accessible: Int)], curves: [RoomPairCost?]? = nil,
    binCost: (_ school: Int, _ bin: Int) -> Double
  ) {
    self.problem = problem
    self.demand = demand
    self.closed = closed
    let schools = demand.count
    let accessibleRow = schools
    let roomRow = 2 * schools
    self.roomRow = roomRow
    var lower = demand.map { Double($0.all) } + demand.map { Double($0.accessible) }
    var upper = demand.map { Double($0.all) } + Array(repeating: Double.greatestFiniteMagnitude, count: schools)
    for rs in closed.indices {
      lower.append(0)
      upper.append(closed[rs] ? 0 : Double(problem.rooms[rs % problem.roomCount].usable.count))
    }
    program = LinearProgram(rowLower: lower, rowUpper: upper)
    let curves = curves ?? RoomPairCost.ofRooms(problem)
    self.curves = curves
    var columns: [(cost: Double, upper: Double, entries: [(row: Int, value: Double)])] = []
    var owners: [(school: Int, roomSession: Int)] = []
    Self.forEachSegment(problem, demand: demand, curves: curves) { school, bin, rs, accessible, segment in
      var entries = [(row: school, value: 1.0), (row: roomRow + rs, value: 1.0)]
      if accessible { entries.append((accessibleRow + school, 1)) }
      columns.append((segment.cost + binCost(school, bin), Double(segment.width), entries))
      owners.append((school, rs))
    }
    program.addColumns(columns)
    self.owners = owners
  }

  /// Solves (again, from the last basis after `setClosed`); false when the program has no solution.
  func solve() -> Bool {
    program.solveAgain() == .optimal
  }

  /// The last solution's pairs (with the small bin costs).
  var objective: Double { program.objectiveValue }

  /// Closes or opens room-session `rs` (its seats, as a row bound); `solve` then starts from the last basis.
  func setClosed(_ rs: Int, _ isClosed: Bool) {
    closed[rs] = isClosed
    program.setRowUpper(roomRow + rs, isClosed ? 0 : Double(problem.rooms[rs % problem.roomCount].usable.count))
  }

  /// Per school, its candidates per room-session at the last solution, made whole: each fraction rounded down,
  /// then each school's candidates left over placed one at a time where its next candidate costs least (the room's
  /// exact count of pairs where known), accessible rooms first while its accessible-seat candidates need them.
  /// Nil when a room-session runs out.
  func counts() -> [[Int: Int]]? {
    let roomSessions = closed.count
    var values = Array(repeating: [Int: Double](), count: demand.count)
    for (value, owner) in zip(program.columnValues, owners) where value > 1e-9 {
      values[owner.school][owner.roomSession, default: 0] += value
    }
    var used = Array(repeating: 0, count: roomSessions)
    var counts = values.map { $0.mapValues { Int(($0 + 1e-6).rounded(.down)) }.filter { $0.value > 0 } }
    for school in counts.indices {
      for (rs, k) in counts[school] { used[rs] += k }
    }
    for school in counts.indices {
      func inAccessibleRooms() -> Int {
        counts[school].reduce(0) { $0 + (problem.rooms[$1.key % problem.roomCount].room.accessible ? $1.value : 0) }
      }
      var left = demand[school].all - counts[school].values.reduce(0, +)
      while left > 0 {
        let needAccessible = inAccessibleRooms() < demand[school].accessible
        var best: (key: (Double, Int, Int), roomSession: Int)?
        for rs in 0..<roomSessions {
          let r = rs % problem.roomCount
          guard !closed[rs], used[rs] < problem.rooms[r].usable.count,
            !needAccessible || problem.rooms[r].room.accessible,
            problem.reachable(district: problem.schoolDistrict[school], centre: problem.rooms[r].centre)
          else { continue }
          let k = counts[school][rs] ?? 0
          let curve = curves[r]!  // a room-session with free seats has usable seats
          let step = curve.fewest.map { Double($0[k + 1] - $0[k]) } ?? curve.marginals[k]
          // The program's own (fractional) room-sessions first among equals.
          let key = (step, values[school][rs] == nil ? 1 : 0, rs)
          if best == nil || key < best!.key { best = (key, rs) }
        }
        guard let best else { return nil }
        counts[school][best.roomSession, default: 0] += 1
        used[best.roomSession] += 1
        left -= 1
      }
      guard inAccessibleRooms() >= demand[school].accessible else { return nil }
    }
    return counts
  }

  /// Calls `body` for each column a school has: each room-session its district reaches, each segment of the room's
  /// curve (cost a candidate, candidates at that cost), with the centre-session's bin and whether the room is
  /// accessible.
  static func forEachSegment(
    _ problem: PlanningProblem, demand: [(all: Int, accessible: Int)], curves: [RoomPairCost?],
    _ body: (_ school: Int, _ bin: Int, _ roomSession: Int, _ accessible: Bool, _ segment: (cost: Double, width: Int))
      -> Void
  ) {
    let segmentsOfRoom = curves.map { $0.map { RoomPairCost.segments($0.marginals) } ?? [] }
    for school in demand.indices where demand[school].all > 0 {
      let d = problem.schoolDistrict[school]
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        for r in problem.centreRooms[c] {
          for s in problem.sessions.indices {
            let rs = problem.roomSession(session: s, room: r)
            let bin = problem.bin(session: s, centre: c)
            for segment in segmentsOfRoom[r] { body(school, bin, rs, problem.rooms[r].room.accessible, segment) }
          }
        }
      }
    }
  }
}

/// Rooms for the separate-room candidates chosen with the counts: `RoomPairsProgram` with each separate-room
/// candidate's room a whole room-session (a binary choice per room-session its district reaches, accessible for
/// one who needs it) — a mixed-integer program, solved by CBC within limits. Every plan is a solution (its
/// separate rooms, its counts), so CBC's proven bound is a lower bound on any plan's same-school pairs; the
/// relaxation in `PairsProgram` lets such candidates take fractions of rooms and the smallest room's seats.
struct SeparateRoomsProgram {
  let problem: PlanningProblem
  /// Candidates per school other than separate-room ones: all, and those needing an accessible seat.
  let demand: [(all: Int, accessible: Int)]
  /// Separate-room candidates per district: regular, and needing an accessible seat.
  let separate: [(regular: Int, accessible: Int)]
  /// Each room's pairs curve (`RoomPairCost.ofRooms`), made once: for `solve`, `fewestTrips` and the caller's
  /// `RoomPairsProgram`.
  let curves: [RoomPairCost?]

  struct Solution {
    /// CBC's proven lower bound on the pairs, rounded up (less a rounding allowance).
    var bound: Int
    /// Its best plan's pairs (as the program counts them), if it found one.
    var pairs: Double?
    var provenOptimal: Bool
    /// Per district and kind (2 × district, + 1 for accessible), the room-sessions its best plan gives them.
    var rooms: [[Int]]
  }

  init(problem: PlanningProblem) {
    self.problem = problem
    var demand = Array(repeating: (all: 0, accessible: 0), count: problem.schoolNames.count)
    var separate = Array(repeating: (regular: 0, accessible: 0), count: problem.districtNames.count)
    for (i, c) in problem.candidates.enumerated() {
      let accessible = c.accommodations.contains(.accessibleSeat)
      if c.accommodations.contains(.separateRoom) {
        if accessible {
          separate[problem.candidateDistrict[i]].accessible += 1
        } else {
          separate[problem.candidateDistrict[i]].regular += 1
        }
      } else {
        demand[problem.candidateSchool[i]].all += 1
        if accessible { demand[problem.candidateSchool[i]].accessible += 1 }
      }
    }
    self.demand = demand
    self.separate = separate
    curves = RoomPairCost.ofRooms(problem)
  }

  var hasSeparateRoomCandidates: Bool { separate.contains { $0.regular + $0.accessible > 0 } }

  /// Largest city the program is solved for by default (CBC's cuts at the root close it on the cities measured,
  /// 0.8 s at 5,000 candidates, 5 s at 10,000: docs/benchmarks.md, Rooms, session 31); `--exact` lifts it to
  /// `largestExactCity`. CBC's limits: nodes (so that the result depends on the input only) and a safety net of
  /// seconds.
  static let largestCity = 5_000
  static let largestExactCity = 20_000
  static let maximumNodes = 2_000
  static let maximumSeconds = 20.0

  /// The program's columns and rows in `mip`: per school, room-session and segment of the room's curve, a count
  /// column (its cost the segment's pairs a candidate when `pairsInObjective`, else 0; whole when `wholeCounts`);
  /// per district, kind and room-session it reaches, a separate room's binary. Nil when some separate-room
  /// candidates have no room at all (no plan seats them; the planner reports the shortage).
  private func build(_ mip: MixedIntegerProgram, pairsInObjective: Bool, wholeCounts: Bool) -> (
    counts: [(column: Int, school: Int, roomSession: Int, pairs: Double)],
    separate: [(column: Int, kind: Int, roomSession: Int)]
  )? {
    let roomSessions = problem.sessions.count * problem.roomCount
    var roomTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: roomSessions)
    var schoolTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: demand.count)
    var accessibleTerms = schoolTerms
    var separateTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: 2 * separate.count)
    var separateColumns: [(column: Int, kind: Int, roomSession: Int)] = []
    var countColumns: [(column: Int, school: Int, roomSession: Int, pairs: Double)] = []
    RoomPairsProgram.forEachSegment(problem, demand: demand, curves: curves) { school, _, rs, accessible, segment in
      let x = mip.addColumn(
        lower: 0, upper: Double(segment.width), cost: pairsInObjective ? segment.cost : 0, integer: wholeCounts)
      countColumns.append((x, school, rs, segment.cost))
      roomTerms[rs].append((x, 1))
      schoolTerms[school].append((x, 1))
      if accessible { accessibleTerms[school].append((x, 1)) }
    }
    for d in separate.indices where separate[d].regular + separate[d].accessible > 0 {
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        for r in problem.centreRooms[c] where !problem.rooms[r].usable.isEmpty {
          for s in problem.sessions.indices {
            let rs = problem.roomSession(session: s, room: r)
            for kind in 0..<2 where (kind == 0 ? separate[d].regular : separate[d].accessible) > 0 {
              guard kind == 0 || problem.rooms[r].room.accessible else { continue }
              let w = mip.addColumn(lower: 0, upper: 1, cost: 0, integer: true)
              roomTerms[rs].append((w, Double(problem.rooms[r].usable.count)))
              separateTerms[2 * d + kind].append((w, 1))
              separateColumns.append((w, 2 * d + kind, rs))
            }
          }
        }
      }
    }
    for school in demand.indices where demand[school].all > 0 {
      mip.addRow(schoolTerms[school], .equal, Double(demand[school].all))
      if demand[school].accessible > 0 {
        mip.addRow(accessibleTerms[school], .atLeast, Double(demand[school].accessible))
      }
    }
    for rs in 0..<roomSessions where !roomTerms[rs].isEmpty {
      mip.addRow(roomTerms[rs], .atMost, Double(problem.rooms[rs % problem.roomCount].usable.count))
    }
    for k in separateTerms.indices {
      let needed = k % 2 == 0 ? separate[k / 2].regular : separate[k / 2].accessible
      guard needed > 0 else { continue }
      // No room for them at all: no plan seats them (the planner reports the shortage).
      guard !separateTerms[k].isEmpty else { return nil }
      mip.addRow(separateTerms[k], .equal, Double(needed))
    }
    return (countColumns, separateColumns)
  }

  /// Solves within CBC's node limit (which makes the result depend on the input only) and a safety net of seconds.
  func solve(maximumNodes: Int, maximumSeconds: Double) -> Solution {
    let mip = MixedIntegerProgram()
    guard let columns = build(mip, pairsInObjective: true, wholeCounts: false) else {
      return Solution(bound: 0, pairs: nil, provenOptimal: false, rooms: [])
    }
    let separateColumns = columns.separate
    let solution = mip.solve(maximumNodes: maximumNodes, maximumSeconds: maximumSeconds)
    var rooms = Array(repeating: [Int](), count: 2 * separate.count)
    if let values = solution.values {
      for column in separateColumns where values[column.column] > 0.5 { rooms[column.kind].append(column.roomSession) }
    }
    // CBC reports a huge value where it proved nothing (no plan in its limits): no bound then.
    let pairsPossible = Double(demand.reduce(0) { $0 + $1.all }) * 4
    let bound =
      solution.bound.isFinite && solution.bound <= pairsPossible ? Int((solution.bound - 1e-6).rounded(.up)) : 0
    return Solution(
      bound: max(0, bound), pairs: solution.values == nil ? nil : solution.objective,
      provenOptimal: solution.provenOptimal, rooms: rooms)
  }

  /// Among the plans with at most `pairs` same-school pairs (as the program counts them), one with the fewest bus
  /// trips: each (school, centre-session) a binary, the school's counts there at most its candidates (or the
  /// seats) while it rides there, the pairs a row, the counts whole. CBC within its limits; nil where it found
  /// no plan. Separate-room candidates' own trips are not counted (their rooms are chosen as in `solve`).
  func fewestTrips(pairs: Double, maximumNodes: Int, maximumSeconds: Double) -> (
    trips: Int, counts: [[Int: Int]], rooms: [[Int]], provenOptimal: Bool
  )? {
    let mip = MixedIntegerProgram()
    guard let columns = build(mip, pairsInObjective: false, wholeCounts: true) else { return nil }
    mip.addRow(columns.counts.map { ($0.column, $0.pairs) }, .atMost, pairs + 1e-6)
    let bins = problem.sessions.count * problem.centreCount
    var seats = Array(repeating: 0, count: bins)
    for rs in 0..<problem.sessions.count * problem.roomCount {
      seats[problem.bin(roomSession: rs)] += problem.seats(roomSession: rs)
    }
    var rides: [Int: [(column: Int, coefficient: Double)]] = [:]  // by school × bins + bin
    for c in columns.counts {
      rides[c.school * bins + problem.bin(roomSession: c.roomSession), default: []].append((c.column, 1))
    }
    for key in rides.keys.sorted() {
      let y = mip.addColumn(lower: 0, upper: 1, cost: 1, integer: true)
      let most = min(demand[key / bins].all, seats[key % bins])
      mip.addRow(rides[key]! + [(y, -Double(most))], .atMost, 0)
    }
    let solution = mip.solve(maximumNodes: maximumNodes, maximumSeconds: maximumSeconds)
    guard let values = solution.values else { return nil }
    var counts = Array(repeating: [Int: Int](), count: demand.count)
    for c in columns.counts where values[c.column] > 0.5 {
      counts[c.school][c.roomSession, default: 0] += Int(values[c.column].rounded())
    }
    var rooms = Array(repeating: [Int](), count: 2 * separate.count)
    for column in columns.separate where values[column.column] > 0.5 {
      rooms[column.kind].append(column.roomSession)
    }
    return (Int(solution.objective.rounded()), counts, rooms, solution.provenOptimal)
  }
}
