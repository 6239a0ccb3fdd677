import ExamCore
import Testing
import _ExamTestSupport

@testable import Allocation

@Suite struct SeatPlannerTests {
  @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
  func generatedCitiesMeetEveryHardConstraint(seed: UInt64) throws {
    let city = TestCity(seed: seed, districts: 2 + Int(seed % 3), schools: 5 + Int(seed % 7), fill: 0.45 + Double(seed % 4) * 0.12)
    let forms = Int(seed % 3) + 1
    let plan = try SeatPlanner(seed: seed).plan(examId: "E", candidates: city.candidates, centres: city.centres,
      sessions: city.sessions, adjacency: city.adjacency, formCount: forms)
    let q = plan.quality
    #expect(q.violations == [:])
    #expect(q.placed == city.candidates.count)
    #expect(q.sameFormNeighbours == 0)
    #expect(Set(plan.assignments.map(\.form)).count == forms)
    #expect(q.sameSchoolNeighbours >= q.sameSchoolNeighboursLowerBound)
    #expect(q.schoolTrips >= q.schoolTripsLowerBound)
    #expect(q.fullestRoomPercent + 1e-9 >= q.fullestRoomPercentLowerBound)
  }
}
