/// A lower bound on the bus trips of plans without same-school neighbours, from one mixed-integer program per
/// district (`exam allocate --district-bound`): tighter than the per-school bound where a district's schools compete
/// for the same large centre-sessions.
public struct DistrictTripsBound: Sendable, Equatable, Codable {
  /// Σ over districts of the larger of the program's proven bound and the district's per-school bound.
  public var bound: Int
  /// The per-school bound (`PlanQuality.schoolTripsWithoutNeighboursLowerBound`), for comparison.
  public var perSchoolBound: Int
  public var districts: Int
  /// Districts whose program was solved to optimality (the rest contribute the bound proven when the limits ran out).
  public var provenDistricts: Int
}

extension PlanChecker {
  /// Why it is a bound: the schools of one district only ever use the centre-sessions their district may reach.
  /// Giving them *all* of those seats (none taken by other districts) can only lower their fewest trips, so the
  /// fewest trips of each district's schools alone, summed over districts, is at most any plan's trips. Within a
  /// district the program is the exact step's (`PlannerState.solveTrips`) relaxed further: every candidate on any
  /// usable seat (accessible and separate-room needs ignored), a school at most a centre-session's independent seats
  /// (the rooms' independence numbers: no two of its candidates neighbours), all schools at most its usable seats.
  /// CBC's proven bound is valid whether or not it finishes within `limits`.
  public func districtTripsBound(limits: ExactLimits) -> DistrictTripsBound {
    let (usable, independent) = centreSeats()
    var size = Array(repeating: 0, count: problem.schoolNames.count)
    for s in problem.candidateSchool { size[s] += 1 }
    var schoolsOf = Array(repeating: [Int](), count: problem.districtNames.count)
    for (s, d) in problem.schoolDistrict.enumerated() where size[s] > 0 { schoolsOf[d].append(s) }
    let sessions = problem.sessions.count
    var out = DistrictTripsBound(bound: 0, perSchoolBound: 0, districts: 0, provenDistricts: 0)
    for d in problem.districtNames.indices where !schoolsOf[d].isEmpty {
      let centres = (0..<problem.centreCount).filter { problem.reachable(district: d, centre: $0) && usable[$0] > 0 }
      let largest = centres.flatMap { Array(repeating: independent[$0], count: sessions) }.sorted(by: >)
      /// Fewest centre-sessions whose independent seats add up to n (the per-school bound).
      func fewest(_ n: Int) -> Int {
        var total = 0
        for (k, seats) in largest.enumerated() {
          total += seats
          if total >= n { return k + 1 }
        }
        return max(1, largest.count)
      }
      let perSchool = schoolsOf[d].reduce(0) { $0 + fewest(size[$1]) }
      let program = MixedIntegerProgram()
      var binTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: centres.count * sessions)
      for s in schoolsOf[d] {
        var placed: [(column: Int, coefficient: Double)] = []
        var used: [(column: Int, coefficient: Double)] = []
        for (k, c) in centres.enumerated() where independent[c] > 0 {
          let cap = Double(min(size[s], independent[c]))
          for session in 0..<sessions {
            let y = program.addColumn(lower: 0, upper: 1, cost: 1, integer: true)
            let x = program.addColumn(lower: 0, upper: cap, cost: 0, integer: false)
            program.addRow([(x, 1), (y, -cap)], .atMost, 0)
            placed.append((x, 1))
            used.append((y, 1))
            binTerms[k * sessions + session].append((x, 1))
          }
        }
        program.addRow(placed, .equal, Double(size[s]))
        program.addRow(used, .atLeast, Double(fewest(size[s])))  // the per-school bound as a cut
      }
      for (b, terms) in binTerms.enumerated() where !terms.isEmpty {
        program.addRow(terms, .atMost, Double(usable[centres[b / sessions]]))
      }
      let solution = program.solve(maximumNodes: limits.maximumNodes, maximumSeconds: limits.maximumSeconds)
      let proven = Int((solution.bound - 1e-6).rounded(.up))
      out.bound += max(perSchool, proven)
      out.perSchoolBound += perSchool
      out.districts += 1
      if solution.provenOptimal { out.provenDistricts += 1 }
    }
    return out
  }
}
