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

  /// `packSchools(from:)`: from the dry run's plan, with the separate-room candidates then in rooms, every
  /// candidate is placed within every part's seats and per-school limit, and most stay where the dry run put them
  /// (only what the rooms took, and what the separate-room candidates themselves had, moves).
  @Test func packingFromTheDryRunKeepsItsPlanWhereTheSeatsAllow() throws {
    var checked = 0
    for seed in 1...8 as ClosedRange<UInt64> {
      let city = TestCityB(seed: seed, candidates: 2000)
      let problem = PlanningProblem(
        candidates: city.candidates, centres: city.centres, sessions: city.sessions, adjacency: city.adjacency,
        formCount: 2)
      var state = PlannerState(problem: problem, seed: 1)
      guard state.placeSeparateRoomsFeasibly().isEmpty else { continue }
      state.chooseFill()
      guard let dry = state.placeSeparateRoomsAfterDryRun() else { continue }
      state.chooseFill()
      let packing = state.packSchools(from: dry)
      #expect(packing.shortages.isEmpty, "seed \(seed)")
      // A city where no plan avoids same-school neighbours (seed 2) has the per-school limits lifted.
      guard !packing.limitsLifted else { continue }
      let demand = state.schoolDemand()
      var inPart = Array(repeating: 0, count: packing.parts.count)
      var kept = 0
      for (s, pieces) in packing.pieces.enumerated() {
        #expect(pieces.reduce(0) { $0 + $1.regular } == demand[s].regular, "seed \(seed)")
        #expect(pieces.reduce(0) { $0 + $1.accessible } == demand[s].accessible, "seed \(seed)")
        for piece in pieces {
          #expect(piece.count <= packing.parts[piece.part].schoolSeats, "seed \(seed)")
          #expect(piece.accessible == 0 || piece.part % 2 == 1, "seed \(seed)")
          inPart[piece.part] += piece.count
          kept += min(piece.count, dry[s].first { $0.part == piece.part }?.count ?? 0)
        }
      }
      for (p, n) in inPart.enumerated() { #expect(n <= packing.parts[p].seats, "seed \(seed)") }
      // What the separate rooms took from the parts bounds what had to move.
      let roomSeats = problem.candidates.indices.filter { state.needs($0, .separateRoom) }.reduce(0) {
        $0 + problem.rooms[state.roomSessionOf[$1] % problem.roomCount].usable.count
      }
      let total = demand.reduce(0) { $0 + $1.regular + $1.accessible }
      #expect(kept >= total - roomSeats, "seed \(seed)")
      checked += 1
    }
    #expect(checked >= 4)
  }
}
