import ExamCore
import Testing

@testable import Allocation

/// The packing's two orders (`PlannerState.packSchools(anchors:jitter:)`): largest first, and the schools that fit
/// whole into some centre-session first.
@Suite struct PackingOrderTests {
  /// A school of 120 (district 区1: its own centres, C1 of 90 seats and four of 36, and 区2's C7 of 90) fits whole
  /// nowhere; two of 45 (区3, which reaches 区1 only) fit whole only into C1. Largest first, the school of 120
  /// takes C1 (of the two that take most of it, the one in its own district) and the two of 45 split over the
  /// small centres: 2 + 2 + 2 trips.
  /// The schools that fit whole first: both in C1, the school of 120 in C7 and one small centre: 1 + 1 + 2, the
  /// fewest (each school of 45 needs 1, the school of 120 at least 2) — and that packing is the one kept.
  @Test func theSchoolsThatFitWholeTakeTheLargeCentreSessionFirst() throws {
    let session = LagrangianBoundTests.session
    var centres = [
      Centre(
        id: "C1", name: "大考点", district: "区1",
        rooms: [LagrangianBoundTests.spread("R1", seats: 45), LagrangianBoundTests.spread("R2", seats: 45)])
    ]
    for k in 2...5 {
      centres.append(
        Centre(id: "C\(k)", name: "考点", district: "区1", rooms: [LagrangianBoundTests.spread("R1", seats: 36)]))
    }
    centres.append(
      Centre(id: "C7", name: "大考点", district: "区2", rooms: [LagrangianBoundTests.spread("R1", seats: 90)]))
    var candidates: [Candidate] = []
    for (school, district, size) in [("甲中学", "区1", 120), ("乙中学", "区3", 45), ("丙中学", "区3", 45)] {
      for _ in 0..<size {
        let k = candidates.count
        candidates.append(
          Candidate(
            id: String(format: "26%08d", k), name: "考生", nationalId: String(format: "31%016d", k), school: school,
            district: district))
      }
    }
    let adjacency: [String: Set<String>] = ["区1": ["区2", "区3"], "区2": ["区1"], "区3": ["区1"]]
    let problem = PlanningProblem(
      candidates: candidates, centres: centres, sessions: [session], adjacency: adjacency, formCount: 1)
    var state = PlannerState(problem: problem, seed: 1)
    try #require(state.placeSeparateRoomsFeasibly().isEmpty)
    state.chooseFill()
    let none = Array(repeating: [Int](), count: problem.schoolNames.count)
    var largest = state
    let largestFirst = largest.packSchools(anchors: none, jitter: 0, wholeFirst: false).packing
    var whole = state
    let wholeFirst = whole.packSchools(anchors: none, jitter: 0, wholeFirst: true).packing
    #expect(largestFirst.shortages.isEmpty && wholeFirst.shortages.isEmpty)
    #expect(largestFirst.trips == 6)
    #expect(wholeFirst.trips == 4)
    let kept = state.packSchools(anchors: none)
    #expect(kept.trips == 4)
    let plan = try SeatPlanner(seed: 1).plan(
      examId: "E", candidates: candidates, centres: centres, sessions: [session], adjacency: adjacency, formCount: 1)
    #expect(plan.quality.schoolTrips == 4)
    #expect(plan.quality.hardViolations == 0)
  }
}
