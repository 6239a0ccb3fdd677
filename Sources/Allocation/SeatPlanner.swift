import ExamCore

/// Places every candidate of a sitting in (session, centre, room, seat).
///
/// The algorithm, in five steps (all deterministic; the seed only orders ties and shuffles candidates inside
/// a school, so the same inputs and seed give the same plan):
/// 1. `separate-room` candidates take a room-session of their own, in their district if that leaves enough
///    seats for everyone else, else the smallest reachable one (accessible if needed).
/// 2. A maximum flow from districts to centres (own district first, then adjacent ones) proves the rest fit
///    — or names the districts that are short — and a bisection finds the lowest uniform room fill `f` at
///    which it still fits; each room-session's target is ⌈f × usable seats⌉, so rooms fill evenly.
/// 3. Schools are packed, largest first, into centre-sessions (one bus trip each) within the flow's
///    district → centre quotas: a bin the school already uses first, then best fit, else the biggest piece.
///    A school may take at most the independent ("checkerboard") seats of a bin — less the seats that the
///    bin's accessible-seat candidates take from them — so every room mixes schools.
/// 4. In each bin, every school is given one colour class (row + column parity) per room, where no two
///    seats are neighbours; rooms fill to their target (a room may pass it before a school gets a second class
///    in a room), accessible-seat candidates fill one class of an accessible room first, and empty seats are
///    spread over the class.
/// 5. Local search swaps or moves candidates within a centre-session while it lowers same-school neighbour pairs.
/// Forms alternate by (row + column) mod formCount, so neighbours always get different forms.
public struct SeatPlanner: Sendable {
  public var seed: UInt64
  /// How far past the even fill (fraction of usable seats, 0…1) a centre-session may go to take a whole
  /// school in one bus trip: 0 favours even rooms, 1 favours few trips.
  public var wholeSchoolSlack: Double
  public static let defaultWholeSchoolSlack = 0.3

  public init(seed: UInt64 = 1, wholeSchoolSlack: Double = SeatPlanner.defaultWholeSchoolSlack) {
    self.seed = seed
    self.wholeSchoolSlack = wholeSchoolSlack
  }

  /// Plans the seats of `examId`.
  /// - Parameter adjacency: neighbouring districts of each district (both ways).
  /// - Throws: `ExamErrors` with one `.state` error per district that is short of seats (nothing planned),
  ///   `ExamError(.state)` when there are no sessions or no candidates.
  public func plan(examId: String, candidates: [Candidate], centres: [Centre], sessions: [ExamSession],
    adjacency: [String: Set<String>], formCount: Int) throws -> SeatPlan
  {
    guard !sessions.isEmpty else {
      throw ExamError(.state, "there are no sessions to allocate into", fix: "import centres with `exam centres import` first")
    }
    guard !candidates.isEmpty else {
      throw ExamError(.state, "there are no candidates to allocate", fix: "import a roster with `exam candidates import` first")
    }
    let problem = PlanningProblem(candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: formCount)
    var state = PlannerState(problem: problem, seed: seed)
    state.wholeSchoolSlack = wholeSchoolSlack
    let shortages = state.run()
    if !shortages.isEmpty {
      throw ExamErrors(shortages.map { s in
        let neighbours = (adjacency[s.district] ?? []).sorted()
        return s.error(neighbours: neighbours)
      })
    }
    let assignments = state.assignments(examId: examId)
    let quality = PlanChecker(problem: problem).quality(of: assignments)
    guard quality.hardViolations == 0 else {
      throw ExamError(.state, "the planner produced \(quality.hardViolations) hard-constraint violation(s)",
        fix: "report this as a bug with the roster and centres file")
    }
    var plan = SeatPlan(examId: examId, seed: seed, assignments: assignments, quality: quality)
    plan.targetFill = state.fill
    return plan
  }

  /// The seat shortage per district, or [] when everyone fits (runs steps 1–2 only).
  public func shortages(candidates: [Candidate], centres: [Centre], sessions: [ExamSession],
    adjacency: [String: Set<String>]) -> [SeatShortage]
  {
    let problem = PlanningProblem(candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: 1)
    var state = PlannerState(problem: problem, seed: seed)
    return state.placeSeparateRoomsFeasibly()
  }
}
