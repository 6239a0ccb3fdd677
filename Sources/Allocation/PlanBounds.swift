/// The lower bounds of a plan's soft objectives: they depend on the problem only (candidates, rooms, districts),
/// never on a plan, so a planner may compute them while it plans (`SeatPlanner` does, on a second core).
public struct PlanBounds: Sendable, Equatable {
  public var sameSchoolNeighbours: Int
  /// Σ over schools of the fewest centre-sessions whose seats hold the school.
  public var schoolTrips: Int
  /// The same with each centre-session's seats limited to those one school may take with no two neighbours.
  public var schoolTripsWithoutNeighbours: Int
  /// The column-generation bound on the bus trips of plans without same-school neighbours
  /// (`PlanChecker.lagrangianTripsBound`: schools compete for the seats of each centre-session), at least
  /// `schoolTripsWithoutNeighbours`; nil when not computed (`bounds(columnGeneration:)`).
  public var schoolTripsByColumnGeneration: Int?
  public var schoolCentres: Int
  public var schoolSessions: Int
  /// Fraction (0…1) of usable seats below which the fullest room of any plan cannot be.
  public var fullestRoom: Double
}

extension PlanChecker {
  /// The problem's lower bounds, school by school from the seats each school may use, plus the same-school
  /// neighbour bound (`sameSchoolNeighboursBound`) and the fill bound (`districtFillBound`).
  /// - Parameter columnGeneration: also the column-generation bound on bus trips (`lagrangianTripsBound`, at
  ///   most `PlanBounds.columnGenerationRounds` rounds); nil: when the city has at most
  ///   `PlanBounds.columnGenerationCandidates` candidates (under 0.1 s there; about 8 s at 100,000).
  public func bounds(columnGeneration: Bool? = nil) -> PlanBounds {
    let sessions = problem.sessions.count
    let (centreUsable, centreIndependent) = centreSeats()
    var schoolSize = Array(repeating: 0, count: problem.schoolNames.count)
    for s in problem.candidateSchool { schoolSize[s] += 1 }
    // Per district: the reachable centre-sessions' seats and no-neighbour seats, largest first, as prefix sums.
    var perDistrict: [Int: (maxCentre: Int, total: Int, seats: [Int], independent: [Int])] = [:]
    func prefixSums(_ values: [Int]) -> [Int] {
      var sums = [0]
      for v in values.sorted(by: >) { sums.append(sums.last! + v) }
      return sums
    }
    for d in problem.districtNames.indices {
      var v = (maxCentre: 0, total: 0, seats: [Int](), independent: [Int]())
      var seats: [Int] = []
      var independent: [Int] = []
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        v.maxCentre = max(v.maxCentre, centreUsable[c])
        v.total += centreUsable[c]
        seats += Array(repeating: centreUsable[c], count: sessions)
        independent += Array(repeating: centreIndependent[c], count: sessions)
      }
      v.seats = prefixSums(seats)
      v.independent = prefixSums(independent)
      perDistrict[d] = v
    }
    func ceilDiv(_ a: Int, _ b: Int) -> Int { b <= 0 ? 0 : (a + b - 1) / b }
    /// Fewest centre-sessions whose capacities (prefix sums, largest first) add up to n (at least 1).
    func fewestBins(_ n: Int, _ sums: [Int]) -> Int { max(1, sums.firstPrefix(reaching: n)) }
    var tripBound = 0
    var cleanTripBound = 0
    var centreBound = 0
    var sessionBound = 0
    for (school, n) in schoolSize.enumerated() {
      let v = perDistrict[problem.schoolDistrict[school]]!
      tripBound += fewestBins(n, v.seats)
      cleanTripBound += fewestBins(n, v.independent)
      centreBound += max(1, ceilDiv(n, v.maxCentre * sessions))
      sessionBound += max(1, ceilDiv(n, v.total))
    }
    let separate = problem.candidates.filter { $0.accommodations.contains(.separateRoom) }.count
    var roomSizes: [Int] = []
    for info in problem.rooms where !info.usable.isEmpty {
      for _ in 0..<sessions { roomSizes.append(info.usable.count) }
    }
    roomSizes.sort()
    let capacity = roomSizes.dropFirst(min(separate, roomSizes.count)).reduce(0, +)
    let averageBound = capacity == 0 ? 0 : Double(problem.candidates.count - separate) / Double(capacity)
    let fillBound = max(averageBound, districtFillBound())
    var byColumnGeneration: Int?
    if columnGeneration ?? (problem.candidates.count <= PlanBounds.columnGenerationCandidates) {
      byColumnGeneration = max(
        cleanTripBound, lagrangianTripsBound(rounds: PlanBounds.columnGenerationRounds).bound)
    }
    return PlanBounds(
      sameSchoolNeighbours: sameSchoolNeighboursBound(), schoolTrips: tripBound,
      schoolTripsWithoutNeighbours: cleanTripBound, schoolTripsByColumnGeneration: byColumnGeneration,
      schoolCentres: centreBound, schoolSessions: sessionBound, fullestRoom: fillBound)
  }
}

extension PlanBounds {
  /// Cities up to this many candidates get the column-generation bound by default (`PlanChecker.bounds`).
  public static let columnGenerationCandidates = 20_000
  /// Rounds of column generation at most (a 100,000-candidate city converged in 47).
  public static let columnGenerationRounds = 500
}

extension Array where Element == Int {
  /// For prefix sums (increasing, from 0): the first k with self[k] ≥ n — the fewest of the summed items that
  /// reach n — else the last index (all of them). By bisection.
  func firstPrefix(reaching n: Int) -> Int {
    var low = 0
    var high = count - 1
    guard high >= 0, self[high] >= n else { return Swift.max(0, high) }
    while low < high {
      let mid = (low + high) / 2
      if self[mid] >= n { high = mid } else { low = mid + 1 }
    }
    return low
  }
}
