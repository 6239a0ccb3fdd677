import ExamCore

/// Places every candidate of a sitting in (session, centre, room, seat).
///
/// The objectives, in this order: the hard rules, then no two candidates of one school side by side or
/// front/back, then few bus trips (Σ over schools of the centre-sessions they sit in), then rooms filled evenly.
/// The steps (all deterministic: the seed orders ties and shuffles candidates inside a school):
/// 1. `separate-room` candidates take a room-session of their own, in their district if that leaves enough
///    seats for everyone else, else the smallest reachable one (accessible if needed); a maximum flow districts
///    → centres proves the rest fit, or names the districts that are short. A bisection finds the lowest
///    uniform room fill at which everyone still fits (each room's even-fill target).
/// 2. Schools are packed, largest first, and again with the schools that fit whole into a centre-session first,
///    the packing with fewer trips kept (small cities: several seeded orders, the best kept), into
///    centre-sessions (one bus trip each; a separate-room candidate's first), never past a part's per-school
///    limit (the seats one school can take with no two neighbours, summed over the part's rooms);
///    what that leaves over is placed by a maximum flow started from that packing (`SchoolNetwork`), so no
///    same-school neighbour is needed whenever a plan without them exists.
/// 3. `TripSearch` moves candidates so that each school keeps to one class per room (`ClassSlots`), then closes
///    pieces of schools (fewer bus trips) by chains of moves within the limits, until a pass closes none or
///    `timeLimitSeconds` is spent; separate-room candidates then move to a spare room where their school sits.
///    After the first search from scratch, up to `guideRounds` rounds of column generation (the master program
///    of the bus-trip bound, started from that plan) guide a second packing and search; the plan with fewer
///    trips is kept. Where there are separate-room candidates, steps 2–3 first run with them counted as their schools'
///    candidates, each school holding beside them the seats their rooms will take (a dry run, one on each core
///    with its own random stream); they then get rooms where their schools went (fewest candidates displaced),
///    and the city is packed again from each dry run's plan less those rooms, from scratch too and in later rounds
///    while the search's work budget lasts; the plan with fewest trips is kept (the plan with the rooms of step 1
///    only when no dry run seats everyone). With `exact` set, the same problem — separate rooms included — is then solved
///    as a mixed-integer program (`solveTrips`), and its solution replaces the search's when it has fewer trips.
/// 4. Each centre-session part is split over its rooms by a small max flow (even fill first), and each room
///    seats a school in one no-neighbour class (the wide or the narrow one) or, for at most one school per
///    class boundary, in both classes far apart.
/// 5. Local search swaps or moves candidates within a centre-session while it lowers same-school neighbour pairs;
///    a school with more candidates in a room than its independence number is then tried on the room's best
///    seats for its count, the others around it, and kept there when the room has fewer pairs.
/// 6. Whatever pairs are left (a part whose schools could not each keep to one seat class per room) are removed
///    by moving or swapping candidates across the city (`repairNeighbours`): own centre-session first, then those
///    the school rides to, then any it may reach — a bus trip is paid only when no cheaper move removes the pair.
/// Forms alternate by (row + column) mod formCount, so neighbours always get different forms.
public struct SeatPlanner: Sendable {
  public var seed: UInt64
  /// How far past the even fill (fraction of usable seats, 0…1) packing may fill a centre-session to keep a
  /// school in fewer bus trips: 1 (the default) puts trips before even rooms, as the order of objectives says;
  /// 0 packs within the even fill first (more trips, rooms filled alike).
  public var wholeSchoolSlack: Double
  public static let defaultWholeSchoolSlack = 1.0
  /// Budget of the bus-trip searches (step 3), seconds, counted as work (`TripSearch.workPerSecond`): all the
  /// plans one core makes share it (a dry run and the plan from it on each core). Above `guideCandidates`
  /// candidates, seconds beyond `defaultTimeLimitSeconds` go to the guiding master program instead (`budgets`).
  public var timeLimitSeconds: Double
  public static let defaultTimeLimitSeconds = 2.0
  /// When set, step 3c solves the bus-trip problem as a mixed-integer program (CBC) after the search, for
  /// a proven optimum or a proven gap (`PlanQuality.exactTrips`); meant for small cities (≤ 5,000 candidates).
  public var exact: ExactLimits?
  /// Whether the quality report carries the column-generation bound on bus trips
  /// (`PlanBounds.schoolTripsByColumnGeneration`); nil: by the city's size (`PlanChecker.bounds`).
  public var columnGenerationBound: Bool?
  /// Rounds of column generation that guide a second plan after the first search from scratch (on each core; see
  /// `PlannerState.masterSolution`); nil: `defaultGuideRounds` up to `guideCandidates` candidates, else as many
  /// (up to `maxGuideRounds`) as `timeLimitSeconds` beyond `defaultTimeLimitSeconds` pays for; 0: none.
  public var guideRounds: Int?
  /// About 0.5 s more per core at 100,000 candidates (for 3–9 fewer trips on the sweep's 100k cities), which
  /// would take the largest past `exam allocate`'s 2 s; at 50,000 and below well within it.
  public static let defaultGuideRounds = 10
  public static let guideCandidates = 60_000
  /// Above `guideCandidates`, when the time limit is beyond the default: the searches keep the default's budget
  /// and the rounds' work (`TripMaster.Work`, in the search's units) takes the extra seconds on each core, up to
  /// this many rounds. Where the search converges within 2 s the master program is what a longer time limit can
  /// still improve (docs/benchmarks.md, Rooms, session 29).
  public static let maxGuideRounds = 40

  /// The searches' time limit, and the guide's rounds and work limit, for a city of `candidates`.
  func budgets(candidates: Int) -> (searchSeconds: Double, guideRounds: Int, guideWork: Int) {
    if let guideRounds { return (timeLimitSeconds, guideRounds, .max) }
    if candidates <= Self.guideCandidates { return (timeLimitSeconds, Self.defaultGuideRounds, .max) }
    let extraSeconds = timeLimitSeconds - Self.defaultTimeLimitSeconds
    guard extraSeconds > 0 else { return (timeLimitSeconds, 0, .max) }
    let work = Int(min(Double(Int.max / 4), extraSeconds * TripSearch.workPerSecond))
    return (Self.defaultTimeLimitSeconds, Self.maxGuideRounds, work)
  }
  /// Rounds of planning at most (nil: up to 4, as the search's work allows, `PlannerState.run`); tests set 1 for
  /// the one plan of before (separate rooms first given, no dry run) to see what the rest adds.
  var planningRounds: Int?

  public init(
    seed: UInt64 = 1, wholeSchoolSlack: Double = SeatPlanner.defaultWholeSchoolSlack,
    timeLimitSeconds: Double = SeatPlanner.defaultTimeLimitSeconds
  ) {
    self.seed = seed
    self.wholeSchoolSlack = wholeSchoolSlack
    self.timeLimitSeconds = timeLimitSeconds
  }

  /// Plans the seats of `examId`.
  /// - Parameter adjacency: neighbouring districts of each district (both ways).
  /// - Throws: `ExamErrors` with one `.state` error per district that is short of seats (nothing planned),
  ///   `ExamError(.state)` when there are no sessions or no candidates, or when the check finds a hard violation.
  public func plan(
    examId: String, candidates: [Candidate], centres: [Centre], sessions: [ExamSession],
    adjacency: [String: Set<String>], formCount: Int
  ) throws -> SeatPlan {
    try draft(
      examId: examId, candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: formCount
    ).checked()
  }

  /// Plans the seats of `examId` without the independent check (`SeatPlanDraft.checked()`), so that a caller may
  /// run the check while it does something else with the rows (`RoomsService.allocate` writes them meanwhile).
  /// - Throws: as `plan`, except for the check's.
  public func draft(
    examId: String, candidates: [Candidate], centres: [Centre], sessions: [ExamSession],
    adjacency: [String: Set<String>], formCount: Int
  ) throws -> SeatPlanDraft {
    guard !sessions.isEmpty else {
      throw ExamError(
        .state, "there are no sessions to allocate into", fix: "import centres with `exam centres import` first")
    }
    guard !candidates.isEmpty else {
      throw ExamError(
        .state, "there are no candidates to allocate", fix: "import a roster with `exam candidates import` first")
    }
    let problem = PlanningProblem(
      candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: formCount)
    var state = PlannerState(problem: problem, seed: seed)
    state.wholeSchoolSlack = wholeSchoolSlack
    (state.timeLimitSeconds, state.guideRounds, state.guideWork) = budgets(candidates: candidates.count)
    state.exact = exact
    state.planningRounds = planningRounds
    let checker = PlanChecker(problem: problem)
    // The bounds depend on the problem only: a second core computes them while this one plans — unless the
    // planner keeps both cores busy (a dry run on each), when they start once it is done, beside the writing of
    // the rows and the plan check (`checked()`). The exact step's report takes the column-generation bound too,
    // whatever the size.
    let columnGeneration = columnGenerationBound ?? (exact != nil ? true : nil)
    let computeBounds = { @Sendable in checker.bounds(columnGeneration: columnGeneration) }
    let early = state.dryRunsOnBothCores ? nil : Pending(computeBounds)
    let shortages = state.run()
    if !shortages.isEmpty {
      throw ExamErrors(
        shortages.map { s in
          let neighbours = (adjacency[s.district] ?? []).sorted()
          return s.error(neighbours: neighbours)
        })
    }
    let computed = early ?? Pending(computeBounds)
    // Where the planner solved `SeparateRoomsProgram` (a plan with pairs, separate-room candidates), its proven
    // bound joins the checker's.
    let bounds =
      state.separateRoomsPairsBound.map { pairs in
        Pending {
          var b = computed.value
          b.sameSchoolNeighbours = max(b.sameSchoolNeighbours, pairs)
          return b
        }
      } ?? computed
    return SeatPlanDraft(
      examId: examId, seed: seed, assignments: state.assignments(examId: examId), checker: checker,
      bounds: bounds,
      exactTrips: state.exactReport.map { report in
        var report = report
        if let bound = bounds.value.schoolTripsByColumnGeneration { report.raiseBound(to: bound) }
        return report
      }, targetFill: state.fill, search: state.search)
  }

  /// The seat shortage per district, or [] when everyone fits (runs steps 1–2 only).
  public func shortages(
    candidates: [Candidate], centres: [Centre], sessions: [ExamSession],
    adjacency: [String: Set<String>]
  ) -> [SeatShortage] {
    let problem = PlanningProblem(
      candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: 1)
    var state = PlannerState(problem: problem, seed: seed)
    return state.placeSeparateRoomsFeasibly()
  }
}
