import ExamCore
import Testing

@testable import Allocation

/// `PlanChecker.lagrangianTripsBound`: a bound (between the per-school bound and every plan without same-school
/// neighbours), and tighter than the per-school bound where schools compete for the seats of one large centre.
@Suite struct LagrangianBoundTests {
  static let session = ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")

  /// A room of `seats` seats on one colour of a checkerboard: no two are neighbours, so one school may take all.
  static func spread(_ id: String, seats: Int) -> Room {
    let columns = 10
    let all = (0..<seats).map { k -> Seat in
      let row = k / (columns / 2) + 1
      let column = 2 * (k % (columns / 2)) + 1 + (row % 2 == 0 ? 1 : 0)
      return Seat(id: "\(row)-\(column)", row: row, column: column)
    }
    return Room(id: id, accessible: false, rows: all.map(\.row).max() ?? 1, columns: columns, seats: all)
  }

  /// Two schools of 60 and one centre of 60 seats, three of 30: each school alone would ride to the large centre
  /// only (per-school bound 2), but it holds one of them, so the other needs two small ones (3 trips, optimal).
  /// The seat price of the large centre makes the Lagrangian bound see it.
  @Test func schoolsCompetingForOneLargeCentreRaiseTheBound() throws {
    let centres =
      [Centre(id: "C1", name: "大考点", district: "区1", rooms: [Self.spread("R1", seats: 60)])]
      + (2...4).map { Centre(id: "C\($0)", name: "考点", district: "区1", rooms: [Self.spread("R1", seats: 30)]) }
    let candidates = (0..<120).map { k in
      Candidate(
        id: String(format: "26%08d", k), name: "考生", nationalId: String(format: "31%016d", k),
        school: k < 60 ? "甲中学" : "乙中学", district: "区1")
    }
    let checker = PlanChecker(
      candidates: candidates, centres: centres, sessions: [Self.session], adjacency: [:], formCount: 1)
    let plan = try SeatPlanner(seed: 1).plan(
      examId: "E", candidates: candidates, centres: centres, sessions: [Self.session], adjacency: [:], formCount: 1)
    #expect(plan.quality.sameSchoolNeighbours == 0)
    #expect(plan.quality.schoolTripsWithoutNeighboursLowerBound == 2)
    #expect(plan.quality.schoolTrips == 3)
    let bound = checker.lagrangianTripsBound(rounds: 100)
    #expect(bound.perSchoolBound == 2)
    #expect(bound.bound == 3)
    #expect(bound.converged)
  }

  /// The master program's solver: row prices of a small program, and again after a column is added (solved from the
  /// last basis). min x + 3y (+ 2z) with x + y (+ z) ≥ 2, x ≤ 1: the covering row is priced at the dearest column in
  /// use, the cap at what x saves against it.
  @Test func theLinearProgramPricesItsRowsAndGrowsByColumns() {
    let big = Double.greatestFiniteMagnitude
    let lp = LinearProgram(rowLower: [2, -big], rowUpper: [big, 1])
    lp.addColumns([(1, big, [(0, 1), (1, 1)]), (3, big, [(0, 1)])])
    #expect(lp.solve() == .optimal)
    #expect(lp.rowDuals.map { ($0 * 1e6).rounded() / 1e6 } == [3, -2])
    lp.addColumns([(2, big, [(0, 1)])])
    #expect(lp.solve() == .optimal)
    #expect(lp.rowDuals.map { ($0 * 1e6).rounded() / 1e6 } == [2, -1])
    #expect(lp.columnCount == 3)
  }

  /// On generated cities: at least the per-school bound, at most the plan's trips (seed 2: a city where no plan
  /// avoids same-school neighbours, whose largest schools exceed the no-neighbour seats they may reach).
  @Test(arguments: [(UInt64(2), 2_000), (3, 1_500), (5, 3_000), (8, 5_000)])
  func theBoundLiesBetweenThePerSchoolBoundAndThePlan(_ c: (seed: UInt64, candidates: Int)) throws {
    let city = TestCityB(seed: c.seed, candidates: c.candidates)
    let plan = try SeatPlanner(seed: 1).plan(
      examId: "E", candidates: city.candidates, centres: city.centres, sessions: city.sessions,
      adjacency: city.adjacency, formCount: 2)
    let checker = PlanChecker(
      candidates: city.candidates, centres: city.centres, sessions: city.sessions, adjacency: city.adjacency,
      formCount: 2)
    let bound = checker.lagrangianTripsBound(rounds: 200)
    if c.seed == 2 { #expect(plan.quality.sameSchoolNeighboursLowerBound > 0) }
    #expect(bound.perSchoolBound == plan.quality.schoolTripsWithoutNeighboursLowerBound)
    #expect(bound.bound >= bound.perSchoolBound)
    #expect(bound.converged)
    if plan.quality.sameSchoolNeighbours == 0 { #expect(bound.bound <= plan.quality.schoolTrips) }
    // The report carries it (cities up to 20,000 candidates), unless asked not to.
    #expect(plan.quality.schoolTripsColumnGenerationLowerBound == bound.bound)
    var planner = SeatPlanner(seed: 1)
    planner.columnGenerationBound = false
    let without = try planner.plan(
      examId: "E", candidates: city.candidates, centres: city.centres, sessions: city.sessions,
      adjacency: city.adjacency, formCount: 2)
    #expect(without.quality.schoolTripsColumnGenerationLowerBound == nil)
    #expect(without.quality.reportLines.count == plan.quality.reportLines.count - 1)
  }
}
