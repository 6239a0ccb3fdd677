/// The same-school pairs bound where some pairs cannot be avoided: a linear program that charges each room the
/// fewest pairs k candidates of one school can make in it.
extension PlanChecker {
  /// Per part (`SchoolNetwork.part`), what one school pays in pairs for each further candidate there: the rooms'
  /// convex cost curves (`RoomPairCost`) merged, as (cost per candidate, candidates at that cost), cheapest first.
  /// Every session of a centre has the same rooms, so the curves are made once per room, and once per shape of
  /// usable seats (rooms of one plan share them).
  func pairCostsByPart() -> [[(cost: Double, width: Int)]] {
    let bins = problem.sessions.count * problem.centreCount
    var marginalsByCentrePart = Array(repeating: [Double](), count: 2 * problem.centreCount)
    for (info, cost) in zip(problem.rooms, RoomPairCost.ofRooms(problem)) {
      guard let cost else { continue }
      marginalsByCentrePart[2 * info.centre + (info.room.accessible ? 1 : 0)] += cost.marginals
    }
    let segmentsByCentrePart = marginalsByCentrePart.map(RoomPairCost.segments)
    return (0..<2 * bins).map { part in
      let bin = part / 2
      let centre = bin % problem.centreCount
      precondition(problem.bin(session: bin / problem.centreCount, centre: centre) == bin, "bins are session-major")
      return segmentsByCentrePart[2 * centre + part % 2]
    }
  }
}

/// The linear program of the pairs bound: each school's candidates (accessible-seat ones in accessible parts) go
/// to the parts of the bins its district reaches, at most a part's seats in all, each school paying its part's
/// cost curve; pseudo-schools (a district's separate-room candidates) pay nothing and have no curve. Its minimum
/// is at most the pairs of any plan: a plan's pairs in a room are at least the room's curve at each school's count
/// there, and a school's cheapest split of a part's count over its rooms is the merged curve.
struct PairsProgram {
  let parts: [SchoolNetwork.Part]
  let partCosts: [[(cost: Double, width: Int)]]
  let demand: [(regular: Int, accessible: Int)]
  let reachableBins: [[Int]]
  let limited: [Bool]

  /// The program's minimum rounded up (less a rounding allowance), or nil when CLP does not solve it.
  func bound() -> Int? {
    let schools = demand.count
    // Rows: each school's candidates (equal), each school's accessible-seat candidates (at least), each part's seats.
    let accessibleRow = schools
    let partRow = 2 * schools
    var lower = demand.map { Double($0.regular + $0.accessible) } + demand.map { Double($0.accessible) }
    var upper = lower.prefix(schools) + Array(repeating: Double.greatestFiniteMagnitude, count: schools)
    lower += Array(repeating: 0, count: parts.count)
    upper += parts.map { Double($0.seats) }
    let program = LinearProgram(rowLower: lower, rowUpper: Array(upper))
    var columns: [(cost: Double, upper: Double, entries: [(row: Int, value: Double)])] = []
    for s in 0..<schools where demand[s].regular + demand[s].accessible > 0 {
      for bin in reachableBins[s] {
        for accessible in [false, true] {
          let part = SchoolNetwork.part(bin: bin, accessible: accessible)
          guard parts[part].seats > 0 else { continue }
          var entries = [(row: s, value: 1.0), (row: partRow + part, value: 1.0)]
          if accessible { entries.append((accessibleRow + s, 1)) }
          if limited[s] {
            for segment in partCosts[part] {
              columns.append((segment.cost, Double(segment.width), entries))
            }
          } else {
            columns.append((0, Double(parts[part].seats), entries))
          }
        }
      }
    }
    program.addColumns(columns)
    guard program.solve() == .optimal else { return nil }
    return Int((program.objectiveValue - 1e-6).rounded(.up))
  }
}
