/// Lower bounds that need a flow or a relaxation (the per-school bounds are in `PlanChecker.measure`).
extension PlanChecker {
  /// Fewest same-school neighbour pairs of any plan: candidates − the maximum flow of a `SchoolNetwork` in which
  /// each school may take at most a room's independence number (exact, König) of seats per room-session.
  ///
  /// Why it is a bound: in a room, a school's k candidates on a seat set with independence number ≤ α form a
  /// bipartite graph with a matching of at least k − α same-school pairs (König), so a plan with P pairs keeps
  /// all but at most P candidates within those limits — a flow of at least N − P. The relaxation: every
  /// room-session stays open to everyone (rooms of separate-room candidates too), and each separate-room
  /// candidate only fills as many seats as the smallest room it may use.
  ///
  /// Where that bound is above 0, the pairs program (`PairsProgram`, the same relaxation with each room's convex
  /// cost curve of k candidates of one school in place of the König limit) is solved too, and the larger taken.
  func sameSchoolNeighboursBound() -> Int {
    let bins = problem.sessions.count * problem.centreCount
    var parts = Array(repeating: SchoolNetwork.Part(seats: 0, schoolSeats: 0), count: 2 * bins)
    for s in problem.sessions.indices {
      for info in problem.rooms {
        let p = SchoolNetwork.part(bin: problem.bin(session: s, centre: info.centre), accessible: info.room.accessible)
        parts[p].seats += info.usable.count
        parts[p].schoolSeats += info.independentSeats
      }
    }
    let districts = problem.districtNames.count
    var binsOfDistrict = Array(repeating: [Int](), count: districts)
    var smallest = Array(repeating: (any: Int.max, accessible: Int.max), count: districts)
    for d in 0..<districts {
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        for s in problem.sessions.indices { binsOfDistrict[d].append(problem.bin(session: s, centre: c)) }
        for r in problem.centreRooms[c] where !problem.rooms[r].usable.isEmpty {
          let n = problem.rooms[r].usable.count
          smallest[d].any = min(smallest[d].any, n)
          if problem.rooms[r].room.accessible { smallest[d].accessible = min(smallest[d].accessible, n) }
        }
      }
    }
    // Schools first, then one pseudo-school per district for its separate-room candidates.
    var demand = Array(repeating: (regular: 0, accessible: 0), count: problem.schoolNames.count + districts)
    for (i, c) in problem.candidates.enumerated() {
      let d = problem.candidateDistrict[i]
      let accessible = c.accommodations.contains(.accessibleSeat)
      if c.accommodations.contains(.separateRoom) {
        let seats = accessible ? smallest[d].accessible : smallest[d].any
        guard seats < Int.max else { continue }
        if accessible {
          demand[problem.schoolNames.count + d].accessible += seats
        } else {
          demand[problem.schoolNames.count + d].regular += seats
        }
      } else if accessible {
        demand[problem.candidateSchool[i]].accessible += 1
      } else {
        demand[problem.candidateSchool[i]].regular += 1
      }
    }
    let reachable = problem.schoolDistrict.map { binsOfDistrict[$0] } + binsOfDistrict
    let limited = Array(repeating: true, count: problem.schoolNames.count) + Array(repeating: false, count: districts)
    var network = SchoolNetwork(parts: parts, demand: demand, reachableBins: reachable, limited: limited)
    let total = demand.reduce(0) { $0 + $1.regular + $1.accessible }
    let flowBound = max(0, total - network.maximise())
    // Where some pairs cannot be avoided, each extra candidate in a room costs more than the one pair König
    // guarantees: the pairs program below charges each room its fewest pairs for k candidates of one school.
    guard flowBound > 0 else { return 0 }
    let program = PairsProgram(
      parts: parts, partCosts: pairCostsByPart(), demand: demand, reachableBins: reachable, limited: limited)
    return max(flowBound, program.bound() ?? 0)
  }
}
