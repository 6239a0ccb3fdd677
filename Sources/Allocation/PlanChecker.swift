import ExamCore
import ExamStorage

/// Checks a seat plan against every hard rule and measures its soft objectives, from the plan's rows alone
/// (it does not trust the planner), so tests, the benchmark and `exam allocate` report the same figures.
public struct PlanChecker: Sendable {
  let problem: PlanningProblem

  init(problem: PlanningProblem) { self.problem = problem }

  public init(
    candidates: [Candidate], centres: [Centre], sessions: [ExamSession], adjacency: [String: Set<String>],
    formCount: Int
  ) {
    problem = PlanningProblem(
      candidates: candidates, centres: centres, sessions: sessions, adjacency: adjacency,
      formCount: formCount)
  }

  /// The paper form of a seat: forms alternate along rows and columns, so neighbours always differ.
  public static func form(row: Int, column: Int, formCount: Int) -> String {
    let k = max(1, formCount)
    let n = ((row + column) % k + k) % k
    return String(UnicodeScalar(UInt8(65 + n % 26)))
  }

  /// Violations and soft counts of `assignments`.
  /// - Parameter failures: seats reported failed (reseat): nobody may sit on them in their session, and the
  ///   candidates moved off them may sit on reserve seats (that is what reserve seats are for).
  /// - Parameter bounds: this problem's `bounds()`, when they were computed already or are being computed
  ///   elsewhere (nil: computed here); taken only once the plan is measured, so another thread may still be on them.
  public func quality(
    of assignments: [SeatAssignment], failures: [SeatFailure] = [], bounds: @autoclosure () -> PlanBounds? = nil
  ) -> PlanQuality {
    let reseated = Set(failures.compactMap(\.candidateId))
    let failed = Set(failures.map { [$0.sessionId, $0.centreId, $0.roomId, $0.seatId].joined(separator: "\u{1}") })
    var violations: [String: Int] = [:]
    func violate(_ rule: String) { violations[rule, default: 0] += 1 }
    let candidateIndex = Dictionary(uniqueKeysWithValues: problem.candidates.enumerated().map { ($1.id, $0) })
    let sessionIndex = Dictionary(uniqueKeysWithValues: problem.sessions.enumerated().map { ($1.id, $0) })
    var roomIndex: [RoomKey: Int] = [:]
    var seatIndex: [[String: Int]] = []
    for (r, info) in problem.rooms.enumerated() {
      roomIndex[RoomKey(centre: problem.centres[info.centre].id, room: info.room.id)] = r
      seatIndex.append(Dictionary(info.room.seats.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a }))
    }
    var placedCount = Array(repeating: 0, count: problem.candidates.count)
    // Occupant of each (room-session, seat).
    var occupant: [Occupancy?] = Array(repeating: nil, count: problem.sessions.count * problem.roomCount)
    for a in assignments {
      guard let i = candidateIndex[a.candidateId] else { violate("unknown candidate"); continue }
      guard let s = sessionIndex[a.sessionId] else { violate("unknown session"); continue }
      guard let r = roomIndex[RoomKey(centre: a.centreId, room: a.roomId)], let seat = seatIndex[r][a.seatId] else {
        violate("unknown seat")
        continue
      }
      placedCount[i] += 1
      let info = problem.rooms[r]
      let rs = problem.roomSession(session: s, room: r)
      if occupant[rs]?.candidate[seat] ?? -1 >= 0 { violate("seat used twice in a session") }
      if occupant[rs] == nil { occupant[rs] = Occupancy(seats: info.room.seats.count) }
      occupant[rs]!.place(i, form: a.form, on: seat)
      if info.room.seats[seat].reserve && !reseated.contains(a.candidateId) { violate("reserve seat used") }
      if !failed.isEmpty, failed.contains([a.sessionId, a.centreId, a.roomId, a.seatId].joined(separator: "\u{1}")) {
        violate("failed seat used")
      }
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
    for (rs, seats) in occupant.enumerated() {
      guard let seats,
        seats.candidate.contains(where: { $0 >= 0 && problem.candidates[$0].accommodations.contains(.separateRoom) })
      else { continue }
      exclusive.insert(rs)
      if seats.count > 1 { violate("separate-room candidate not alone") }
    }
    return measure(
      occupant: occupant, exclusive: exclusive, violations: violations,
      placed: placedCount.filter { $0 > 0 }.count, bounds: { bounds() ?? self.bounds() })
  }

  /// The largest uniform fill f proven too low: even if every room-session held ⌊f × usable⌋ candidates and
  /// separate-room candidates needed no room, the candidates of some districts could not all reach a seat
  /// (maximum flow districts → centres falls short). So the fullest room of any plan is fuller than f.
  func districtFillBound() -> Double {
    var demand = Array(repeating: 0, count: problem.districtNames.count)
    for (i, c) in problem.candidates.enumerated() where !c.accommodations.contains(.separateRoom) {
      demand[problem.candidateDistrict[i]] += 1
    }
    let total = demand.reduce(0, +)
    func feasible(_ f: Double) -> Bool {
      let districts = demand.count
      let sink = districts + problem.centreCount + 1
      var graph = MaxFlow(nodeCount: sink + 1)
      for d in 0..<districts { graph.addEdge(from: 0, to: 1 + d, capacity: demand[d]) }
      var capacity = Array(repeating: 0, count: problem.centreCount)
      for info in problem.rooms {
        capacity[info.centre] += Int((Double(info.usable.count) * f + 1e-9).rounded(.down)) * problem.sessions.count
      }
      for c in 0..<problem.centreCount { graph.addEdge(from: 1 + districts + c, to: sink, capacity: capacity[c]) }
      for d in 0..<districts where demand[d] > 0 {
        for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
          graph.addEdge(from: 1 + d, to: 1 + districts + c, capacity: demand[d])
        }
      }
      return graph.augment(source: 0, sink: sink) == total
    }
    guard total > 0, !feasible(0) else { return 0 }
    guard feasible(1) else { return 1 }
    var low = 0.0
    var high = 1.0
    for _ in 0..<20 {
      let mid = (low + high) / 2
      if feasible(mid) { high = mid } else { low = mid }
    }
    return low
  }

  private func measure(
    occupant: [Occupancy?], exclusive: Set<Int>,
    violations: [String: Int], placed: Int, bounds takeBounds: () -> PlanBounds
  ) -> PlanQuality {
    var sameSchool = 0
    var sameForm = 0
    var fullest = 0.0
    var emptiest = 1.0
    var open = 0
    var trips = Array(repeating: Set<Int>(), count: problem.schoolNames.count)
    var centres = trips
    var sessionSets = trips
    var adjacent = 0
    for (rs, seats) in occupant.enumerated() {
      guard let seats else { continue }
      let r = rs % problem.roomCount
      let s = rs / problem.roomCount
      let info = problem.rooms[r]
      let neighbours = info.seatNeighbours
      for (seat, candidate) in seats.candidate.enumerated() where candidate >= 0 {
        let school = problem.candidateSchool[candidate]
        trips[school].insert(problem.bin(session: s, centre: info.centre))
        centres[school].insert(info.centre)
        sessionSets[school].insert(s)
        if problem.centreDistrict[info.centre] != problem.candidateDistrict[candidate] { adjacent += 1 }
        for n in neighbours[seat] where n > seat {
          let other = seats.candidate[n]
          guard other >= 0 else { continue }
          if problem.candidateSchool[other] == school { sameSchool += 1 }
          if seats.form[n] == seats.form[seat] { sameForm += 1 }
        }
      }
      if !exclusive.contains(rs) && !info.usable.isEmpty {
        open += 1
        let ratio = Double(seats.count) / Double(info.usable.count)
        fullest = max(fullest, ratio)
        emptiest = min(emptiest, ratio)
      }
    }
    let bounds = takeBounds()
    return PlanQuality(
      candidates: problem.candidates.count, placed: placed, violations: violations,
      sameSchoolNeighbours: sameSchool, sameSchoolNeighboursLowerBound: bounds.sameSchoolNeighbours,
      schoolTrips: trips.reduce(0) { $0 + $1.count }, schoolTripsLowerBound: bounds.schoolTrips,
      schoolTripsWithoutNeighboursLowerBound: bounds.schoolTripsWithoutNeighbours,
      schoolTripsColumnGenerationLowerBound: bounds.schoolTripsByColumnGeneration,
      schoolCentres: centres.reduce(0) { $0 + $1.count }, schoolCentresLowerBound: bounds.schoolCentres,
      schoolSessions: sessionSets.reduce(0) { $0 + $1.count }, schoolSessionsLowerBound: bounds.schoolSessions,
      sameFormNeighbours: problem.formCount > 1 ? sameForm : 0, formCount: problem.formCount,
      roomsOpen: open, fullestRoomPercent: fullest * 100,
      fullestRoomPercentLowerBound: min(100, bounds.fullestRoom * 100),
      emptiestOpenRoomPercent: open == 0 ? 0 : emptiest * 100, seatedInAdjacentDistrict: adjacent)
  }

  /// Per centre: its usable seats, and the most of them one school may take with no two neighbours (the sum of its
  /// rooms' independence numbers).
  func centreSeats() -> (usable: [Int], independent: [Int]) {
    var usable = Array(repeating: 0, count: problem.centreCount)
    var independent = usable
    for info in problem.rooms {
      usable[info.centre] += info.usable.count
      independent[info.centre] += info.independentSeats
    }
    return (usable, independent)
  }
}

/// A room by its ids, as the plan's rows name it.
private struct RoomKey: Hashable {
  var centre: String
  var room: String
}

/// Who sits on each seat of one room-session, as the checker reads the plan: seat index → candidate index (−1:
/// empty) and paper form.
struct Occupancy {
  var candidate: [Int]
  var form: [String]
  /// Seats taken.
  var count = 0

  init(seats: Int) {
    candidate = Array(repeating: -1, count: seats)
    form = Array(repeating: "", count: seats)
  }

  mutating func place(_ i: Int, form f: String, on seat: Int) {
    if candidate[seat] < 0 { count += 1 }
    candidate[seat] = i
    form[seat] = f
  }
}
