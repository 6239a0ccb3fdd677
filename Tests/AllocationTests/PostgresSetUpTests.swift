import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Allocation

/// The set-up of a sitting through `exam` on a PostgreSQL store gives what it gives on SQLite: the same roster and
/// venues, the same seat plan for a seed, byte-identical exports, the same reseat, the same audit trail.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresSetUpTests {
  /// Runs the set-up on `db` (a SQLite path or a postgres:// URL, made by `exam init`) and returns what it produced.
  func setUp(_ db: String, store: any SittingStore, out: String) async throws -> (
    plan: [SeatAssignment], seats: String, tickets: String, reseated: SeatAssignment?, commands: [String]
  ) {
    _ = try await store.importExam(SampleData.exam(id: "SH-2026-EL"), audit: auditLine("exam"))
    try await exam(["candidates", "import", "\(samplePack)/roster.csv", "--db", db])
    try await exam(["candidates", "import", "\(samplePack)/roster.csv", "--db", db])  // again: nothing changes
    try await exam(["centres", "import", "\(samplePack)/centres.yaml", "--db", db])
    try await exam(["allocate", "--exam", "SH-2026-EL", "--seed", "7", "--db", db])
    try await exam(["allocate", "export", "--format", "all", "--out", out, "--db", db])
    let plan = try await store.allocation(examId: "SH-2026-EL")
    let victim = try #require(plan.first { $0.candidateId != "2026010040" })
    try await exam([
      "allocate", "reseat", "--session", victim.sessionId, "--centre", victim.centreId, "--room", victim.roomId,
      "--seat", victim.seatId, "--reason", "screen dead", "--db", db,
    ])
    try await exam(["allocate", "show", "--candidate", victim.candidateId, "--db", db])
    try await exam(["audit", "--last", "3", "--db", db])
    return (
      plan, try String(contentsOfFile: out + "/seats.csv", encoding: .utf8),
      try String(contentsOfFile: out + "/tickets.csv", encoding: .utf8),
      try await store.assignment(examId: "SH-2026-EL", candidateId: victim.candidateId),
      try await store.auditTrail(limit: nil).map(\.command)
    )
  }

  @Test func theSetUpOfASittingRunsOnPostgresAsOnSQLite() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("exam.sqlite")
      try await exam(["init", "--db", path, "--quiet"])
      let sqlite = try await setUp(path, store: try ExamDatabase(path: path), out: dir.file("sqlite"))

      let url = try TestPostgres.makeDatabase(label: "setup")
      defer { TestPostgres.dropDatabase(url) }
      try await exam(["init", "--db", url, "--quiet"])  // creates the schema
      let store = try await PostgresStore.connect(url: url)
      let postgres = try await setUp(url, store: store, out: dir.file("postgres"))
      #expect(try await store.candidates().count == 96)
      #expect(try await store.centres() == ExamDatabase(path: path).centres())
      await store.close()

      #expect(postgres.plan.count == 96 && postgres.plan == sqlite.plan)
      #expect(postgres.seats == sqlite.seats && postgres.tickets == sqlite.tickets)
      #expect(postgres.reseated != nil && postgres.reseated == sqlite.reseated)
      #expect(postgres.commands == sqlite.commands)
      #expect(postgres.commands.suffix(2) == ["allocate", "allocate reseat"])
    }
  }
}

@Suite struct StoreOptionTests {
  @Test func storeIsRefusedWithASQLiteStore() async throws {
    let error = await #expect(throws: ExamError.self) {
      try await exam(["audit", "--store", "/tmp", "--db", "x.sqlite"])
    }
    #expect(error?.code == .usage && error?.location == "--store /tmp")
  }
}
