import ExamCore
import ExamStorage
import Proctoring
import Testing
import _ExamTestSupport

@Suite struct EventRulesTests {
  /// One incident of every event rule, planted among clean seats (see the comments).
  static func scenario() -> Sitting.Log {
    var log = Sitting.Log()
    log.clean("1-1", "C1")  // clean…
    // …but C1 also logs in at 2-2 while active at 1-1: two-seats, wrong-seat
    log.add("2-2", "08:50:00", "login", candidate: "C1")
    // 1-2: heartbeats stop 08:45–08:47:30 (no-heartbeat) and the client crashes at 08:50.
    log.add("1-2", "08:25:00", "login", candidate: "C2")
    log.add("1-2", "08:35:00", "item-start", candidate: "C2", payload: #"{"item":"LA1"}"#)
    log.add("1-2", "08:35:30", "item-end", candidate: "C2", payload: #"{"item":"LA1"}"#)
    log.add("1-2", "08:40:00", "item-start", candidate: "C2", payload: #"{"item":"SA1"}"#)
    log.add("1-2", "08:40:30", "item-end", candidate: "C2", payload: #"{"item":"SA1"}"#)
    log.heartbeats(
      "1-2", "C2", from: "08:25:00", to: "09:00:00", skip: (8 * 3600 + 45 * 60)...(8 * 3600 + 47 * 60 + 30))
    log.add("1-2", "08:50:00", "client-crash", candidate: "C2")
    log.add("1-2", "09:00:00", "logout", candidate: "C2")
    // 1-3: C3 logs in late, answers LA1 in 3 s (prompt 8 s) and leaves early.
    log.add("1-3", "08:50:00", "login", candidate: "C3")
    log.add("1-3", "08:51:00", "item-start", candidate: "C3", payload: #"{"item":"LA1"}"#)
    log.add("1-3", "08:51:03", "item-end", candidate: "C3", payload: #"{"item":"LA1"}"#)
    log.heartbeats("1-3", "C3", from: "08:50:00", to: "09:10:00")
    log.add("1-3", "09:10:00", "logout", candidate: "C3")
    // 2-1: C4 fails the id check, mic check at -60 dBFS, network lost while recording SA1, works past the end.
    log.add("2-1", "08:25:00", "login", candidate: "C4")
    log.add("2-1", "08:26:00", "id-check", candidate: "C4", payload: #"{"result":"fail"}"#)
    log.add("2-1", "08:27:00", "mic-check", candidate: "C4", payload: #"{"level_db":-60}"#)
    log.add("2-1", "08:35:00", "item-start", candidate: "C4", payload: #"{"item":"LA1"}"#)
    log.add("2-1", "08:35:30", "item-end", candidate: "C4", payload: #"{"item":"LA1"}"#)
    log.add("2-1", "08:40:00", "item-start", candidate: "C4", payload: #"{"item":"SA1"}"#)
    log.add("2-1", "08:40:10", "network-lost", candidate: "C4")
    log.add("2-1", "08:40:30", "network-restored", candidate: "C4")
    log.add("2-1", "08:40:50", "recording-saved", candidate: "C4", payload: #"{"item":"SA1"}"#)
    log.add("2-1", "08:41:00", "item-end", candidate: "C4", payload: #"{"item":"SA1"}"#)
    log.add("2-1", "10:04:00", "item-start", candidate: "C4", payload: #"{"item":"LA1"}"#)
    log.add("2-1", "10:05:00", "item-end", candidate: "C4", payload: #"{"item":"LA1"}"#)
    log.heartbeats("2-1", "C4", from: "08:25:00", to: "10:06:00")
    log.add("2-1", "10:06:00", "logout", candidate: "C4")
    // 2-2: C5 clean; then C6 (registered, no seat) sits there: unknown-candidate, two-candidates.
    log.clean("2-2", "C5")
    log.add("2-2", "09:05:00", "login", candidate: "C6")
    log.heartbeats("2-2", "C6", from: "09:05:00", to: "09:20:00")
    log.add("2-2", "09:20:00", "logout", candidate: "C6")
    // 1-1 after C1 left: X99, who is not registered: unknown-candidate, two-candidates.
    log.add("1-1", "09:30:00", "login", candidate: "X99")
    log.heartbeats("1-1", "X99", from: "09:30:00", to: "09:40:00")
    log.add("1-1", "09:40:00", "logout", candidate: "X99")
    return log
  }

  static let expected: [String: Int] = [
    "two-seats": 1, "wrong-seat": 1, "no-heartbeat": 1, "client-crash": 1, "late-login": 1, "item-too-fast": 1,
    "early-finish": 1, "id-check-failed": 1, "mic-level-low": 1, "network-loss-recording": 1, "session-overrun": 1,
    "unknown-candidate": 2, "two-candidates": 2,
  ]

  func ingest(_ db: any ProctoringStore, _ text: String, in dir: TemporaryDirectory, name: String = "seat.jsonl")
    async throws -> EventIngestSummary
  {
    try AtomicFile.write(text: text, to: dir.file(name))
    let audit = AuditEntry(
      at: "2026-06-14T12:00:00Z", operator: "test", command: "proctor ingest", arguments: name, summary: "")
    var ingester = EventLogIngester(store: db, examId: "E1")
    ingester.batchSize = 50  // several batches in flight, even for these small logs
    return try await ingester.ingest(paths: [dir.file(name)], audit: { _ in audit })
  }

  @Test(arguments: TestBackend.all) func everyPlantedIncidentIsRaisedOnceAndNothingElse(backend: TestBackend)
    async throws
  {
    try await withTemporaryDirectory { dir in
      try await Sitting.withStore(on: backend) { db in
        _ = try await ingest(db, Self.scenario().text, in: dir)
        let scanner = ProctorScanner(store: db, examId: "E1")
        let audit = AuditEntry(
          at: "2026-06-14T12:00:00Z", operator: "test", command: "proctor scan", arguments: "", summary: "")
        let first = try await scanner.scanEvents(raisedBy: "test", audit: audit)
        let counts = Dictionary(grouping: first.added, by: \.rule).mapValues(\.count)
        #expect(counts == Self.expected, "\(first.added.map { "\($0.rule): \($0.comment)" }.joined(separator: "\n"))")
        // Every incident cites the events behind it.
        #expect(first.added.allSatisfy { !$0.evidence.isEmpty && $0.evidence.allSatisfy { $0.hasPrefix("event:") } })
        let silent = try #require(first.added.first { $0.rule == "no-heartbeat" })
        #expect(silent.seatId == "1-2" && silent.suggestion?.contains("T1/R1/2-3") == true)
        #expect(first.added.first { $0.rule == "two-seats" }?.candidateId == "C1")
        #expect(first.added.first { $0.rule == "wrong-seat" }?.seatId == "2-2")
        // The same finding twice is one incident.
        let second = try await scanner.scanEvents(raisedBy: "test", audit: audit)
        #expect(second.added.isEmpty && second.found == first.found)
        #expect(try await db.incidents(examId: "E1", roomId: nil, openOnly: false).count == first.added.count)
      }
    }
  }

  @Test(arguments: TestBackend.all) func aCleanSeatRaisesNothing(backend: TestBackend) async throws {
    try await withTemporaryDirectory { dir in
      try await Sitting.withStore(on: backend) { db in
        var log = Sitting.Log()
        log.clean("1-1", "C1")
        log.clean("1-2", "C2")
        _ = try await ingest(db, log.text, in: dir)
        let outcome = try await ProctorScanner(store: db, examId: "E1").scanEvents(
          raisedBy: "test",
          audit: AuditEntry(at: "", operator: "t", command: "c", arguments: "", summary: ""))
        #expect(outcome.added.isEmpty, "\(outcome.added.map(\.comment))")
      }
    }
  }

  @Test(arguments: TestBackend.all) func ingestReportsBadLinesAndAddsNothingTheSecondTime(backend: TestBackend)
    async throws
  {
    try await withTemporaryDirectory { dir in
      try await Sitting.withStore(on: backend) { db in
        var log = Sitting.Log()
        log.clean("1-1", "C1")
        var lines = log.text.split(separator: "\n").map(String.init)
        lines.insert("{not json", at: 3)
        lines.insert("", at: 5)
        lines.insert(
          #"{"time":"2026-06-14T08:31:02Z","centre":"T1","room":"R1","seat":"1","machine":"M","seq":1,"type":"teleport"}"#,
          at: 7)
        let text = lines.joined(separator: "\r\n")  // CRLF logs are fine too
        let first = try await ingest(db, text, in: dir)
        #expect(first.parsed == log.lines.count && first.added == log.lines.count)
        #expect(first.badLines.map(\.location) == ["line 4", "line 8"])
        #expect(first.badLines.allSatisfy { $0.code == .invalidInput && $0.file == dir.file("seat.jsonl") })
        let second = try await ingest(db, text, in: dir, name: "copy.jsonl")
        #expect(second.parsed == log.lines.count && second.added == 0)
        #expect(try await db.seatEventCount(examId: "E1") == log.lines.count)
      }
    }
  }

  /// A line over the limit is reported and skipped without being held whole; the lines around it still count.
  @Test(arguments: TestBackend.all) func anOverlongLineIsReportedNotHeld(backend: TestBackend) async throws {
    try await withTemporaryDirectory { dir in
      try await Sitting.withStore(on: backend) { db in
        var log = Sitting.Log()
        log.clean("1-1", "C1")
        var lines = log.lines
        // 9 MiB: spans three read buffers
        lines.insert(#"{"x":""# + String(repeating: "a", count: 9 << 20) + "\"}", at: 2)
        // The last line, with no newline after it.
        lines.append(String(repeating: "b", count: EventLogIngester.maxLineBytes + 1))
        let summary = try await ingest(db, lines.joined(separator: "\n"), in: dir)
        #expect(summary.parsed == log.lines.count && summary.added == log.lines.count)
        #expect(summary.badLines.map(\.location) == ["line 3", "line \(lines.count)"])
        #expect(
          summary.badLines.first?.description.contains("\((9 << 20) + 8) bytes long") == true, "\(summary.badLines)")
      }
    }
  }

  @Test(arguments: TestBackend.all) func anEmptyLogOrAFolderIsReportedNotPassedAsAQuietRoom(backend: TestBackend)
    async throws
  {
    // #17 class 16: an empty log exited 0 silently; a folder exited 1.
    try await withTemporaryDirectory { dir in
      try await Sitting.withStore(on: backend) { db in
        for text in ["", "\n  \n"] {
          let summary = try await ingest(db, text, in: dir)
          #expect(summary.emptyLogs == 1 && summary.parsed == 0)
          #expect(summary.badLines.first?.message.contains("holds no events") == true)
        }
        let folder = await #expect(throws: ExamError.self) {
          try await EventLogIngester(store: db, examId: "E1").ingest(
            paths: [dir.path],
            audit: { _ in
              AuditEntry(at: "", operator: "t", command: "proctor ingest", arguments: "", summary: "")
            })
        }
        #expect(folder?.exitCode == 65)
      }
    }
  }

  @Test func aMissingLogIsNotFound() async throws {
    let db = try await Sitting.store()
    let e = await #expect(throws: ExamError.self) {
      try await EventLogIngester(store: db, examId: "E1").ingest(
        paths: ["/nonexistent/log.jsonl"],
        audit: { _ in AuditEntry(at: "", operator: "", command: "", arguments: "", summary: "") })
    }
    #expect(e?.code == .notFound)
  }
}
