import Allocation
import ExamCore
import ExamStorage
import Proctoring
import Testing
import _ExamTestSupport

@Suite struct IncidentDeskTests {
  let audit = AuditEntry(
    at: "2026-06-14T12:00:00Z", operator: "li", command: "proctor resolve", arguments: "", summary: "")

  /// Runs `body` on the sitting in a store of `backend` with one incident raised on `candidate` at `seat` (given
  /// twice: stored once), and its id.
  func withIncident(
    on backend: TestBackend, candidate: String = "C1", seat: String = "1-1",
    _ body: (any ProctoringStore, Int64) async throws -> Void
  ) async throws {
    try await Sitting.withStore(on: backend) { db in
      let incident = Incident(
        examId: "E1", key: "no-heartbeat:M:1", rule: "no-heartbeat", category: .technical,
        subcategory: "testing workstation", severity: .high, sessionId: "AM", centreId: "T1", roomId: "R1",
        seatId: seat, candidateId: candidate, comment: "silent", evidence: ["event:1"], raisedAt: "t", raisedBy: "scan")
      let added = try await db.recordIncidents(
        [incident, incident],
        audit: AuditEntry(at: "t", operator: "scan", command: "proctor scan", arguments: "", summary: ""))
      #expect(added.count == 1)
      #expect(try await db.incidents(examId: "E1", roomId: nil, openOnly: false) == added)
      try await body(db, try #require(added.first?.id))
    }
  }

  @Test(arguments: TestBackend.all) func reseatsOntoTheFreeReserveAndKeepsEveryDecision(backend: TestBackend)
    async throws
  {
    try await withIncident(on: backend) { db, id in
      let desk = IncidentDesk(store: db)
      _ = try await desk.resolve(id: id, action: .reseat, reason: "machine froze", operator: "li", audit: audit)
      #expect(try await db.assignment(examId: "E1", candidateId: "C1")?.seatId == "2-3")
      _ = try await desk.resolve(id: id, action: .confirm, reason: "checked the log", operator: "wang", audit: audit)
      let decisions = try await db.incidentDecisions(incidentId: id)
      #expect(decisions.map(\.operator) == ["li", "wang"] && decisions.map(\.action) == [.reseat, .confirm])
      #expect(try await db.incidentDecisions(incidentId: nil) == decisions)
      #expect(try await db.incident(id: id)?.status == .confirmed)
      #expect(try await db.incidents(examId: "E1", roomId: "R1", openOnly: true).isEmpty)
      #expect(try await db.incidents(examId: nil, roomId: "R1", openOnly: false).count == 1)
      #expect(try await db.auditTrail(limit: nil).filter { $0.command == "proctor resolve" }.count == 2)
    }
  }

  /// Room R1 as in `Sitting` but 2×4 with reserves 2-3 and 2-4; room R2 (not accessible) and room R3
  /// (accessible) have one reserve seat each.
  static func wideCentre() -> Centre {
    func room(_ id: String, accessible: Bool, columns: Int, reserves: Set<String>) -> Room {
      var seats: [Seat] = []
      for row in 1...2 {
        for column in 1...columns {
          seats.append(
            Seat(id: "\(row)-\(column)", row: row, column: column, reserve: reserves.contains("\(row)-\(column)")))
        }
      }
      return Room(id: id, accessible: accessible, rows: 2, columns: columns, seats: seats)
    }
    return Centre(
      id: "T1", name: "Centre T1", district: "D1",
      rooms: [
        room("R1", accessible: true, columns: 4, reserves: ["2-3", "2-4"]),
        room("R2", accessible: false, columns: 2, reserves: ["1-1"]),
        room("R3", accessible: true, columns: 2, reserves: ["2-2"]),
      ])
  }

  /// The proctoring reseat follows Allocation's rule: a reserve seat reported failed in the session is never
  /// used (it used to take "the first free reserve seat" of the room, failed or not).
  @Test(arguments: TestBackend.all) func reseatNeverUsesASeatReportedFailed(backend: TestBackend) async throws {
    try await withIncident(on: backend) { db, id in
      _ = try await db.replaceVenues(
        centres: [Self.wideCentre()], sessions: [SampleData.session], adjacency: [], audit: audit)
      let empty = try await Reseater(database: db).reseat(
        examId: "E1", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "2-3",
        reason: "screen dead"
      ) { _ in audit }
      #expect(empty == .emptySeatLogged(try #require(try await db.seatFailures(examId: "E1").first)))
      let auditLines = try await db.auditTrail(limit: nil).count
      let decision = try await IncidentDesk(store: db).resolve(
        id: id, action: .reseat, reason: "machine froze", operator: "li", audit: audit)
      #expect(decision.id != nil && decision.action == .reseat)
      #expect(try await db.assignment(examId: "E1", candidateId: "C1")?.seatId == "2-4")
      // One write: the move, its failure record, the decision and one audit line together.
      let failures = try await db.seatFailures(examId: "E1")
      #expect(failures.map(\.seatId) == ["2-3", "1-1"] && failures.last?.toSeatId == "2-4")
      #expect(try await db.incident(id: id)?.status == .actioned)
      #expect(try await db.auditTrail(limit: nil).count == auditLines + 1)
    }
  }

  /// A candidate who needs an accessible seat is moved to an accessible room, never to an inaccessible one.
  @Test(arguments: TestBackend.all) func reseatRespectsAccessibleSeating(backend: TestBackend) async throws {
    try await withIncident(on: backend) { db, id in
      var c1 = SampleData.candidate(1)
      c1.accommodations = [.accessibleSeat]
      _ = try await db.importCandidates([c1], audit: audit)
      _ = try await db.replaceVenues(
        centres: [Self.wideCentre()], sessions: [SampleData.session], adjacency: [], audit: audit)
      for seat in ["2-3", "2-4"] {  // R1 has no reserve seat left
        _ = try await Reseater(database: db).reseat(
          examId: "E1", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: seat,
          reason: "dead"
        ) { _ in audit }
      }
      _ = try await IncidentDesk(store: db).resolve(
        id: id, action: .reseat, reason: "machine froze", operator: "li", audit: audit)
      let seat = try await db.assignment(examId: "E1", candidateId: "C1")
      #expect(seat?.roomId == "R3" && seat?.seatId == "2-2")
    }
  }

  @Test(arguments: [
    ("1-2", ExamError.Code.conflict),  // C2 sits there
    ("9-9", ExamError.Code.invalidInput),  // no such seat
  ])
  func refusesABadReseatTarget(_ c: (String, ExamError.Code)) async throws {
    for backend in TestBackend.all {
      try await withIncident(on: backend) { (db: any ProctoringStore, id: Int64) async throws in
        let e = await #expect(throws: ExamError.self) {
          try await IncidentDesk(store: db).resolve(
            id: id, action: .reseat, reason: "x", operator: "li", seat: c.0, audit: audit)
        }
        #expect(e?.code == c.1)
        #expect(try await db.incidentDecisions(incidentId: id).isEmpty)  // nothing half-written
        #expect(try await db.assignment(examId: "E1", candidateId: "C1")?.seatId == "1-1")
      }
    }
  }

  @Test(arguments: TestBackend.all) func refusesAnEmptyReasonAndAnUnknownIncident(backend: TestBackend) async throws {
    try await withIncident(on: backend) { db, id in
      let desk = IncidentDesk(store: db)
      #expect(
        (await #expect(throws: ExamError.self) {
          try await desk.resolve(id: id, action: .confirm, reason: "  ", operator: "li", audit: audit)
        })?.code == .invalidInput)
      #expect(
        (await #expect(throws: ExamError.self) {
          try await desk.resolve(id: 99, action: .confirm, reason: "x", operator: "li", audit: audit)
        })?.code == .notFound)
    }
  }

  @Test func aScanReportsAMissingRecordingAndGoesOn() async throws {
    try await withTemporaryDirectory { dir in
      let db = try await Sitting.store(exam: ScanTests.exam())
      let content = ContentStore(root: dir.file("store"))
      try await ScanTests.store(
        SyntheticSpeech.voice(seed: 1).speak(seconds: 3, seed: 1), candidate: "C1", item: "SA1", db: db,
        content: content, dir: dir)
      let missing = StoredRecording(
        examId: "E1", candidateId: "C2", itemId: "SA1", originalSha256: String(repeating: "0", count: 64),
        originalName: "x.flac", storedSha256: String(repeating: "0", count: 64), durationSeconds: 1,
        originalSampleRate: 16_000,
        originalChannels: 1, originalFormat: "FLAC/PCM_16", centreId: "T1", recordedAt: "2026-06-14T08:45:00+08:00",
        ingestedAt: "x", batchId: "B")
      _ = try db.insertAnswers(recordings: [missing], listening: [], audit: nil)
      let outcome = try await ProctorScanner(store: db, examId: "E1").scanRecordings(
        contentStore: content, raisedBy: "t",
        audit: audit)
      #expect(outcome.recordingsScanned == 2 && outcome.unreadable.map(\.code) == [.notFound])
    }
  }
}
