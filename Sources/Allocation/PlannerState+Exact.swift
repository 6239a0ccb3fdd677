/// Step 3c (`SeatPlanner.exact`): the bus-trip problem at the level of centre-sessions as a mixed-integer
/// program, solved by CBC, for a proven optimum (or a proven gap) on small cities; the caller keeps the search's
/// plan unless the program's has fewer trips.
///
/// The model is the one the search works in: school s puts x[s,p] of its candidates in part p (a bin's
/// accessible or other rooms; accessible-seat candidates only in accessible parts; only bins its district may
/// reach), at most the part's seats in all and at most its per-school limit (`schoolSeats`: the seats one school
/// can take with no two neighbours) of one school; y[s,b] = 1 when school s uses bin b. Minimise Σ y, where a
/// bin a school rides to anyway (a separate-room candidate's) costs nothing more.
extension PlannerState {
  /// Solves the program and replaces `trips` (the search's plan) by its solution when that has fewer trips once
  /// each school keeps to one seat class per room (`TripSearch.run`'s class repairs); returns the report.
  mutating func solveTripsExactly(
    _ trips: inout TripSearch, parts: [SchoolNetwork.Part], anchors: [[Int]], limits: ExactLimits
  ) -> ExactTripsReport {
    let searchTrips = trips.trips
    let result = solveTrips(parts: parts, anchors: anchors, limits: limits)
    var best = searchTrips
    var used = false
    if let pieces = result.pieces {
      var solved = TripSearch(
        pieces: pieces, parts: parts, limited: true, classes: partClasses(), reachable: reachableBins(),
        anchors: anchors)
      best = min(best, solved.trips)
      if solved.trips < searchTrips {
        let report = solved.run(timeLimitSeconds: timeLimitSeconds)
        if solved.trips < searchTrips {
          trips = solved
          search.classRepairs += report.classRepairs
          search.unpackableParts = report.unpackableParts
          search.stoppedByTimeLimit = search.stoppedByTimeLimit || report.stoppedByTimeLimit
          search.stoppedByClock = search.stoppedByClock || report.stoppedByClock
          used = true
        }
      }
    }
    return ExactTripsReport(
      trips: best, bound: result.bound, provenOptimal: result.provenOptimal || best == result.bound,
      nodes: result.nodes, stoppedBySeconds: result.stoppedBySeconds, searchTrips: searchTrips, used: used)
  }

  /// What the program found: a placement of every school's candidates (nil when none was found or it was not
  /// whole), the proven lower bound on trips, and how the search ended.
  struct ExactResult {
    var pieces: [[Piece]]?
    var bound: Int
    var provenOptimal: Bool
    var stoppedBySeconds: Bool
    var nodes: Int
  }

  func solveTrips(parts: [SchoolNetwork.Part], anchors: [[Int]], limits: ExactLimits) -> ExactResult {
    let demand = schoolDemand()
    let reachable = reachableBins()
    let program = MixedIntegerProgram()
    // Columns per (school, reachable bin): y, then x into the other part, x (regular) and x (accessible) into
    // the accessible part, each -1 when absent.
    struct Link {
      var bin: Int
      var y: Int
      var other = -1
      var regular = -1
      var accessible = -1
    }
    var links: [[Link]] = []
    var partTerms = Array(repeating: [(column: Int, coefficient: Double)](), count: parts.count)
    var constant = 0
    for s in demand.indices {
      let (regular, accessible) = demand[s]
      let n = regular + accessible
      constant += anchors[s].count
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
        let cost = anchors[s].contains(b) ? 0.0 : 1.0
        var link = Link(bin: b, y: program.addColumn(lower: 0, upper: 1, cost: cost, integer: true))
        if regular > 0 && capOther > 0 {
          link.other = program.addColumn(lower: 0, upper: Double(min(regular, capOther)), cost: 0, integer: false)
          program.addRow([(link.other, 1), (link.y, -Double(capOther))], .atMost, 0)
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
          program.addRow(inside + [(link.y, -Double(capAccess))], .atMost, 0)
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
      pieces: nil, bound: constant + Int((solution.bound - 1e-6).rounded(.up)),
      provenOptimal: solution.provenOptimal, stoppedBySeconds: solution.stoppedBySeconds, nodes: solution.nodes)
    // The x columns are continuous: with the y fixed the rest is a flow, whose optimal vertices are whole. A
    // solution that is not whole, or does not place every candidate, is not used.
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
    result.pieces = pieces
    return result
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
