import ExamCore

/// Checks a seat plan against every hard rule and measures its soft objectives, from the plan's rows alone
/// (it does not trust the planner), so tests, the benchmark and `exam allocate` report the same figures.
public struct PlanChecker: Sendable {
  let problem: PlanningProblem

  init(problem: PlanningProblem) { self.problem = problem }

  public init(candidates: [Candidate], centres: [Centre], sessions: [ExamSession], adjacency: [String: Set<String>],
    formCount: Int)
  {
    problem = PlanningProblem(candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: formCount)
  }

  /// The paper form of a seat: forms alternate along rows and columns, so neighbours always differ.
  public static func form(row: Int, column: Int, formCount: Int) -> String {
    let k = max(1, formCount)
    let n = ((row + column) % k + k) % k
    return String(UnicodeScalar(UInt8(65 + n % 26)))
  }

  /// Violations and soft counts of `assignments`.
  public func quality(of assignments: [SeatAssignment]) -> PlanQuality {
    var violations: [String: Int] = [:]
    func violate(_ rule: String) { violations[rule, default: 0] += 1 }
    let candidateIndex = Dictionary(uniqueKeysWithValues: problem.candidates.enumerated().map { ($1.id, $0) })
    let sessionIndex = Dictionary(uniqueKeysWithValues: problem.sessions.enumerated().map { ($1.id, $0) })
    var roomIndex: [String: Int] = [:]
    var seatIndex: [[String: Int]] = []
    for (r, info) in problem.rooms.enumerated() {
      roomIndex[problem.centres[info.centre].id + "\u{1}" + info.room.id] = r
      seatIndex.append(Dictionary(info.room.seats.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }))
    }
    var placedCount = Array(repeating: 0, count: problem.candidates.count)
    // Occupant of each (room-session, seat).
    var occupant: [Int: [Int: (candidate: Int, form: String)]] = [:]
    for a in assignments {
      guard let i = candidateIndex[a.candidateId] else { violate("unknown candidate"); continue }
      guard let s = sessionIndex[a.sessionId] else { violate("unknown session"); continue }
      guard let r = roomIndex[a.centreId + "\u{1}" + a.roomId], let seat = seatIndex[r][a.seatId] else {
        violate("unknown seat")
        continue
      }
      placedCount[i] += 1
      let info = problem.rooms[r]
      let rs = problem.roomSession(session: s, room: r)
      if occupant[rs]?[seat] != nil { violate("seat used twice in a session") }
      occupant[rs, default: [:]][seat] = (i, a.form)
      if info.room.seats[seat].reserve { violate("reserve seat used") }
      let candidate = problem.candidates[i]
      if candidate.accommodations.contains(.accessibleSeat) && !info.room.accessible {
        violate("accessible-seat candidate outside an accessible room")
      }
      if !problem.reachable(district: problem.candidateDistrict[i], centre: info.centre) {
        violate("seated outside own and adjacent districts")
      }
    }
    for n in placedCount {
      if n == 0 { violate("candidate not placed") }
      if n > 1 { violate("candidate placed more than once") }
    }
    var exclusive: Set<Int> = []
    for (rs, seats) in occupant where seats.values.contains(where: { problem.candidates[$0.candidate].accommodations.contains(.separateRoom) }) {
      exclusive.insert(rs)
      if seats.count > 1 { violate("separate-room candidate not alone") }
    }
    return measure(occupant: occupant, exclusive: exclusive, violations: violations,
      placed: placedCount.filter { $0 > 0 }.count)
  }

  private func measure(occupant: [Int: [Int: (candidate: Int, form: String)]], exclusive: Set<Int>,
    violations: [String: Int], placed: Int) -> PlanQuality
  {
    let sessions = problem.sessions.count
    var sameSchool = 0
    var sameForm = 0
    var fullest = 0.0
    var emptiest = 1.0
    var open = 0
    var trips = Array(repeating: Set<Int>(), count: problem.schoolNames.count)
    var centres = trips
    var sessionSets = trips
    var adjacent = 0
    var neighbourCache: [Int: [[Int]]] = [:]
    for (rs, seats) in occupant {
      let r = rs % problem.roomCount
      let s = rs / problem.roomCount
      let info = problem.rooms[r]
      if neighbourCache[r] == nil {
        neighbourCache[r] = SeatGrid.neighbours(info.room.seats.map { .init(row: $0.row, column: $0.column) })
      }
      for (seat, o) in seats {
        let school = problem.candidateSchool[o.candidate]
        trips[school].insert(problem.bin(session: s, centre: info.centre))
        centres[school].insert(info.centre)
        sessionSets[school].insert(s)
        if problem.centreDistrict[info.centre] != problem.candidateDistrict[o.candidate] { adjacent += 1 }
        for n in neighbourCache[r]![seat] where n > seat {
          guard let other = seats[n] else { continue }
          if problem.candidateSchool[other.candidate] == school { sameSchool += 1 }
          if other.form == o.form { sameForm += 1 }
        }
      }
      if !exclusive.contains(rs) && !info.usable.isEmpty {
        open += 1
        let ratio = Double(seats.count) / Double(info.usable.count)
        fullest = max(fullest, ratio)
        emptiest = min(emptiest, ratio)
      }
    }
    // Lower bounds, school by school, from the seats each school may use.
    var centreUsable = Array(repeating: 0, count: problem.centreCount)
    var centreIndependent = centreUsable
    for info in problem.rooms {
      centreUsable[info.centre] += info.usable.count
      centreIndependent[info.centre] += info.independentSeats
    }
    var schoolSize = Array(repeating: 0, count: problem.schoolNames.count)
    for s in problem.candidateSchool { schoolSize[s] += 1 }
    var perDistrict: [Int: (maxCentre: Int, total: Int, independent: Int, maxIndependent: Int)] = [:]
    for d in problem.districtNames.indices {
      var v = (maxCentre: 0, total: 0, independent: 0, maxIndependent: 0)
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        v.maxCentre = max(v.maxCentre, centreUsable[c])
        v.total += centreUsable[c]
        v.independent += centreIndependent[c] * sessions
        v.maxIndependent = max(v.maxIndependent, centreIndependent[c])
      }
      perDistrict[d] = v
    }
    func ceilDiv(_ a: Int, _ b: Int) -> Int { b <= 0 ? 0 : (a + b - 1) / b }
    var neighbourBound = 0
    var tripBound = 0
    var cleanTripBound = 0
    var centreBound = 0
    var sessionBound = 0
    for (school, n) in schoolSize.enumerated() {
      let v = perDistrict[problem.schoolDistrict[school]]!
      neighbourBound += max(0, n - v.independent)
      tripBound += max(1, ceilDiv(n, v.maxCentre))
      cleanTripBound += max(1, ceilDiv(n, v.maxIndependent))
      centreBound += max(1, ceilDiv(n, v.maxCentre * sessions))
      sessionBound += max(1, ceilDiv(n, v.total))
    }
    let separate = problem.candidates.filter { $0.accommodations.contains(.separateRoom) }.count
    var roomSizes: [Int] = []
    for info in problem.rooms where !info.usable.isEmpty {
      for _ in 0..<sessions { roomSizes.append(info.usable.count) }
    }
    roomSizes.sort()
    let capacity = roomSizes.dropFirst(min(separate, roomSizes.count)).reduce(0, +)
    let fillBound = capacity == 0 ? 0 : Double(problem.candidates.count - separate) / Double(capacity)
    return PlanQuality(candidates: problem.candidates.count, placed: placed, violations: violations,
      sameSchoolNeighbours: sameSchool, sameSchoolNeighboursLowerBound: neighbourBound,
      schoolTrips: trips.reduce(0) { $0 + $1.count }, schoolTripsLowerBound: tripBound,
      schoolTripsWithoutNeighboursLowerBound: cleanTripBound,
      schoolCentres: centres.reduce(0) { $0 + $1.count }, schoolCentresLowerBound: centreBound,
      schoolSessions: sessionSets.reduce(0) { $0 + $1.count }, schoolSessionsLowerBound: sessionBound,
      sameFormNeighbours: problem.formCount > 1 ? sameForm : 0, formCount: problem.formCount,
      roomsOpen: open, fullestRoomPercent: fullest * 100, fullestRoomPercentLowerBound: min(100, fillBound * 100),
      emptiestOpenRoomPercent: open == 0 ? 0 : emptiest * 100, seatedInAdjacentDistrict: adjacent)
  }
}
