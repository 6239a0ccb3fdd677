import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

@Suite struct BackboneTests {
  let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "t", command: "test", arguments: "", summary: "")

  @Test func examImportIsIdempotentAndRefusesASwappedPaper() throws {
    let db = try ExamDatabase.inMemory()
    #expect(try db.importExam(SampleData.exam(), audit: audit) == .inserted)
    #expect(try db.importExam(SampleData.exam(), audit: audit) == .unchanged)
    let error = #expect(throws: ExamError.self) {
      try db.importExam(SampleData.exam(packSha256: String(repeating: "b", count: 64)), audit: audit)
    }
    #expect(error?.code == .conflict)
    #expect(try db.requireExam(id: "E1") == SampleData.exam())
    #expect((#expect(throws: ExamError.self) { try db.requireExam(id: "nope") })?.code == .notFound)
    #expect(try db.auditTrail().count == 1)
  }

  @Test func readsByCandidateGoPastSQLitesVariableLimitInPieces() throws {
    let db = try ExamDatabase.inMemory()
    _ = try db.importCandidates(
      (1...1_203).map { SampleData.candidate($0, school: $0 % 2 == 0 ? "Even" : "Odd") }, audit: audit)
    let ids = Set((1...1_203).map { SampleData.candidate($0).id } + ["nobody"])
    let schools = try db.schools(ofCandidates: ids)
    #expect(schools.count == 1_203)  // three pieces of 500, 500 and 204 ids; the unknown id is left out
    #expect(schools[SampleData.candidate(1_202).id] == "Even" && schools[SampleData.candidate(7).id] == "Odd")
    #expect(try db.schools(ofCandidates: []).isEmpty)
    #expect(try db.allocation(examId: "E1", candidateIds: ids).isEmpty)  // none is allocated
  }

  @Test func candidatesVenuesAllocationAndReseat() throws {
    let db = try ExamDatabase.inMemory()
    _ = try db.importExam(SampleData.exam(), audit: audit)
    let first = try db.importCandidates([SampleData.candidate(1), SampleData.candidate(2)], audit: audit)
    #expect(first.inserted == 2)
    let again = try db.importCandidates([SampleData.candidate(1), SampleData.candidate(2)], audit: audit)
    #expect(again.unchanged == 2 && again.inserted == 0)
    var clash = SampleData.candidate(3)
    clash.nationalId = "ID1"
    #expect((#expect(throws: ExamError.self) { try db.importCandidates([clash], audit: audit) })?.code == .conflict)
    #expect(try db.candidates().count == 2)

    try db.replaceVenues(
      centres: [SampleData.centre()], sessions: [SampleData.session], adjacency: [("D1", "D2")], audit: audit)
    #expect(try db.centres().first?.rooms.first?.seats.count == 6)
    #expect(try db.districtAdjacency()["D2"] == ["D1"])
    try db.replaceAllocation(
      examId: "E1",
      [
        SeatAssignment(examId: "E1", candidateId: "C1", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "1-1"),
        SeatAssignment(
          examId: "E1", candidateId: "C2", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "1-2", form: "B"),
      ], audit: audit)
    func move(to seat: String) -> SeatFailure {
      SeatFailure(
        examId: "E1", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "1-1", candidateId: "C1",
        toCentreId: "T1", toRoomId: "R1", toSeatId: seat, reason: "dead", at: "t", operator: "o")
    }
    #expect(
      (#expect(throws: ExamError.self) { try db.recordSeatFailure(move(to: "1-2"), audit: audit) })?.code == .conflict)
    #expect(try db.seatFailures(examId: "E1").isEmpty)  // nothing half-written
    try db.recordSeatFailure(move(to: "2-3"), audit: audit)
    #expect(try db.assignment(examId: "E1", candidateId: "C1")?.seatId == "2-3")
    #expect(
      (#expect(throws: ExamError.self) { try db.recordSeatFailure(move(to: "1-3"), audit: audit) })?.code == .conflict)
    // A venue import that would orphan an allocated seat is refused.
    var smaller = SampleData.centre()
    smaller.rooms[0].seats.removeLast()
    #expect(
      (#expect(throws: ExamError.self) {
        try db.replaceVenues(centres: [smaller], sessions: [SampleData.session], adjacency: [], audit: audit)
      })?.code == .conflict)
  }

  @Test func recordingsAreTakenOnceAndConflictsBecomeVersions() throws {
    let db = try ExamDatabase.inMemory()
    _ = try db.importExam(SampleData.exam(), audit: audit)
    _ = try db.importCandidates([SampleData.candidate(1)], audit: audit)
    func recording(_ sha: Character) -> StoredRecording {
      StoredRecording(
        examId: "E1", candidateId: "C1", itemId: "SA1", originalSha256: String(repeating: sha, count: 64),
        originalName: "a.wav", storedSha256: String(repeating: "f", count: 64), durationSeconds: 3,
        originalSampleRate: 16000,
        originalChannels: 1, originalFormat: "WAV/PCM_16", centreId: "T1", recordedAt: "2026-06-14T08:40:00Z",
        ingestedAt: "2026-06-14T12:00:00Z", batchId: "b1", flags: ["clipped"])
    }
    let answer = ListeningAnswer(
      examId: "E1", candidateId: "C1", itemId: "LA1", choice: "B", answeredAt: "2026-06-14T08:35:00Z", centreId: "T1",
      batchId: "b1")
    #expect(try db.insertAnswers(recordings: [recording("1")], listening: [answer], audit: audit).recordings.count == 1)
    let again = try db.insertAnswers(recordings: [recording("1")], listening: [answer], audit: audit)
    #expect(again.recordings.isEmpty && again.listeningAdded == 0)
    let second = try db.insertAnswers(recordings: [recording("2")], listening: [], audit: audit).recordings
    #expect(second.first?.version == 2)
    #expect(try db.recordings(examId: "E1").map(\.version) == [2])
    #expect(try db.recordings(examId: "E1", currentOnly: false).map(\.isCurrent) == [false, true])
    #expect(try db.recordings(examId: "E1").first?.flags == ["clipped"])
    #expect(try db.listeningAnswers(examId: "E1").count == 1)
  }

  @Test func resultsRoundTrip() throws {
    let db = try ExamDatabase.inMemory()
    _ = try db.importExam(SampleData.exam(), audit: audit)
    _ = try db.importCandidates([SampleData.candidate(1)], audit: audit)
    let result = CandidateResult(
      examId: "E1", candidateId: "C1", sittingDate: "2026-06-14", total: 1.5, listening: 1,
      speaking: 0.5, sectionScores: ["LA": 1, "SA": 0.5], level: "A", finalisedAt: "2026-06-20T00:00:00Z")
    try db.saveResults([result], audit: audit)
    try db.saveResults([result], audit: audit)
    #expect(try db.results(examId: "E1") == [result])
  }
}
