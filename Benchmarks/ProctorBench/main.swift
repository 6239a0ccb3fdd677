// proctor-bench: builds benchmark sittings and measures the proctoring rules (see docs/benchmarks.md, ## Proctoring).
//
//   proctor-bench setup --db PATH|URL --centres N [--rooms R] [--seats S]   a city sitting in a new store (exam SH-BENCH)
//   proctor-bench recordings --db PATH --candidates N --truth FILE      synthetic answers with planted faults
//   proctor-bench duplicates --recordings N [--seconds S]               duplicate search scaling (synthetic fingerprints)
//   proctor-bench score --db PATH --truth FILE                          precision/recall of incidents against the truth
//   proctor-bench parse LOG… | decode LOG…                              parse time: our scanner vs JSONDecoder per line
//   (the voice-change rule on real speakers is measured by `voice-eval` (Benchmarks/VoiceEval), docs/accuracy.md)
import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Proctoring

let examId = "SH-BENCH"
let arguments = Array(CommandLine.arguments.dropFirst())
guard let verb = arguments.first else {
  print("usage: proctor-bench setup|recordings|duplicates|score [options]")
  exit(64)
}

@MainActor func option(_ name: String) -> String? {
  guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
  return arguments[i + 1]
}
@MainActor func intOption(_ name: String, _ fallback: Int) -> Int { option(name).flatMap(Int.init) ?? fallback }
func now() -> Double { Date().timeIntervalSince1970 }
let audit = AuditEntry(
  at: Timestamp.now(), operator: "proctor-bench", command: "bench \(verb)", arguments: "", summary: "benchmark")

do {
  switch verb {
  case "setup":
    // --db: a SQLite file, or a postgres:// URL (a database `exam db migrate` has made)
    let location = option("db") ?? "bench.sqlite"
    let store: any SittingStore =
      PostgresStore.isPostgresURL(location)
      ? try await PostgresStore.connect(url: location) : try ExamDatabase(path: location)
    try await setup(
      db: store, centres: intOption("centres", 90), rooms: intOption("rooms", 10), seats: intOption("seats", 30))
    if let postgres = store as? PostgresStore { await postgres.close() }
  case "recordings":
    let path = option("db") ?? "bench.sqlite"
    try plantRecordings(
      db: try ExamDatabase(path: path), store: ContentStore(root: AtomicFile.parentOf(path) + "/store"),
      candidates: intOption("candidates", 150), truth: option("truth") ?? "truth.csv")
  case "duplicates":
    duplicateScaling(recordings: intOption("recordings", 10_000), seconds: Double(intOption("seconds", 20)))
  case "parse":
    parseOnly(Array(arguments.dropFirst()))
  case "decode":
    decodeOnly(Array(arguments.dropFirst()))
  case "score":
    try score(
      db: try ExamDatabase(path: option("db") ?? "bench.sqlite"), truth: option("truth") ?? "truth.csv",
      exam: option("exam") ?? examId)
  default:
    print("unknown verb \(verb)")
    exit(64)
  }
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}

/// The bench exam: 6 listening items (prompts 8–18 s) and 3 read-aloud items.
func benchExam() -> ExamDefinition {
  let listening = (1...6).map {
    ItemDefinition(id: "L\($0)", type: .choice, points: 1, answerKey: "B", promptSeconds: Double(6 + 2 * $0))
  }
  let speaking = (1...3).map {
    ItemDefinition(id: "S\($0)", type: .readSentence, points: 2, referenceText: "text", maxAnswerSeconds: 30)
  }
  return ExamDefinition(
    id: examId, title: "Proctoring benchmark",
    sections: [
      SectionDefinition(id: "L", title: "Listening", part: .listening, points: 6, items: listening),
      SectionDefinition(id: "S", title: "Speaking", part: .speaking, points: 6, items: speaking),
    ], packSha256: String(repeating: "b", count: 64))
}

func setup(db: any SittingStore, centres: Int, rooms: Int, seats: Int) async throws {
  _ = try await db.importExam(benchExam(), audit: audit)
  var venueList: [Centre] = []
  var allocation: [SeatAssignment] = []
  var candidates: [Candidate] = []
  let columns = 6
  for c in 1...centres {
    let centreId = String(format: "T%03d", c)
    var roomList: [Room] = []
    for r in 1...rooms {
      let roomId = String(format: "R%02d", r)
      let total = seats + 2
      let rows = (total + columns - 1) / columns
      var seatList: [Seat] = []
      for k in 0..<total {
        let seat = Seat(
          id: "\(k / columns + 1)-\(k % columns + 1)", row: k / columns + 1, column: k % columns + 1,
          machineId: "\(centreId)-\(roomId)-\(k + 1)", reserve: k >= seats)
        seatList.append(seat)
        if !seat.reserve {
          let n = candidates.count + 1
          candidates.append(
            Candidate(
              id: String(format: "C%06d", n), name: "Candidate \(n)", nationalId: String(format: "ID%016d", n),
              school: "S\(c)", district: "D\(c % 16)"))
          allocation.append(
            SeatAssignment(
              examId: examId, candidateId: candidates[n - 1].id, sessionId: "AM", centreId: centreId,
              roomId: roomId, seatId: seat.id))
        }
      }
      roomList.append(Room(id: roomId, accessible: false, rows: rows, columns: columns, seats: seatList))
    }
    venueList.append(Centre(id: centreId, name: "Centre \(c)", district: "D\(c % 16)", rooms: roomList))
  }
  // Standby registrations without a seat (they appear in planted "two candidates on one seat" cases).
  for k in 1...max(10, candidates.count / 100) {
    candidates.append(
      Candidate(
        id: String(format: "W%06d", k), name: "Standby \(k)", nationalId: String(format: "SB%016d", k),
        school: "S0", district: "D0"))
  }
  _ = try await db.importCandidates(candidates, audit: audit)
  _ = try await db.replaceVenues(
    centres: venueList, sessions: [ExamSession(id: "AM", date: "2026-06-14", start: "08:30", end: "10:00")],
    adjacency: [], audit: audit)
  try await db.replaceAllocation(examId: examId, allocation, audit: audit)
  print("store ready: exam \(examId), \(allocation.count) seated candidates in \(centres * rooms) rooms")
}
