import ExamCore
import Testing
import _ExamTestSupport

@testable import Allocation

/// The planner's promise on cities it was not tuned on: every hard rule, and no same-school neighbours whenever
/// the bound says a plan without them may exist (`PlanChecker.sameSchoolNeighboursBound` = 0).
@Suite struct PlannerGuaranteeTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var generator: String
    var seed: UInt64
    var candidates: Int
    var testDescription: String { "\(generator) seed \(seed), \(candidates) candidates" }
  }

  static let cases: [Case] =
    [(1, 1000), (2, 2000), (3, 3000), (4, 1500), (5, 5000), (6, 2500), (7, 1200), (8, 4000)].map {
      Case(generator: "B", seed: $0.0, candidates: $0.1)
    } + [(11, 1000), (12, 2000), (13, 3000), (14, 4000)].map { Case(generator: "A", seed: $0.0, candidates: $0.1) }

  static func city(_ c: Case) -> (
    candidates: [Candidate], centres: [Centre], sessions: [ExamSession],
    adjacency: [String: Set<String>]
  ) {
    if c.generator == "B" {
      let city = TestCityB(seed: c.seed, candidates: c.candidates)
      return (city.candidates, city.centres, city.sessions, city.adjacency)
    }
    // The first model, tight: 80 % of the usable seats taken.
    let city = TestCity(
      seed: c.seed, districts: 4, schools: c.candidates / 120, centresPerDistrict: c.candidates / 600 + 1,
      sessions: 3, fill: 0.8)
    return (city.candidates, city.centres, city.sessions, city.adjacency)
  }

  @Test(arguments: cases)
  func noSameSchoolNeighboursWhenTheBoundAllowsNone(_ c: Case) throws {
    let city = Self.city(c)
    let plan = try SeatPlanner(seed: c.seed).plan(
      examId: "E", candidates: city.candidates, centres: city.centres,
      sessions: city.sessions, adjacency: city.adjacency, formCount: 2)
    let q = plan.quality
    #expect(q.violations == [:])
    #expect(q.placed == city.candidates.count)
    #expect(q.sameFormNeighbours == 0)
    #expect(q.sameSchoolNeighbours >= q.sameSchoolNeighboursLowerBound)
    if q.sameSchoolNeighboursLowerBound == 0 { #expect(q.sameSchoolNeighbours == 0) }
    #expect(q.schoolTrips >= q.schoolTripsWithoutNeighboursLowerBound || q.sameSchoolNeighbours > 0)
    #expect(plan.search.tripsAfter <= plan.search.tripsBefore)
    // The plan also counts separate-room candidates' trips; the neighbour repair may add trips to remove pairs.
    #expect(plan.search.tripsAfter + plan.search.neighbourTripChange <= q.schoolTrips)
  }

  /// The failure in small: an accessible 6 × 6 room with 4 reserve seats (32 usable, 16 per colour
  /// class) and a 5 × 6 room, one session. A school of 19 with 3 accessible-seat candidates, and 5 accessible-seat
  /// candidates of 5 small schools. A clean plan exists (the 8 accessible candidates and 8 more of the large
  /// school fill the accessible room without neighbours, the other 8 of it take one class of the other room),
  /// but only if the school's limit counts its accessible-seat candidates.
  @Test func accessibleCandidatesCountAgainstTheirSchoolsLimit() throws {
    func grid(_ id: String, rows: Int, columns: Int, reserve: Int, accessible: Bool) -> Room {
      let n = rows * columns
      return Room(
        id: id, accessible: accessible, rows: rows, columns: columns,
        seats: (0..<n).map {
          Seat(id: format2($0 + 1), row: $0 / columns + 1, column: $0 % columns + 1, reserve: $0 >= n - reserve)
        })
    }
    let centre = Centre(
      id: "C1", name: "考点", district: "区1",
      rooms: [
        grid("R1", rows: 6, columns: 6, reserve: 4, accessible: true),
        grid("R2", rows: 5, columns: 6, reserve: 3, accessible: false),
      ])
    var candidates = (0..<19).map { k in
      Candidate(
        id: "L\(format2(k))", name: "甲", nationalId: "L\(k)", school: "大校", district: "区1",
        accommodations: k < 3 ? [.accessibleSeat] : [])
    }
    candidates += (0..<5).map { k in
      Candidate(
        id: "S\(k)", name: "乙", nationalId: "S\(k)", school: "小校\(k)", district: "区1", accommodations: [.accessibleSeat]
      )
    }
    candidates += (0..<20).map { k in
      Candidate(id: "M\(format2(k))", name: "丙", nationalId: "M\(k)", school: "中校\(k % 2)", district: "区1")
    }
    for seed in [1, 2, 3, 4] as [UInt64] {
      let plan = try SeatPlanner(seed: seed).plan(
        examId: "E", candidates: candidates, centres: [centre],
        sessions: [ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")], adjacency: ["区1": []],
        formCount: 1)
      #expect(plan.quality.violations == [:])
      #expect(plan.quality.sameSchoolNeighboursLowerBound == 0)
      #expect(plan.quality.sameSchoolNeighbours == 0, "seed \(seed)")
    }
  }

  /// One room, one session, one district: the plan of `schools` (a school's name and its candidates).
  static func planOneRoom(_ room: Room, schools: [(name: String, count: Int)], formCount: Int = 2) throws -> SeatPlan {
    var candidates: [Candidate] = []
    for school in schools {
      for _ in 0..<school.count {
        let id = "A\(candidates.count)"
        candidates.append(Candidate(id: id, name: "甲", nationalId: id, school: school.name, district: "区1"))
      }
    }
    return try SeatPlanner().plan(
      examId: "E", candidates: candidates,
      centres: [Centre(id: "C1", name: "考点", district: "区1", rooms: [room])],
      sessions: [ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")], adjacency: ["区1": []],
      formCount: formCount)
  }

  /// When no plan can avoid neighbours, the bound says how many pairs at least, and the planner still seats
  /// everyone: one 3 × 3 room (5 + 4 seats per class), one school of 7 — at least 7 − 5 = 2 pairs by König, 5 by
  /// counting degrees (the 7 seats have at least 2+2+2+2+3+3+3 = 17 neighbour ends, of which the 2 empty seats can
  /// take at most 4 + 3); the fewest any plan can have is 6 (12 neighbour pairs, the 2 empty seats remove 6), and
  /// the room's counted curve (`RoomPairCost.fewestPairs`, made convex: 16/3) proves it.
  @Test func theBoundCountsPairsNoPlanCanAvoid() throws {
    let room = Room(
      id: "R1", accessible: false, rows: 3, columns: 3,
      seats: (0..<9).map { Seat(id: format2($0 + 1), row: $0 / 3 + 1, column: $0 % 3 + 1) })
    let plan = try Self.planOneRoom(room, schools: [("校", 7)], formCount: 1)
    #expect(plan.quality.violations == [:])
    #expect(plan.quality.sameSchoolNeighboursLowerBound == 6)
    #expect(plan.quality.sameSchoolNeighbours == 6)
  }

  /// The room of `make-city-b.py --seed 38 --candidates 1000`: 5 × 8, the last four seats of the back row reserve
  /// (36 usable, α = 18).
  static let roomOfB38 = Room(
    id: "R1", accessible: false, rows: 5, columns: 8,
    seats: (0..<40).map { Seat(id: format2($0 + 1), row: $0 / 8 + 1, column: $0 % 8 + 1, reserve: $0 >= 36) })

  /// A school with more candidates in a room than its independence number sits on the room's best seats for its
  /// count: in B-38's room, 21 candidates of one school — one checkerboard class and the other's cheapest seats make
  /// 7 pairs (the plan before `seatCrowdedSchoolsBest`), the best 21 seats 6, which the bound proves optimal; the
  /// same beside another school's 8 candidates, none of them beside another of theirs.
  @Test(arguments: [[("校", 21)], [("校", 21), ("院", 8)]])
  func aCrowdedSchoolSitsOnItsBestSeats(schools: [(String, Int)]) throws {
    let plan = try Self.planOneRoom(Self.roomOfB38, schools: schools.map { (name: $0.0, count: $0.1) })
    #expect(plan.quality.violations == [:])
    #expect(plan.quality.sameSchoolNeighboursLowerBound == 6)
    #expect(plan.quality.sameSchoolNeighbours == 6)
    #expect(plan.search.crowdedSchoolPairsSaved == 1)
  }
}
