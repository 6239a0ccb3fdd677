import ExamCore
import ExamStorage
import Proctoring
import Testing
import _ExamTestSupport

@Suite struct IncidentDeskTests {
  let audit = AuditEntry(at: "2026-06-14T12:00:00Z", operator: "li", command: "proctor resolve", arguments: "", summary: "")

  func storeWithIncident(candidate: String = "C1", seat: String = "1-1") throws -> (ExamDatabase, Int64) {
    let db = try Sitting.store()
    let incident = Incident(examId: "E1", key: "no-heartbeat:M:1", rule: "no-heartbeat", category: .technical,
      subcategory: "testing workstation", severity: .high, sessionId: "AM", centreId: "T1", roomId: "R1", seatId: seat,
      candidateId: candidate, comment: "silent", evidence: ["event:1"], raisedAt: "t", raisedBy: "scan")
    let added = try db.recordIncidents([incident, incident],
      audit: AuditEntry(at: "t", operator: "scan", command: "proctor scan", arguments: "", summary: ""))
    #expect(added.count == 1)
    return (db, try #require(added.first?.id))
  }

  @Test func reseatsOntoTheFreeReserveAndKeepsEveryDecision() throws {
    let (db, id) = try storeWithIncident()
    let desk = IncidentDesk(database: db)
    _ = try desk.resolve(id: id, action: .reseat, reason: "machine froze", operator: "li", audit: audit)
    #expect(try db.assignment(examId: "E1", candidateId: "C1")?.seatId == "2-3")
    _ = try desk.resolve(id: id, action: .confirm, reason: "checked the log", operator: "wang", audit: audit)
    let decisions = try db.incidentDecisions(incidentId: id)
    #expect(decisions.map(\.operator) == ["li", "wang"] && decisions.map(\.action) == [.reseat, .confirm])
    #expect(try db.incident(id: id)?.status == .confirmed)
    #expect(try db.auditTrail().filter { $0.command == "proctor resolve" }.count == 2)
  }

  @Test(arguments: [
    ("1-2", ExamError.Code.conflict),  // C2 sits there
    ("9-9", ExamError.Code.invalidInput),  // no such seat
  ])
  func refusesABadReseatTarget(_ c: (String, ExamError.Code)) throws {
    let (db, id) = try storeWithIncident()
    let e = #expect(throws: ExamError.self) {
      try IncidentDesk(database: db).resolve(id: id, action: .reseat, reason: "x", operator: "li", seat: c.0, audit: audit)
    }
    #expect(e?.code == c.1)
    #expect(try db.incidentDecisions(incidentId: id).isEmpty)  // nothing half-written
    #expect(try db.assignment(examId: "E1", candidateId: "C1")?.seatId == "1-1")
  }

  @Test func refusesAnEmptyReasonAndAnUnknownIncident() throws {
    let (db, id) = try storeWithIncident()
    let desk = IncidentDesk(database: db)
    #expect((#expect(throws: ExamError.self) { try desk.resolve(id: id, action: .confirm, reason: "  ", operator: "li", audit: audit) })?.code == .invalidInput)
    #expect((#expect(throws: ExamError.self) { try desk.resolve(id: 99, action: .confirm, reason: "x", operator: "li", audit: audit) })?.code == .notFound)
  }

  @Test func aScanReportsAMissingRecordingAndGoesOn() async throws {
    try await withTemporaryDirectory { dir in
      let db = try Sitting.store(exam: ScanTests.exam())
      let content = ContentStore(root: dir.file("store"))
      try ScanTests.store(SyntheticSpeech.voice(seed: 1).speak(seconds: 3, seed: 1), candidate: "C1", item: "SA1", db: db,
        content: content, dir: dir)
      let missing = StoredRecording(examId: "E1", candidateId: "C2", itemId: "SA1", originalSha256: String(repeating: "0", count: 64),
        originalName: "x.flac", storedSha256: String(repeating: "0", count: 64), durationSeconds: 1, originalSampleRate: 16_000,
        originalChannels: 1, originalFormat: "FLAC/PCM_16", centreId: "T1", recordedAt: "2026-06-14T08:45:00+08:00",
        ingestedAt: "x", batchId: "B")
      _ = try db.insertAnswers(recordings: [missing], listening: [], audit: nil)
      let outcome = try await ProctorScanner(database: db, examId: "E1").scanRecordings(contentStore: content, raisedBy: "t",
        audit: audit)
      #expect(outcome.recordingsScanned == 2 && outcome.unreadable.map(\.code) == [.notFound])
    }
  }
}
