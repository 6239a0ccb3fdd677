import ExamCore
import Testing

@testable import Allocation

/// The checker must catch each broken rule, or the property tests that rely on it prove nothing.
@Suite struct PlanCheckerTests {
  static let city = TestCity(seed: 42, districts: 3, schools: 6, fill: 0.5)

  static func validPlan() throws -> (SeatPlan, PlanChecker) {
    let plan = try SeatPlanner(seed: 1).plan(
      examId: "E", candidates: city.candidates, centres: city.centres,
      sessions: city.sessions, adjacency: city.adjacency, formCount: 2)
    let checker = PlanChecker(
      candidates: city.candidates, centres: city.centres, sessions: city.sessions,
      adjacency: city.adjacency, formCount: 2)
    return (plan, checker)
  }

  /// The planner computes the bounds on another thread — while it plans, or, when a dry run keeps each core
  /// busy (this city has separate-room candidates), once it is done, beside the plan check; either way its
  /// report must be the checker's own.
  @Test func thePlannersReportIsTheCheckersFromThePlanAlone() throws {
    let (plan, checker) = try Self.validPlan()
    let bounds = checker.bounds()
    #expect(bounds.schoolTrips > 0 && bounds.fullestRoom > 0)
    #expect(plan.quality == checker.quality(of: plan.assignments))
    #expect(checker.quality(of: plan.assignments, bounds: bounds) == checker.quality(of: plan.assignments))
    var state = PlannerState(problem: checker.problem, seed: 1)
    #expect(state.dryRunsOnBothCores)
    state.planningRounds = 1
    #expect(!state.dryRunsOnBothCores)
    var planner = SeatPlanner(seed: 1)
    planner.planningRounds = 1
    let early = try planner.plan(
      examId: "E", candidates: Self.city.candidates, centres: Self.city.centres, sessions: Self.city.sessions,
      adjacency: Self.city.adjacency, formCount: 2)
    #expect(early.quality == checker.quality(of: early.assignments))
  }

  @Test func everyBrokenHardRuleIsCaught() throws {
    let (plan, checker) = try Self.validPlan()
    #expect(checker.quality(of: plan.assignments).violations == [:])
    let byId = Dictionary(uniqueKeysWithValues: Self.city.candidates.map { ($0.id, $0) })
    var a = plan.assignments

    // Dropped candidate.
    #expect(checker.quality(of: Array(a.dropFirst())).violations == ["candidate not placed": 1])
    // Seat used twice: put candidate 1 on candidate 0's seat and session.
    var twice = a
    (twice[1].sessionId, twice[1].centreId, twice[1].roomId, twice[1].seatId) = (
      a[0].sessionId, a[0].centreId, a[0].roomId, a[0].seatId
    )
    #expect(checker.quality(of: twice).violations["seat used twice in a session"] == 1)
    // Reserve seat used.
    let centre = Self.city.centres.first { $0.id == a[0].centreId }!
    let room = centre.rooms.first { $0.id == a[0].roomId }!
    var reserve = a
    reserve[0].seatId = room.seats.first { $0.reserve }!.id
    #expect(checker.quality(of: reserve).violations["reserve seat used"] == 1)
    // Accessible-seat candidate in a room that is not accessible.
    if let i = a.firstIndex(where: { byId[$0.candidateId]!.accommodations.contains(.accessibleSeat) }),
      let (c, r) = Self.city.centres.lazy.compactMap({ c in c.rooms.first { !$0.accessible }.map { (c, $0) } }).first
    {
      var moved = a
      (moved[i].centreId, moved[i].roomId, moved[i].seatId) = (c.id, r.id, r.seats[0].id)
      #expect(checker.quality(of: moved).violations["accessible-seat candidate outside an accessible room"] == 1)
    } else {
      Issue.record("the generated city has no accessible-seat candidate")
    }
    // Separate-room candidate joined by someone else.
    if let i = a.firstIndex(where: { byId[$0.candidateId]!.accommodations.contains(.separateRoom) }) {
      let j = a.firstIndex { !byId[$0.candidateId]!.accommodations.contains(.separateRoom) }!
      let free = Self.city.centres.first { $0.id == a[i].centreId }!.rooms.first { $0.id == a[i].roomId }!.seats
        .first { s in !s.reserve && s.id != a[i].seatId }!
      var joined = a
      (joined[j].sessionId, joined[j].centreId, joined[j].roomId, joined[j].seatId) = (
        a[i].sessionId, a[i].centreId, a[i].roomId, free.id
      )
      #expect(checker.quality(of: joined).violations["separate-room candidate not alone"] == 1)
    } else {
      Issue.record("the generated city has no separate-room candidate")
    }
    // A candidate of the first district seated in the last one (not adjacent on the line of 3).
    let far = Self.city.centres.last { $0.district == "区3" }!
    if let i = a.firstIndex(where: {
      byId[$0.candidateId]!.district == "区1" && !byId[$0.candidateId]!.accommodations.contains(.accessibleSeat)
    }) {
      let r = far.rooms.last!
      (a[i].centreId, a[i].roomId, a[i].seatId) = (far.id, r.id, r.seats[0].id)
      #expect(checker.quality(of: a).violations["seated outside own and adjacent districts"] == 1)
    }
  }

  @Test func neighbourCountsAreMeasuredFromSeats() throws {
    // Two candidates of one school side by side, a third of another school behind the first.
    let seats = (1...2).flatMap { r in (1...2).map { c in Seat(id: "\(r)\(c)", row: r, column: c) } }
    let centre = Centre(
      id: "C", name: "c", district: "D", rooms: [Room(id: "R", accessible: false, rows: 2, columns: 2, seats: seats)])
    let people = [("1", "A"), ("2", "A"), ("3", "B")].map {
      Candidate(id: $0.0, name: $0.0, nationalId: $0.0, school: $0.1, district: "D")
    }
    let session = ExamSession(id: "S", date: "2026-06-14", start: "08:30", end: "10:00")
    let checker = PlanChecker(candidates: people, centres: [centre], sessions: [session], adjacency: [:], formCount: 2)
    let plan = [("1", "11", "A"), ("2", "12", "A"), ("3", "21", "B")].map {
      SeatAssignment(
        examId: "E", candidateId: $0.0, sessionId: "S", centreId: "C", roomId: "R", seatId: $0.1, form: $0.2)
    }
    let q = checker.quality(of: plan)
    #expect(q.violations == [:])
    #expect(q.sameSchoolNeighbours == 1)
    #expect(q.sameFormNeighbours == 1)
    #expect(q.sameSchoolNeighboursLowerBound == 0)  // α of a 2×2 grid is 2: A fits without neighbours
    #expect(q.schoolTrips == 2 && q.schoolTripsLowerBound == 2)
  }
}
