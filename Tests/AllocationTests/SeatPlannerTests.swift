import ExamCore
import Testing
import _ExamTestSupport

@testable import Allocation

@Suite struct SeatPlannerTests {
  @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
  func generatedCitiesMeetEveryHardConstraint(seed: UInt64) throws {
    let city = TestCity(
      seed: seed, districts: 2 + Int(seed % 3), schools: 5 + Int(seed % 7), fill: 0.45 + Double(seed % 4) * 0.12)
    let forms = Int(seed % 3) + 1
    let plan = try SeatPlanner(seed: seed).plan(
      examId: "E", candidates: city.candidates, centres: city.centres,
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

  /// One centre, one session, two 4 × 4 rooms (the first accessible): six accessible-seat candidates from six
  /// small schools and one school of 16. A clean plan exists — the accessible candidates in one colour class
  /// of room 1, the school in the other class of room 1 and a class of room 2 — but only if seating keeps a
  /// whole class free in the accessible room and lets room 1 fill past its even share before it gives the
  /// school a second class in a room (the planner before session 2 left 7 same-school neighbour pairs here).
  @Test func aLargeSchoolKeepsOneColourClassBesideAccessibleCandidates() throws {
    func room(_ id: String, accessible: Bool) -> Room {
      Room(
        id: id, accessible: accessible, rows: 4, columns: 4,
        seats: (0..<16).map { Seat(id: format2($0 + 1), row: $0 / 4 + 1, column: $0 % 4 + 1) })
    }
    let centre = Centre(
      id: "C01", name: "考点1", district: "区1", rooms: [room("R1", accessible: true), room("R2", accessible: false)])
    var candidates = (0..<6).map { k in
      Candidate(
        id: "A\(k)", name: "甲\(k)", nationalId: "IDA\(k)", school: "小校\(k)", district: "区1",
        accommodations: [.accessibleSeat])
    }
    candidates += (0..<16).map { k in
      Candidate(id: "B\(format2(k))", name: "乙\(k)", nationalId: "IDB\(k)", school: "大校", district: "区1")
    }
    // The same with one of the accessible candidates from the large school (14 more of it): that member must
    // not tie the school's other members to the class the accessible candidates fill.
    var withOwnAccessible = Array(candidates[1..<6])
    withOwnAccessible.append(
      Candidate(
        id: "B99", name: "乙99", nationalId: "IDB99", school: "大校", district: "区1",
        accommodations: [.accessibleSeat]))
    withOwnAccessible += candidates[6..<20]
    for (candidates, seed) in [
      (candidates, 1), (candidates, 2), (candidates, 3), (withOwnAccessible, 1), (withOwnAccessible, 2),
    ] as [([Candidate], UInt64)] {
      let plan = try SeatPlanner(seed: seed).plan(
        examId: "E", candidates: candidates, centres: [centre],
        sessions: [ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")], adjacency: ["区1": []],
        formCount: 2)
      #expect(plan.quality.violations == [:])
      #expect(plan.quality.placed == candidates.count)
      #expect(plan.quality.sameSchoolNeighbours == 0, "seed \(seed)")
      #expect(
        plan.assignments.filter { $0.candidateId.hasPrefix("A") || $0.candidateId == "B99" }.allSatisfy {
          $0.roomId == "R1"
        })
    }
  }

  /// Two centres of one district, one session. Centre 1 has the only accessible room (4 × 4) beside a 4 × 4
  /// room; centre 2 has one 4 × 4 room. Twelve accessible-seat candidates from twelve schools must sit in
  /// centre 1 and spill over into the second colour class of its accessible room, so a school of 16 fits
  /// whole in centre 1 only with neighbours (slack 1 lets a whole school fill a centre-session): packing must
  /// count those seats and split the school between the centres (two trips, no neighbours).
  @Test func packingCountsSeatsThatAccessibleCandidatesTakeFromAColourClass() throws {
    func room(_ id: String, accessible: Bool) -> Room {
      Room(
        id: id, accessible: accessible, rows: 4, columns: 4,
        seats: (0..<16).map { Seat(id: format2($0 + 1), row: $0 / 4 + 1, column: $0 % 4 + 1) })
    }
    let centres = [
      Centre(
        id: "C01", name: "考点1", district: "区1", rooms: [room("R1", accessible: true), room("R2", accessible: false)]),
      Centre(id: "C02", name: "考点2", district: "区1", rooms: [room("R1", accessible: false)]),
    ]
    var candidates = (0..<12).map { k in
      Candidate(
        id: "A\(format2(k))", name: "甲\(k)", nationalId: "IDA\(k)", school: "小校\(k)", district: "区1",
        accommodations: [.accessibleSeat])
    }
    candidates += (0..<16).map { k in
      Candidate(id: "B\(format2(k))", name: "乙\(k)", nationalId: "IDB\(k)", school: "大校", district: "区1")
    }
    for seed in [1, 2, 3] as [UInt64] {
      let plan = try SeatPlanner(seed: seed, wholeSchoolSlack: 1).plan(
        examId: "E", candidates: candidates,
        centres: centres, sessions: [ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")],
        adjacency: ["区1": []], formCount: 2)
      #expect(plan.quality.violations == [:])
      #expect(plan.quality.placed == candidates.count)
      #expect(plan.quality.sameSchoolNeighbours == 0, "seed \(seed)")
      #expect(Set(plan.assignments.filter { $0.candidateId.hasPrefix("B") }.map(\.centreId)) == ["C01", "C02"])
    }
  }
}
