import ExamCore
import Testing
import _ExamTestSupport

@testable import Allocation

/// `exam allocate --exact`: the bus-trip problem as a mixed-integer program (CBC).
@Suite struct ExactTripsTests {
  /// A set cover whose integer optimum (2) is above its linear relaxation (1.5): the wrapper passes rows,
  /// bounds, costs and integrality through, and reads back the solution and the proof.
  @Test func theProgramFindsAndProvesAnIntegerOptimum() throws {
    let program = MixedIntegerProgram()
    // Three items, three sets {0,1}, {1,2}, {0,2}: every item covered needs two sets.
    let sets = (0..<3).map { _ in program.addColumn(lower: 0, upper: 1, cost: 1, integer: true) }
    program.addRow([(sets[0], 1), (sets[2], 1)], .atLeast, 1)
    program.addRow([(sets[0], 1), (sets[1], 1)], .atLeast, 1)
    program.addRow([(sets[1], 1), (sets[2], 1)], .atLeast, 1)
    let solution = program.solve(maximumNodes: 1000, maximumSeconds: 30)
    #expect(solution.provenOptimal)
    #expect(abs(solution.objective - 2) < 1e-6)
    #expect(abs(solution.bound - 2) < 1e-6)
    let values = try #require(solution.values)
    #expect(values.count == 3)
    #expect(abs(values.reduce(0, +) - 2) < 1e-6)
  }

  @Test func anInfeasibleProgramHasNoSolution() {
    let program = MixedIntegerProgram()
    let x = program.addColumn(lower: 0, upper: 1, cost: 1, integer: true)
    program.addRow([(x, 1)], .atLeast, 2)
    let solution = program.solve(maximumNodes: 100, maximumSeconds: 10)
    #expect(solution.values == nil)
    #expect(!solution.provenOptimal)
  }

  @Test func citiesAboveTheExactModesSizeAreWarned() throws {
    #expect(ExactLimits.warning(candidates: ExactLimits.recommendedCandidates) == nil)
    let warning = try #require(ExactLimits.warning(candidates: 100_000))
    #expect(warning.contains("100000") && warning.contains("--exact-seconds"))
  }

  /// The program chooses separate-room candidates' rooms: the planner first gives one the district's smallest
  /// room (centre C2), away from the centre its school needs (C1); the program proves one trip, with the
  /// candidate in C1's spare room — with the room held where it was first put, two.
  @Test func theProgramChoosesTheSeparateRoom() {
    func row(_ id: String, seats: Int) -> Room {
      Room(
        id: id, accessible: false, rows: 1, columns: seats,
        seats: (0..<seats).map { Seat(id: format2($0 + 1), row: 1, column: $0 + 1) })
    }
    func candidate(_ id: String, _ accommodations: [Candidate.Accommodation] = []) -> Candidate {
      Candidate(id: id, name: "考生", nationalId: id, school: "甲", district: "区1", accommodations: accommodations)
    }
    let problem = PlanningProblem(
      candidates: [candidate("A", [.separateRoom]), candidate("B"), candidate("C")],
      centres: [
        Centre(id: "C1", name: "考点", district: "区1", rooms: [row("R1", seats: 4), row("R2", seats: 3)]),
        Centre(id: "C2", name: "考点", district: "区1", rooms: [row("R1", seats: 2)]),
      ],
      sessions: [ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")], adjacency: ["区1": []],
      formCount: 1)
    var state = PlannerState(problem: problem, seed: 1)
    #expect(state.placeSeparateRoomsFeasibly().isEmpty)
    state.chooseFill()
    #expect(problem.centres[problem.rooms[state.roomSessionOf[0] % problem.roomCount].centre].id == "C2")
    let result = state.solveTrips(limits: .standard)
    #expect(result.bound == 1)
    #expect(result.provenOptimal)
    let room = try? #require(result.separateRooms.first?.roomSession)
    #expect(room.map { problem.centres[problem.rooms[$0 % problem.roomCount].centre].id } == "C1")
    #expect(result.pieces?[0].reduce(0) { $0 + $1.count } == 2)
  }

  static let cities: [(seed: UInt64, candidates: Int)] = [(3, 1500), (5, 2000), (7, 1200)]

  /// On small cities of the second model: the exact step keeps every hard rule and the no-neighbour promise, never
  /// gives more trips than the search alone, proves a bound no higher than its trips, and — when it ends by
  /// proof or node limit rather than the clock — gives the same plan twice.
  @Test(arguments: cities)
  func theExactStepNeverWorsensThePlanAndProvesItsBound(_ c: (seed: UInt64, candidates: Int)) throws {
    let city = TestCityB(seed: c.seed, candidates: c.candidates)
    func plan(exact: Bool) throws -> SeatPlan {
      var planner = SeatPlanner(seed: 1)
      if exact { planner.exact = ExactLimits(maximumNodes: 500, maximumSeconds: 60) }
      return try planner.plan(
        examId: "E", candidates: city.candidates, centres: city.centres, sessions: city.sessions,
        adjacency: city.adjacency, formCount: 2)
    }
    let searched = try plan(exact: false)
    let exact = try plan(exact: true)
    let q = exact.quality
    #expect(q.violations == [:])
    #expect(q.placed == city.candidates.count)
    if q.sameSchoolNeighboursLowerBound == 0 { #expect(q.sameSchoolNeighbours == 0) }
    let report = try #require(q.exactTrips)
    #expect(searched.quality.exactTrips == nil)
    #expect(report.bound <= report.trips)
    // The program chooses the separate-room candidates' rooms too, so its bound holds for the final plan.
    if q.sameSchoolNeighbours == 0 { #expect(report.bound <= q.schoolTrips) }
    #expect(report.trips <= report.searchTrips)
    if report.provenOptimal { #expect(report.trips == report.bound) }
    if report.used { #expect(report.trips < report.searchTrips) }
    if !report.stoppedBySeconds {
      let again = try plan(exact: true)
      #expect(again.assignments == exact.assignments)
      #expect(again.quality.exactTrips == report)
    }
  }

  /// The per-district bound is a bound: at least the per-school one (which it contains as a cut) and at most the
  /// trips of any plan without same-school neighbours — the search's, and the exact step's.
  @Test(arguments: cities)
  func theDistrictBoundLiesBetweenThePerSchoolBoundAndEveryPlan(_ c: (seed: UInt64, candidates: Int)) throws {
    let city = TestCityB(seed: c.seed, candidates: c.candidates)
    let checker = PlanChecker(
      candidates: city.candidates, centres: city.centres, sessions: city.sessions, adjacency: city.adjacency,
      formCount: 2)
    let bound = checker.districtTripsBound(limits: ExactLimits(maximumNodes: 500, maximumSeconds: 60))
    var plans: [SeatPlan] = []
    for exact in [false, true] {
      var planner = SeatPlanner(seed: 1)
      if exact { planner.exact = ExactLimits(maximumNodes: 500, maximumSeconds: 60) }
      plans.append(
        try planner.plan(
          examId: "E", candidates: city.candidates, centres: city.centres, sessions: city.sessions,
          adjacency: city.adjacency, formCount: 2))
    }
    #expect(bound.districts > 1)
    #expect(bound.perSchoolBound == plans[0].quality.schoolTripsWithoutNeighboursLowerBound)
    #expect(bound.bound >= bound.perSchoolBound)
    for plan in plans where plan.quality.sameSchoolNeighbours == 0 {
      #expect(bound.bound <= plan.quality.schoolTrips, "\(bound) against \(plan.quality.schoolTrips) trips")
    }
  }
}
