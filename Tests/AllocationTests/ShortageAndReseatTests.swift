import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

@testable import Allocation

@Suite struct ShortageAndReseatTests {
  @Test func samePlanForTheSameSeedOnGeneratedCities() async throws {
    for seed in [11, 12, 13] as [UInt64] {
      let city = TestCity(seed: seed, districts: 3, schools: 9, fill: 0.7)
      let run = { (s: UInt64) in
        try SeatPlanner(seed: s).plan(
          examId: "E", candidates: city.candidates.shuffled(), centres: city.centres.reversed(),
          sessions: city.sessions, adjacency: city.adjacency, formCount: 2
        ).assignments
      }
      let first = try run(seed)
      #expect(try run(seed) == first)  // input order does not matter either
      #expect(try run(seed + 100) != first)
    }
  }

  @Test func seatShortageIsReportedPerDistrictAndNothingIsPlanned() async throws {
    var city = TestCity(seed: 3, districts: 3, schools: 6, fill: 0.5)
    // District 区1 loses its centres and its neighbour 区2 is made tiny: 区1 and 区2 are short, 区3 is not.
    city.centres.removeAll { $0.district == "区1" }
    for i in city.centres.indices where city.centres[i].district == "区2" {
      city.centres[i].rooms = [city.centres[i].rooms[0]]
    }
    let planner = SeatPlanner(seed: 1)
    let shortages = planner.shortages(
      candidates: city.candidates, centres: city.centres, sessions: city.sessions,
      adjacency: city.adjacency)
    #expect(!shortages.isEmpty)
    #expect(shortages.allSatisfy { $0.district != "区3" || $0.kind != .seats })
    let demand1 = city.candidates.filter { $0.district == "区1" && !$0.accommodations.contains(.separateRoom) }.count
    let seats = shortages.filter { $0.kind == .seats }
    #expect(seats.contains { $0.district == "区1" && $0.needed == demand1 && $0.short > 0 })
    let error = #expect(throws: ExamErrors.self) {
      try planner.plan(
        examId: "E", candidates: city.candidates, centres: city.centres, sessions: city.sessions,
        adjacency: city.adjacency, formCount: 1)
    }
    #expect(error?.errors.allSatisfy { $0.code == .state } == true)
    #expect(error?.errors.contains { $0.location == "district 区1" } == true)
  }

  @Test func reseatHandlesASecondFailureAndRepeats() async throws {
    let database = try ExamDatabase.inMemory()
    let city = TestCity(seed: 8, districts: 2, schools: 4, fill: 0.4)
    _ = try database.importExam(SampleData.exam(id: "E"), audit: auditLine("exam"))
    _ = try database.importCandidates(
      city.candidates.enumerated().map { i, c in
        var c = c
        c.nationalId = "N\(i)"
        return c
      }, audit: auditLine("c"))
    try database.replaceVenues(
      centres: city.centres, sessions: city.sessions,
      adjacency: city.adjacency.flatMap { d, ns in ns.map { (d, $0) } }, audit: auditLine("v"))
    _ = try await RoomsService(database: database).allocate(examId: "E", seed: 1, audit: auditLine)
    let before = try database.allocation(examId: "E")
    let separate = Set(city.candidates.filter { $0.accommodations.contains(.separateRoom) }.map(\.id))
    let victim = before.first { !separate.contains($0.candidateId) }!
    let reseater = Reseater(database: database)
    func fail(_ seat: String, room: String? = nil) async throws -> Reseater.Outcome {
      try await reseater.reseat(
        examId: "E", sessionId: victim.sessionId, centreId: victim.centreId, roomId: room ?? victim.roomId,
        seatId: seat, reason: "dead", audit: auditLine)
    }
    guard case .moved(let first) = try await fail(victim.seatId) else { Issue.record("not moved"); return }
    #expect(first.toRoomId == victim.roomId)
    // The same report again changes nothing.
    #expect(try await fail(victim.seatId) == .alreadyReported(first))
    // The reserve seat fails too: the candidate moves again, never back to a failed seat.
    guard case .moved(let second) = try await fail(first.toSeatId!, room: first.toRoomId) else {
      Issue.record("not moved"); return
    }
    #expect(second.candidateId == victim.candidateId)
    #expect(second.toSeatId != first.toSeatId && second.toSeatId != victim.seatId)
    let after = try database.allocation(examId: "E")
    #expect(
      Set(after.filter { $0.candidateId != victim.candidateId })
        == Set(before.filter { $0.candidateId != victim.candidateId }))
    #expect(try database.seatFailures(examId: "E").count == 2)
    let q = try await RoomsService(database: database).quality(examId: "E")
    #expect(q.violations == [:])  // reseated candidates may sit on reserve seats
    // Keep failing reserve seats of that room and centre until none is left: then a clear error, nothing recorded.
    var last = second
    var moves = 2
    while true {
      do {
        let outcome = try await fail(last.toSeatId!, room: last.toRoomId)
        guard case .moved(let f) = outcome else { Issue.record("not moved"); return }
        last = f
        moves += 1
      } catch let e as ExamError {
        #expect(e.code == .state)
        break
      }
      if moves > 200 { Issue.record("never ran out of reserve seats"); return }
    }
    #expect(try database.seatFailures(examId: "E").count == moves)
  }
}
