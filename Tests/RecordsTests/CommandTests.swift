import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import Records

@Suite struct RecordsCommandTests {
  struct BadInput: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(arguments: [
    BadInput(arguments: ["records", "sync"], message: "Give --exam ID (or --all)."),
    BadInput(
      arguments: ["records", "export", "--format", "pdf", "--out", "o", "--sign", "k"],
      message: "'--format' takes json, csv and html, comma-separated (got 'pdf')."),
    BadInput(
      arguments: ["records", "export", "--format", "json", "--out", "o", "--sign", "k", "--unmask"],
      message: "'--unmask' needs '--reason \"…\"'"),
    BadInput(
      arguments: ["records", "export", "--format", "json", "--out", "o", "--sign", "k", "--reason", "x"],
      message: "'--reason' goes with '--unmask'."),
  ])
  func rejectsBadInput(_ c: BadInput) {
    do {
      _ = try ExamCommand.parseAsRoot(c.arguments)
      Issue.record("accepted \(c.arguments)")
    } catch {
      #expect(ExamCommand.message(for: error).hasPrefix(c.message))
    }
  }

  static func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var a = command as? AsyncParsableCommand { try await a.run() } else { try command.run() }
  }

  /// The records commands on either backend (`--db exam.sqlite` or `--db postgres://…`).
  @Test(arguments: TestBackend.all) func importSyncExportVerifyThroughTheCommands(backend: TestBackend) async throws {
    try await withTemporaryDirectory { dir in
      try await backend.withCommandStore(in: dir) { (db: String, database: any RecordsStore) async throws in
        try await Self.run(["init", "--db", db, "--operator", "wang"])
        try await Fixtures.examWithCandidates(database, examId: "E1", students: 1...2)
        try await database.saveResults(
          [Fixtures.result("E1", 1, total: 2, date: "2026-06-14")], audit: Fixtures.audit())
        try Fixtures.csv(Fixtures.completeStudent(1) + Fixtures.completeStudent(2))
          .write(toFile: dir.file("r.csv"), atomically: true, encoding: .utf8)
        try await Self.run(["records", "import", dir.file("r.csv"), "--db", db, "--operator", "wang"])
        try await Self.run(["records", "sync", "--exam", "E1", "--db", db, "--operator", "wang", "--json"])
        #expect(try await database.recordTestSittings(RecordFilter())[Fixtures.nationalId(1)]?.count == 1)
        try await Self.run(["records", "check", "--db", db, "--json"])
        try await Self.run(["keys", "generate", dir.file("office")])
        try await Self.run([
          "records", "export", "--format", "json,csv,html", "--out", dir.file("out"), "--sign",
          dir.file("office.key"), "--db", db, "--operator", "li", "--quiet",
        ])
        try await Self.run(["records", "verify", dir.file("out"), "--pubkey", dir.file("office.pub")])
        let trail = try await database.auditTrail(limit: nil)
        #expect(trail.map(\.command).suffix(3) == ["records import", "records sync", "records export"])
        #expect(trail.last?.operator == "li")
        try "tampered".write(toFile: dir.file("out/records.json"), atomically: true, encoding: .utf8)
        await #expect(throws: ExamError.self) {
          try await Self.run(["records", "verify", dir.file("out"), "--pubkey", dir.file("office.pub")])
        }
      }
    }
  }
}
