import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import ExamCLI
@testable import MarkingServer

/// `exam raters import|password|disable|list` on a store file.
@Suite struct RatersCommandTests {
  func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var c = command as? any AsyncParsableCommand { try await c.run() } else { try command.run() }
  }

  @Test(arguments: TestBackend.all) func importSetsRolesAndFirstPasswordsThenDisableEndsLogins(backend: TestBackend)
    async throws
  {
    try await DeskFixture.on(backend, answers: 3) { f in
      let db = f.databasePath
      try "rater_id,name,school,role\nN1,New One,S7,\nN2,New Two,S8,office\n".write(
        toFile: f.dir.file("more.csv"), atomically: true, encoding: .utf8)
      try await run([
        "raters", "import", f.dir.file("more.csv"), "--arbiter", "N1", "--passwords-out", f.dir.file("first.csv"),
        "--bcrypt-cost-for-tests", "4", "--db", db, "--quiet",
      ])
      let accounts = Dictionary(uniqueKeysWithValues: try await f.database.raterAccounts().map { ($0.rater.id, $0) })
      #expect(
        accounts["N1"]?.role == .arbiter && accounts["N2"]?.role == .office && accounts["N1"]?.hasPassword == true)
      let attributes = try FileManager.default.attributesOfItem(atPath: f.dir.file("first.csv"))
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
      let table = try CSVTable(
        parsing: try String(contentsOfFile: f.dir.file("first.csv"), encoding: .utf8), source: "first.csv")
      #expect(table.rows.map { table.value($0, "rater_id") }.sorted() == ["N1", "N2"])
      let password = table.value(table.rows[0], "password")
      let stored = try #require(
        try await f.database.raterAccount(id: table.value(table.rows[0], "rater_id"))?.passwordHash)
      #expect(PasswordHashing.verify(password, hash: stored) && !stored.contains(password))

      try await run(["raters", "disable", "R2", "--db", db, "--quiet"])
      #expect(try await f.database.raterAccount(id: "R2")?.account.disabled == true)
      try await f.application().test(.router) { client in
        var browser = DeskClient(client)
        let status = try await browser.login("R2")
        #expect(status == .unauthorized)
      }
      #expect(
        try await f.database.auditTrail(limit: nil).contains { $0.command == "raters disable" && $0.arguments == "R2" })
    }
  }

  @Test(arguments: TestBackend.all) func aBadRoleOrATooLowCostIsRefused(backend: TestBackend) async throws {
    try await DeskFixture.on(backend, answers: 3) { f in
      try "rater_id,name,school,role\nN1,New,S7,boss\nN2,Two,S8,\n".write(
        toFile: f.dir.file("bad.csv"), atomically: true, encoding: .utf8)
      await #expect {
        try await run(["raters", "import", f.dir.file("bad.csv"), "--db", f.databasePath, "--quiet"])
      } throws: {
        ($0 as? ExamError)?.code == .invalidInput && ($0 as? ExamError)?.location == "line 2, column role"
      }
      #expect(try await f.database.raterAccount(id: "N1") == nil)
      #expect(throws: (any Error).self) {
        try ExamCommand.parseAsRoot(["raters", "password", "R1", "--bcrypt-cost-for-tests", "2"])
      }
    }
  }
}
