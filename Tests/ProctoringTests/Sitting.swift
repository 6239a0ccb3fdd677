import ExamCore
import ExamStorage
import Proctoring
import _ExamTestSupport

/// A small sitting in an in-memory store: SampleData's exam E1 (LA1 listening, prompt 8 s; SA1 speaking),
/// candidates C1…C6, centre T1 room R1 (2×3, seat 2-3 a reserve), session AM 08:30–10:00 on 2026-06-14,
/// C1→1-1, C2→1-2, C3→1-3, C4→2-1, C5→2-2 (C6 registered, not allocated).
enum Sitting {
  static func store(exam: ExamDefinition = SampleData.exam()) async throws -> ExamDatabase {
    let db = try ExamDatabase.inMemory()
    try await setUp(db, exam: exam)
    return db
  }

  /// Runs `body` on the sitting in a new store of `backend`.
  static func withStore(
    on backend: TestBackend, exam: ExamDefinition = SampleData.exam(),
    _ body: (any ProctoringStore) async throws -> Void
  ) async throws {
    try await backend.withProctoringStore { store in
      try await setUp(store, exam: exam)
      try await body(store)
    }
  }

  static func setUp(_ store: any SittingStore, exam: ExamDefinition) async throws {
    let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "test", command: "setup", arguments: "", summary: "")
    _ = try await store.importExam(exam, audit: audit)
    _ = try await store.importCandidates((1...6).map { SampleData.candidate($0) }, audit: audit)
    _ = try await store.replaceVenues(
      centres: [SampleData.centre()], sessions: [SampleData.session], adjacency: [], audit: audit)
    let seats = ["1-1", "1-2", "1-3", "2-1", "2-2"]
    try await store.replaceAllocation(
      examId: exam.id,
      seats.enumerated().map { k, seat in
        SeatAssignment(
          examId: exam.id, candidateId: "C\(k + 1)", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: seat)
      }, audit: audit)
  }

  /// Writes event lines for machines: `line(seat, "08:31:00", "login", candidate: "C1")`.
  struct Log {
    var lines: [String] = []
    var seq: [String: Int] = [:]

    mutating func add(_ seat: String, _ time: String, _ type: String, candidate: String? = nil, payload: String? = nil)
    {
      let machine = "M-\(seat)"
      let n = (seq[machine] ?? 0) + 1
      seq[machine] = n
      var line =
        "{\"time\":\"2026-06-14T\(time)+08:00\",\"centre\":\"T1\",\"room\":\"R1\",\"seat\":\"\(seat)\",\"machine\":\"\(machine)\",\"seq\":\(n)"
      if let candidate { line += ",\"candidate\":\"\(candidate)\"" }
      line += ",\"type\":\"\(type)\""
      if let payload { line += ",\"payload\":\(payload)" }
      lines.append(line + "}")
    }

    /// A clean sitting for `candidate` at `seat`: login 08:25, checks, both items, heartbeats every 15 s to 09:00, logout.
    mutating func clean(_ seat: String, _ candidate: String, login: String = "08:25:00", logout: String? = "09:00:00") {
      add(seat, login, "login", candidate: candidate)
      add(seat, "08:26:00", "id-check", candidate: candidate, payload: "{\"result\":\"pass\"}")
      add(seat, "08:27:00", "mic-check", candidate: candidate, payload: "{\"level_db\":-20}")
      add(seat, "08:35:00", "item-start", candidate: candidate, payload: "{\"item\":\"LA1\"}")
      add(seat, "08:35:30", "item-end", candidate: candidate, payload: "{\"item\":\"LA1\"}")
      add(seat, "08:40:00", "item-start", candidate: candidate, payload: "{\"item\":\"SA1\"}")
      add(seat, "08:40:20", "recording-saved", candidate: candidate, payload: "{\"item\":\"SA1\"}")
      add(seat, "08:40:21", "item-end", candidate: candidate, payload: "{\"item\":\"SA1\"}")
      heartbeats(seat, candidate, from: login, to: logout ?? "09:00:00")
      if let logout { add(seat, logout, "logout", candidate: candidate) }
    }

    mutating func heartbeats(
      _ seat: String, _ candidate: String?, from: String, to: String, skip: ClosedRange<Int>? = nil
    ) {
      var t = seconds(from) + 15
      while t < seconds(to) {
        if skip?.contains(t) != true { add(seat, clock(t), "heartbeat", candidate: candidate) }
        t += 15
      }
    }

    func seconds(_ hms: String) -> Int {
      let p = hms.split(separator: ":").map { Int($0)! }
      return p[0] * 3600 + p[1] * 60 + p[2]
    }

    func clock(_ s: Int) -> String {
      func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
      return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }

    /// Lines in time order (as a machine-merged log would be), as text.
    var text: String {
      lines.sorted { $0.dropFirst(9).prefix(30) < $1.dropFirst(9).prefix(30) }.joined(separator: "\n") + "\n"
    }
  }
}
