import ExamCore
import Testing
import _ExamTestSupport

@testable import Allocation

/// Where same-school neighbours cannot be avoided: counts of each school per room-session from
/// `RoomPairsProgram`, separate rooms chosen by `SeparateRoomsProgram`, and that program's bound.
@Suite struct RoomCountsTests {
  static let session = ExamSession(id: "S1", date: "2026-06-10", start: "08:30", end: "10:00")

  /// A room of one row with seats at `columns` only (none beside another when they are two apart).
  static func row(_ id: String, columns: [Int]) -> Room {
    Room(
      id: id, accessible: false, rows: 1, columns: columns.max()!,
      seats: columns.map { Seat(id: format2($0), row: 1, column: $0) })
  }

  static func block(_ id: String, rows: Int, columns: Int, accessible: Bool = false) -> Room {
    Room(
      id: id, accessible: accessible, rows: rows, columns: columns,
      seats: (0..<rows * columns).map { Seat(id: format2($0 + 1), row: $0 / columns + 1, column: $0 % columns + 1) })
  }

  static func candidates(_ schools: [(name: String, count: Int, accommodations: [Candidate.Accommodation])])
    -> [Candidate]
  {
    var list: [Candidate] = []
    for school in schools {
      for _ in 0..<school.count {
        let id = "A\(format2(list.count))"
        list.append(
          Candidate(
            id: id, name: "甲", nationalId: id, school: school.name, district: "区1",
            accommodations: school.accommodations))
      }
    }
    return list
  }

  /// Three rooms, one session: three seats none beside another, and two 2 × 2 blocks; a school of 7 and a
  /// separate-room candidate. In the smallest room the candidate leaves the school 8 seats in the blocks, 4 + 3:
  /// 4 + 2 = 6 pairs; in a block it leaves the three apart seats and the other block: 0 + 4 = 4, the fewest. The
  /// flow and the part-wide program let the candidate take three seats anywhere, so they see no pairs at all.
  @Test func theSeparateRoomGoesWhereItCostsFewestPairs() throws {
    let centre = Centre(
      id: "C1", name: "考点", district: "区1",
      rooms: [
        Self.row("R1", columns: [1, 3, 5]), Self.block("R2", rows: 2, columns: 2),
        Self.block("R3", rows: 2, columns: 2),
      ])
    let candidates = Self.candidates([("大校", 7, []), ("小校", 1, [.separateRoom])])
    for seed in [1, 2, 3] as [UInt64] {
      let plan = try SeatPlanner(seed: seed).plan(
        examId: "E", candidates: candidates, centres: [centre], sessions: [Self.session],
        adjacency: ["区1": []], formCount: 1)
      #expect(plan.quality.violations == [:])
      #expect(plan.quality.sameSchoolNeighboursLowerBound == 4, "seed \(seed)")
      #expect(plan.quality.sameSchoolNeighbours == 4, "seed \(seed)")
      let separate = plan.assignments.first { $0.candidateId == candidates.last!.id }!
      #expect(separate.roomId != "R1", "seed \(seed)")
    }
  }

  /// The program's counts place every school's candidates, within each room-session's seats and the district's
  /// reach, accessible-seat candidates' share in accessible rooms, and none in a closed room-session; closing one
  /// never lowers the minimum.
  @Test func theCountsPlaceEveryoneWithinTheRules() throws {
    let city = TestCityB(seed: 4, candidates: 1500)
    let problem = PlanningProblem(
      candidates: city.candidates, centres: city.centres, sessions: city.sessions, adjacency: city.adjacency,
      formCount: 2)
    let demand = SeparateRoomsProgram(problem: problem).demand
    let roomSessions = problem.sessions.count * problem.roomCount
    var closed = Array(repeating: false, count: roomSessions)
    closed[0] = true
    let program = RoomPairsProgram(problem: problem, closed: closed, demand: demand, binCost: { _, _ in 0 })
    #expect(program.solve())
    let counts = try #require(program.counts())
    var used = Array(repeating: 0, count: roomSessions)
    for school in counts.indices {
      #expect(counts[school].values.reduce(0, +) == demand[school].all)
      var accessible = 0
      for (rs, k) in counts[school] {
        let info = problem.rooms[rs % problem.roomCount]
        #expect(problem.reachable(district: problem.schoolDistrict[school], centre: info.centre))
        if info.room.accessible { accessible += k }
        used[rs] += k
      }
      #expect(accessible >= demand[school].accessible)
    }
    #expect(used[0] == 0, "a closed room-session takes no one")
    for rs in 0..<roomSessions { #expect(used[rs] <= problem.rooms[rs % problem.roomCount].usable.count) }
    let open = RoomPairsProgram(
      problem: problem, closed: Array(repeating: false, count: roomSessions), demand: demand, binCost: { _, _ in 0 })
    #expect(open.solve())
    #expect(open.objective <= program.objective + 1e-9)
  }

  /// The annealing parts two schools seated in blocks: a 4 × 4 room, 8 of each school on two rows each (20 pairs),
  /// ends at the checkerboard (0); every candidate on a seat of their own, the same seats for the same seed.
  @Test func annealingPartsSchoolsSeatedInBlocks() throws {
    let candidates = Self.candidates([("甲校", 8, []), ("乙校", 8, [])])
    let centre = Centre(id: "C1", name: "考点", district: "区1", rooms: [Self.block("R1", rows: 4, columns: 4)])
    let problem = PlanningProblem(
      candidates: candidates, centres: [centre], sessions: [Self.session], adjacency: ["区1": []], formCount: 1)
    func annealed(seed: UInt64) -> (state: PlannerState, saved: Int) {
      var state = PlannerState(problem: problem, seed: seed)
      for i in candidates.indices {
        state.roomSessionOf[i] = 0
        state.seatOf[i] = i
      }
      #expect(state.pairsAndTrips().pairs == 20)
      let saved = state.annealNeighbours()
      return (state, saved)
    }
    let (state, saved) = annealed(seed: 7)
    #expect(saved == 20)
    #expect(state.pairsAndTrips() == (0, 2))
    #expect(Set(state.seatOf).count == candidates.count)
    #expect(state.roomSessionOf.allSatisfy { $0 == 0 })
    #expect(annealed(seed: 7).state.seatOf == state.seatOf)
  }

  /// A 6 × 6 room (18 seats a colour class) with schools of 20, 8 and 3: the classes put the large school's
  /// last two on the narrow class's last seats, more pairs than its fewest; seated from the counts, the room has
  /// exactly the large school's fewest pairs (the others fit in what is left without a pair).
  @Test func aRoomSeatedFromItsCountsHasItsFewestPairs() throws {
    let candidates = Self.candidates([("甲校", 20, []), ("乙校", 8, []), ("丙校", 3, [])])
    let centre = Centre(id: "C1", name: "考点", district: "区1", rooms: [Self.block("R1", rows: 6, columns: 6)])
    let problem = PlanningProblem(
      candidates: candidates, centres: [centre], sessions: [Self.session], adjacency: ["区1": []], formCount: 1)
    let groups: [(school: Int, members: ArraySlice<Int>)] = [0..<20, 20..<28, 28..<31].map {
      (problem.candidateSchool[$0.lowerBound], Array($0)[...])
    }
    let fewest = try #require(RoomPairCost.fewestPairs(problem.rooms[0].usablePositions))[20]
    var byClasses = PlannerState(problem: problem, seed: 1)
    byClasses.seatRoom(0, groups)
    var byCounts = PlannerState(problem: problem, seed: 1)
    byCounts.seatRoomFewestPairs(0, groups)
    #expect(byClasses.pairsAndTrips().pairs > fewest)
    #expect(byCounts.pairsAndTrips().pairs == fewest)
    #expect(Set(byCounts.seatOf).count == candidates.count)
    #expect(byCounts.roomSessionOf.allSatisfy { $0 == 0 })
  }

  /// Among counts with no more pairs than the pairs program's minimum, `fewestTrips` finds counts that place
  /// every school within each room-session's seats, count as many pairs as allowed at most, ride the trips it
  /// reports — and fewer than the pairs program's own counts ride (18 against 35 on this city).
  @Test func theFewestTripsCountsKeepThePairsAndRideLess() throws {
    let city = TestCityB(seed: 4, candidates: 1500)
    let problem = PlanningProblem(
      candidates: city.candidates, centres: city.centres, sessions: city.sessions, adjacency: city.adjacency,
      formCount: 2)
    let program = SeparateRoomsProgram(problem: problem)
    let roomSessions = problem.sessions.count * problem.roomCount
    let pairsProgram = RoomPairsProgram(
      problem: problem, closed: Array(repeating: false, count: roomSessions), demand: program.demand,
      binCost: { _, _ in 0 })
    #expect(pairsProgram.solve())
    let pairs = try #require(program.solve(maximumNodes: 2_000, maximumSeconds: 20).pairs)
    let fewest = try #require(program.fewestTrips(pairs: pairs, maximumNodes: 2_000, maximumSeconds: 20))
    let curves = RoomPairCost.ofRooms(problem)
    var used = Array(repeating: 0, count: roomSessions)
    var counted = 0.0
    var rides = Set<Int>()
    for (school, counts) in fewest.counts.enumerated() {
      #expect(counts.values.reduce(0, +) == program.demand[school].all)
      for (rs, k) in counts {
        used[rs] += k
        counted += curves[rs % problem.roomCount]!.marginals.prefix(k).reduce(0, +)
        rides.insert(school * roomSessions + problem.bin(roomSession: rs))
      }
    }
    for (rs, k) in used.enumerated() { #expect(k <= problem.seats(roomSession: rs)) }
    #expect(counted <= pairs + 1e-6)
    #expect(rides.count == fewest.trips)
    let first = try #require(pairsProgram.counts())
    let firstRides = Set(
      first.enumerated().flatMap { school, counts in
        counts.keys.map { school * roomSessions + problem.bin(roomSession: $0) }
      })
    #expect(fewest.trips < firstRides.count)
  }

  /// A city where pairs cannot be avoided (the second model, seed 22, 1,000 candidates: the flow bound alone is
  /// below the plan): every hard rule, exactly the proven fewest pairs, and for one seed one plan whatever the
  /// order of the input — the programs and the annealing included.
  @Test func unavoidablePairsAreTheFewestAndThePlanDependsOnTheSeedOnly() throws {
    let city = TestCityB(seed: 22, candidates: 1000)
    let run = { (candidates: [Candidate], centres: [Centre]) in
      try SeatPlanner(seed: 1).plan(
        examId: "E", candidates: candidates, centres: centres, sessions: city.sessions, adjacency: city.adjacency,
        formCount: 2)
    }
    let plan = try run(city.candidates, city.centres)
    #expect(plan.quality.violations == [:])
    #expect(plan.quality.sameSchoolNeighbours > 0)
    #expect(plan.quality.sameSchoolNeighbours == plan.quality.sameSchoolNeighboursLowerBound)
    let again = try run(city.candidates.reversed(), city.centres.reversed())
    #expect(again.assignments == plan.assignments)
  }
}
