import ExamCore
import Testing

@testable import Allocation

/// The later rounds of planning (`PlannerState.run`, `reanchorSeparateRooms`): separate-room candidates are given
/// rooms before any school is placed; a candidate whose school went elsewhere rides alone, one bus trip for one
/// pupil. Planning again with their rooms where their schools went saves those trips.
@Suite struct SeparateRoomRoundsTests {
  static func plan(_ city: TestCityB, rounds: Int?) throws -> SeatPlan {
    var planner = SeatPlanner(seed: 1)
    planner.planningRounds = rounds
    return try planner.plan(
      examId: "E", candidates: city.candidates, centres: city.centres, sessions: city.sessions,
      adjacency: city.adjacency, formCount: 2)
  }

  /// Generated cities of the second model: the later rounds never add trips, keep every hard rule and the clean
  /// plans clean, save trips on some cities, and the plan is the same on a second run.
  @Test func laterRoundsSaveTripsAndKeepEveryRule() throws {
    var saved = 0
    for seed in 1...8 as ClosedRange<UInt64> {
      let city = TestCityB(seed: seed, candidates: 1500 + 250 * Int(seed % 5))
      let once = try Self.plan(city, rounds: 1)
      let plan = try Self.plan(city, rounds: nil)
      #expect(plan.quality.violations == [:], "seed \(seed)")
      #expect(plan.search.tripsAfter <= once.search.tripsAfter, "seed \(seed)")
      if once.quality.sameSchoolNeighbours == 0 { #expect(plan.quality.sameSchoolNeighbours == 0, "seed \(seed)") }
      saved += once.search.tripsAfter - plan.search.tripsAfter
      if seed <= 3 { #expect(try Self.plan(city, rounds: nil).assignments == plan.assignments, "seed \(seed)") }
    }
    #expect(saved > 0)
  }
}
