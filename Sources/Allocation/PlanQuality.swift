/// How good a seat plan is: hard-constraint violations (must be 0) and each soft objective beside a lower
/// bound that no plan for the same candidates, rooms and sessions can beat.
public struct PlanQuality: Sendable, Equatable, Codable {
  public var candidates: Int
  public var placed: Int
  /// Hard-constraint violations, by rule (empty when the plan is valid).
  public var violations: [String: Int]
  public var hardViolations: Int { violations.values.reduce(0, +) }

  /// Pairs of candidates of one school side by side or front/back in a room.
  public var sameSchoolNeighbours: Int
  /// Fewest same-school pairs of any plan (`PlanChecker.sameSchoolNeighboursBound`): candidates − the most that can
  /// sit with no same-school neighbour, and where that is above 0 the pairs program's minimum if larger. More than 0
  /// proves every plan has same-school neighbours; 0 means a plan without them may exist.
  public var sameSchoolNeighboursLowerBound: Int
  /// Σ over schools of the centre-sessions they sit in (bus trips).
  public var schoolTrips: Int
  /// Σ over schools of the fewest centre-sessions they may use whose usable seats add up to their candidates.
  public var schoolTripsLowerBound: Int
  /// The same bound for plans with no same-school neighbours: a school then has at most a room's independent
  /// seats (independence number, König) in each room, so the fewest centre-sessions whose independent seats
  /// add up to its candidates.
  public var schoolTripsWithoutNeighboursLowerBound: Int
  /// A tighter bound for plans with no same-school neighbours, where schools compete for the seats of the same
  /// centre-sessions (`PlanBounds.schoolTripsByColumnGeneration`); nil when not computed.
  public var schoolTripsColumnGenerationLowerBound: Int?
  /// Σ over schools of the centres they sit in, and its bound (largest reachable centre over all sessions).
  public var schoolCentres: Int
  public var schoolCentresLowerBound: Int
  /// Σ over schools of the sessions they sit in, and its bound (largest reachable session capacity).
  public var schoolSessions: Int
  public var schoolSessionsLowerBound: Int
  /// Neighbouring occupied seats with the same paper form (only meaningful when formCount > 1).
  public var sameFormNeighbours: Int
  public var formCount: Int
  /// Room-sessions with at least one candidate (separate rooms excluded).
  public var roomsOpen: Int
  /// Occupancy of the fullest shared room-session, percent of its usable seats, and its bound: the larger of
  /// the average fill and the lowest uniform fill at which every district still reaches enough seats.
  public var fullestRoomPercent: Double
  public var fullestRoomPercentLowerBound: Double
  /// Occupancy of the emptiest open shared room-session, percent.
  public var emptiestOpenRoomPercent: Double
  /// Candidates seated in a centre of an adjacent district rather than their own.
  public var seatedInAdjacentDistrict: Int
  /// What `exam allocate --exact` proved about the bus trips (nil without `--exact`).
  public var exactTrips: ExactTripsReport?

  /// The report as aligned text lines: objective, plan, lower bound.
  public var reportLines: [String] {
    func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
    func percent(_ v: Double) -> String { String(Int((v * 10).rounded())).withDecimal }
    var rows: [(String, String, String)] = [
      ("hard-constraint violations", "\(hardViolations)", "0"),
      ("same-school neighbour pairs", "\(sameSchoolNeighbours)", "\(sameSchoolNeighboursLowerBound)"),
      ("school bus trips (centre-sessions)", "\(schoolTrips)", "\(schoolTripsLowerBound)"),
      ("  … bound if no same-school neighbours", "", "\(schoolTripsWithoutNeighboursLowerBound)"),
    ]
    if let bound = schoolTripsColumnGenerationLowerBound {
      rows.append(("  … and by column generation", "", "\(bound)"))
    }
    if let exact = exactTrips {
      rows.append(("  … proven by the exact program", "\(exact.trips)", "\(exact.bound)"))
    }
    rows += [
      ("school-centre pairs", "\(schoolCentres)", "\(schoolCentresLowerBound)"),
      ("school-session pairs", "\(schoolSessions)", "\(schoolSessionsLowerBound)"),
      ("fullest room (% of usable seats)", percent(fullestRoomPercent), percent(fullestRoomPercentLowerBound)),
      ("emptiest open room (%)", percent(emptiestOpenRoomPercent), "-"),
    ]
    if formCount > 1 { rows.append(("neighbours with the same form", "\(sameFormNeighbours)", "0")) }
    rows.append(("rooms open (room-sessions)", "\(roomsOpen)", "-"))
    rows.append(("seated in an adjacent district", "\(seatedInAdjacentDistrict)", "-"))
    var lines = [pad("objective", 38) + pad("plan", 10) + "lower bound"]
    for (a, b, c) in rows { lines.append(pad(a, 38) + pad(b, 10) + c) }
    for (rule, n) in violations.sorted(by: { $0.key < $1.key }) { lines.append("  violation: \(rule): \(n)") }
    return lines
  }
}

/// The mixed-integer program of `exam allocate --exact` (`PlannerState.solveTrips`): the fewest bus trips of any
/// placement of schools into centre-sessions within the no-neighbour limits, the separate-room candidates' rooms
/// chosen with them.
public struct ExactTripsReport: Sendable, Equatable, Codable {
  /// The fewer trips of the program's best solution and the search's plan (both in the program's model, before
  /// separate-room candidates move to their school), and a proven lower bound on the trips of every plan without
  /// same-school neighbours: the larger of the solver's and the column-generation bound.
  public var trips: Int
  public var bound: Int
  /// True when `trips` is proven optimal (then `trips` = `bound`).
  public var provenOptimal: Bool
  /// Branch-and-bound nodes searched, and whether the seconds limit (not the node limit) ended the search.
  public var nodes: Int
  public var stoppedBySeconds: Bool
  /// Trips of the search's plan before the exact step, and whether the program's solution was kept (it is not
  /// when, once each school keeps to one seat class per room, it has no fewer trips than the search's plan).
  public var searchTrips: Int
  public var used: Bool

  /// Takes another proven lower bound on the same trips (the column-generation bound is at times above what CBC
  /// proves within its limits; both hold for every plan without same-school neighbours).
  mutating func raiseBound(to other: Int) {
    bound = max(bound, other)
    provenOptimal = provenOptimal || trips == bound
  }
}

extension String {
  /// "667" → "66.7" (tenths as text, without Foundation formatting).
  fileprivate var withDecimal: String {
    let negative = hasPrefix("-")
    var digits = negative ? String(dropFirst()) : self
    while digits.count < 2 { digits = "0" + digits }
    return (negative ? "-" : "") + digits.dropLast() + "." + digits.suffix(1)
  }
}
