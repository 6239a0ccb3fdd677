import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

@Suite struct BackboneTests {
  let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "t", command: "test", arguments: "", summary: "")

  @Test(arguments: TestBackend.all) func examImportIsIdempotentAndRefusesASwappedPaper(backend: TestBackend)
    async throws
  {
    try await backend.withStore { (db: any SittingStore) async throws in
      #expect(try await db.importExam(SampleData.exam(), audit: audit) == .inserted)
      #expect(try await db.importExam(SampleData.exam(), audit: audit) == .unchanged)
      let error = await #expect(throws: ExamError.self) {
        try await db.importExam(SampleData.exam(packSha256: String(repeating: "b", count: 64)), audit: audit)
      }
      #expect(error?.code == .conflict)
      #expect(try await db.requireExam(id: "E1") == SampleData.exam())
      #expect((await #expect(throws: ExamError.self) { try await db.requireExam(id: "nope") })?.code == .notFound)
      #expect(try await db.resolveExamId(nil) == "E1")
      #expect(try await db.auditTrail(limit: nil).count == 1)
    }
  }

  @Test(arguments: TestBackend.all) func readsByCandidateGoPastSQLitesVariableLimitInPieces(backend: TestBackend)
    async throws
  {
    try await backend.withStore { (db: any SittingStore) async throws in
      let roster = (1...1_203).map { SampleData.candidate($0, school: $0 % 2 == 0 ? "Even" : "Odd") }
      #expect(try await db.importCandidates(roster, audit: audit).inserted == 1_203)
      let ids = Set((1...1_203).map { SampleData.candidate($0).id } + ["nobody"])
      let found = try await db.candidates(ids: ids)
      #expect(found.count == 1_203)  // three pieces of 500, 500 and 204 ids in SQLite; the unknown id is left out
      #expect(found == roster.sorted { $0.id < $1.id })
      #expect(try await db.candidates(ids: []).isEmpty)
      #expect(try await db.allocation(examId: "E1", candidateIds: ids).isEmpty)  // none is allocated
    }
    let db = try ExamDatabase.inMemory()
    _ = try db.importCandidates(
      (1...1_203).map { SampleData.candidate($0, school: $0 % 2 == 0 ? "Even" : "Odd") }, audit: audit)
    let schools = try db.schools(ofCandidates: Set((1...1_203).map { SampleData.candidate($0).id }))
    #expect(schools[SampleData.candidate(1_202).id] == "Even" && schools[SampleData.candidate(7).id] == "Odd")
  }

  @Test(arguments: TestBackend.all) func candidatesVenuesAllocationAndReseat(backend: TestBackend) async throws {
    var centre = SampleData.centre()
    centre.rooms[0].seats[0].machineId = "PC-01"
    try await backend.withStore { (db: any SittingStore) async throws in
      _ = try await db.importExam(SampleData.exam(), audit: audit)
      let first = try await db.importCandidates([SampleData.candidate(1), SampleData.candidate(2)], audit: audit)
      #expect(first.inserted == 2)
      let again = try await db.importCandidates([SampleData.candidate(1), SampleData.candidate(2)], audit: audit)
      #expect(again.unchanged == 2 && again.inserted == 0)
      var renamed = SampleData.candidate(2)
      renamed.name = "Renamed"
      let changed = try await db.importCandidates([SampleData.candidate(1), renamed], audit: audit)
      #expect(changed.updated == 1 && changed.unchanged == 1)
      #expect(try await db.candidate(id: "C2")?.name == "Renamed")
      var renamedAgain = renamed
      renamedAgain.name = "Renamed twice"
      let repeated = try await db.importCandidates([renamed, renamedAgain], audit: audit)  // the last row wins
      #expect(repeated.updated == 1 && repeated.unchanged == 1)
      #expect(try await db.candidate(id: "C2")?.name == "Renamed twice")
      var clash = SampleData.candidate(3)
      clash.nationalId = SampleData.candidate(1).nationalId
      #expect(
        (await #expect(throws: ExamError.self) { try await db.importCandidates([clash], audit: audit) })?.code
          == .conflict)
      #expect(try await db.candidates().count == 2)
      let trail = try await db.auditTrail(limit: 2)
      #expect(trail.count == 2 && trail.last?.id ?? 0 > trail.first?.id ?? 0)  // the newest lines, oldest first

      #expect(
        try await db.replaceVenues(
          centres: [centre], sessions: [SampleData.session], adjacency: [("D1", "D2")], audit: audit))
      #expect(
        try await !db.replaceVenues(
          centres: [centre], sessions: [SampleData.session], adjacency: [("D1", "D2")], audit: audit))
      #expect(try await db.centres() == [centre])
      #expect(try await db.sessions() == [SampleData.session])
      #expect(try await db.districtAdjacency()["D2"] == ["D1"])
      try await db.replaceAllocation(
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
      let taken = await #expect(throws: ExamError.self) {
        try await db.recordSeatFailure(move(to: "1-2"), decision: nil, audit: audit)
      }
      #expect(taken?.code == .conflict)
      #expect(try await db.seatFailures(examId: "E1").isEmpty)  // nothing half-written
      _ = try await db.recordSeatFailure(move(to: "2-3"), decision: nil, audit: audit)
      #expect(try await db.assignment(examId: "E1", candidateId: "C1")?.seatId == "2-3")
      #expect(try await db.seatFailures(examId: "E1") == [move(to: "2-3")])
      let twice = await #expect(throws: ExamError.self) {
        try await db.recordSeatFailure(move(to: "1-3"), decision: nil, audit: audit)
      }
      #expect(twice?.code == .conflict)
      // A venue import that would orphan an allocated seat is refused, and changes nothing.
      var smaller = centre
      smaller.rooms[0].seats.removeLast()
      let orphan = await #expect(throws: ExamError.self) {
        try await db.replaceVenues(centres: [smaller], sessions: [SampleData.session], adjacency: [], audit: audit)
      }
      #expect(orphan?.code == .conflict)
      #expect(try await db.centres() == [centre])
      // One that drops an unused seat and renames the centre is taken, the seat plan kept.
      var fewer = centre
      fewer.name = "Renamed centre"
      fewer.rooms[0].seats.removeAll { $0.id == "2-2" }
      #expect(try await db.replaceVenues(centres: [fewer], sessions: [SampleData.session], adjacency: [], audit: audit))
      #expect(try await db.centres() == [fewer])
      #expect(try await db.districtAdjacency().isEmpty)
      #expect(try await db.allocation(examId: "E1").count == 2)
      // A report that fails once the rows are written (the plan check found a hard violation) saves nothing.
      await #expect(throws: ExamError.self) {
        try await db.saveSeatPlan(examId: "E1", [], seed: 41, audit: audit) {
          throw ExamError(.state, "the planner produced 1 hard-constraint violation(s)", fix: "report it")
        }
      }
      #expect(try await db.allocation(examId: "E1").count == 2)
      #expect(try await db.seatFailures(examId: "E1").count == 1)
      try await db.saveSeatPlan(examId: "E1", [], seed: 42, audit: audit) {
        SeatPlanReport(json: "{}", summary: "a new plan")
      }
      #expect(try await db.allocationRun(examId: "E1")?.seed == 42)
      #expect(try await db.seatFailures(examId: "E1").isEmpty)  // a new plan starts a new failure log
    }
  }

  @Test(arguments: TestBackend.all) func trustedSignersAreTrustedRevokedAndTrustedAgain(backend: TestBackend)
    async throws
  {
    try await backend.withStore { (db: any SittingStore) async throws in
      let key = TrustedSigner(
        fingerprint: "0123456789abcdef", publicKey: "a2V5", label: "office", trustedAt: "t1", trustedBy: "li")
      #expect(try await db.trustSigner(key, audit: audit))
      #expect(try await !db.trustSigner(key, audit: audit))  // trusted already: nothing changes
      var impostor = key
      impostor.publicKey = "b3RoZXI="
      #expect(
        (await #expect(throws: ExamError.self) { try await db.trustSigner(impostor, audit: audit) })?.code == .conflict)
      let short = await #expect(throws: ExamError.self) {
        try await db.revokeSigner(fingerprint: "0123", at: "t2", by: "wang", audit: audit)
      }
      #expect(short?.code == .usage)
      let unknown = await #expect(throws: ExamError.self) {
        try await db.revokeSigner(fingerprint: "ffffffff", at: "t2", by: "wang", audit: audit)
      }
      #expect(unknown?.code == .notFound)
      let revoked = try await db.revokeSigner(fingerprint: "01234567", at: "t2", by: "wang", audit: audit)
      #expect(revoked.isRevoked && revoked.revokedBy == "wang")
      #expect(try await db.trustedSigners() == [revoked])
      #expect(try await db.trustSigner(key, audit: audit))  // trusted anew: the revocation is cleared
      #expect(try await db.trustedSigners().first?.isRevoked == false)
      #expect(try await db.auditTrail(limit: nil).count == 3)
    }
  }

  @Test(arguments: TestBackend.all) func recordingsAreTakenOnceAndConflictsBecomeVersions(backend: TestBackend)
    async throws
  {
    try await backend.withStore { (store: any SittingStore) async throws in
      let db = try #require(store as? any AnswerStore)
      _ = try await db.importExam(SampleData.exam(), audit: audit)
      _ = try await db.importCandidates([SampleData.candidate(1), SampleData.candidate(2)], audit: audit)
      func recording(_ sha: Character, candidate: String = "C1", seat: String? = nil) -> StoredRecording {
        StoredRecording(
          examId: "E1", candidateId: candidate, itemId: "SA1", originalSha256: String(repeating: sha, count: 64),
          originalName: "a.wav", storedSha256: String(repeating: "f", count: 64), durationSeconds: 3,
          originalSampleRate: 16000,
          originalChannels: 1, originalFormat: "WAV/PCM_16", centreId: "T1", seatId: seat,
          recordedAt: "2026-06-14T08:40:00Z", ingestedAt: "2026-06-14T12:00:00Z", batchId: "b1", flags: ["clipped"])
      }
      let answer = ListeningAnswer(
        examId: "E1", candidateId: "C1", itemId: "LA1", choice: "B", answeredAt: "2026-06-14T08:35:00Z",
        centreId: "T1", batchId: "b1")
      let first = try await db.insertAnswers(recordings: [recording("1")], listening: [answer], audit: audit)
      #expect(first.recordings.count == 1 && first.recordings.first?.id != nil && first.listeningAdded == 1)
      let again = try await db.insertAnswers(recordings: [recording("1")], listening: [answer], audit: audit)
      #expect(again.recordings.isEmpty && again.listeningAdded == 0)
      let second = try await db.insertAnswers(
        recordings: [recording("2"), recording("2"), recording("3", candidate: "C2", seat: "1-2")], listening: [],
        audit: audit
      ).recordings
      #expect(second.map(\.version) == [2, 1])  // the same bytes twice in one call are taken once
      #expect(try await db.recordings(examId: "E1", currentOnly: true).map(\.version) == [2, 1])
      let all = try await db.recordings(examId: "E1", currentOnly: false)
      #expect(all.map(\.isCurrent) == [false, true, true])
      #expect(all.map(\.id) == [first.recordings[0].id] + second.map(\.id))
      #expect(all.first?.flags == ["clipped"] && all.first?.seatId == nil && all.last?.seatId == "1-2")
      #expect(
        try await db.recordingKeys(examId: "E1", candidateIds: ["C2", "nobody"]) == [
          "C2|SA1|" + String(repeating: "3", count: 64)
        ])
      #expect(try await db.listeningChoices(examId: "E1", candidateIds: ["C1"]) == ["C1|LA1": "B"])
      #expect(try await db.listeningAnswers(examId: "E1") == [answer])
      #expect(try await db.auditTrail(limit: nil).count == 4)  // exam, roster and the two calls that added

      // A batch: a run started twice, finished once, its refused files replaced by the last run's.
      _ = try await db.replaceVenues(centres: [SampleData.centre()], sessions: [], adjacency: [], audit: audit)
      let start = try await db.beginIngestBatch(
        id: "b1", examId: "E1", centreId: "T1", sessionId: nil, source: "b1.zip", at: "t1", audit: audit)
      #expect(start.previousRuns == 0 && !start.finishedBefore)
      func refused(_ file: String, _ line: Int?) -> QuarantineRecord {
        QuarantineRecord(
          batchId: "b1", file: file, line: line, candidateId: line == nil ? "C1" : nil, itemId: nil, reason: "bad",
          message: "m", quarantinedAs: nil, at: "t2")
      }
      try await db.finishIngestBatch(
        id: "b1", at: "t2", reportJSON: "{}", quarantine: [refused("x.wav", nil), refused("answers.csv:3", 3)],
        audit: audit)
      #expect(try await db.quarantined(batchId: "b1") == [refused("answers.csv:3", 3), refused("x.wav", nil)])
      let rerun = try await db.beginIngestBatch(
        id: "b1", examId: "E1", centreId: "T1", sessionId: nil, source: "b1/", at: "t3", audit: audit)
      #expect(rerun.previousRuns == 1 && rerun.finishedBefore)
      #expect(try await db.ingestBatches(centreId: "T1").first?.finishedAt == nil)  // running again
      try await db.finishIngestBatch(id: "b1", at: "t4", reportJSON: "{}", quarantine: [], audit: audit)
      let batch = try #require(try await db.ingestBatches(centreId: nil).first)
      #expect(batch.runs == 2 && batch.source == "b1/" && batch.finishedAt == "t4")
      #expect(try await db.quarantined(batchId: "b1").isEmpty)
    }
  }

  /// Two callers beginning one batch at once (two ingest workers taking the same queued batch) both begin it, one
  /// run after the other; neither fails on the batch's key.
  @Test(arguments: TestBackend.all) func aBatchBegunTwiceAtOnceHasTwoRuns(backend: TestBackend) async throws {
    try await backend.withProctoringStore { (db: any ProctoringStore) async throws in
      _ = try await db.importExam(SampleData.exam(), audit: audit)
      _ = try await db.replaceVenues(centres: [SampleData.centre()], sessions: [], adjacency: [], audit: audit)
      for n in 1...10 {
        async let first = db.beginIngestBatch(
          id: "b\(n)", examId: "E1", centreId: "T1", sessionId: nil, source: "a", at: "t", audit: audit)
        async let second = db.beginIngestBatch(
          id: "b\(n)", examId: "E1", centreId: "T1", sessionId: nil, source: "b", at: "t", audit: audit)
        let (a, b) = try await (first, second)
        #expect(Set([a.previousRuns, b.previousRuns]) == [0, 1])
      }
      let batches = try await db.ingestBatches(centreId: "T1")
      #expect(batches.count == 10 && batches.allSatisfy { $0.runs == 2 })
    }
  }
}
