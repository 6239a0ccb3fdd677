import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import CentreServer

@Suite("CentreServer: exam centres tokens", .serialized)
struct CentreTokensTests {
  static func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    guard var asyncCommand = command as? AsyncParsableCommand else { return try command.run() }
    try await asyncCommand.run()
  }

  @Test(arguments: TestBackend.all) func aTokenIsKeptOnlyAsItsHashAndRevocationIsImmediate(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let out = f.dir.file("T1.token")
      try await Self.run([
        "centres", "tokens", "issue", "--centre", "T1", "--out", out, "--db", f.databasePath, "--operator", "clerk",
      ])
      let secret = try String(contentsOfFile: out, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(secret.hasPrefix("exk_") && secret.count == 68)
      #expect(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int == 0o600)
      let token = try #require(try await f.serverStore.activeToken(sha256: AccessTokens.hash(secret)))
      #expect(token.centreId == "T1" && token.role == .centre && token.issuedBy == "clerk")
      // the secret is nowhere in the store file (a PostgreSQL store is given the same hash alone)
      if backend == .sqlite {
        let raw = try Data(contentsOf: URL(fileURLWithPath: f.databasePath))
        #expect(raw.range(of: Data(secret.utf8)) == nil)
      }

      try await f.withServer { server in
        let http = HTTP(server: server)
        #expect(try await http.send("POST", "/uploads", token: secret, headers: ["Upload-Length": "10"]).status == 201)
        try await Self.run(["centres", "tokens", "revoke", token.id, "--db", f.databasePath, "--operator", "clerk"])
        #expect(try await http.send("POST", "/uploads", token: secret, headers: ["Upload-Length": "10"]).status == 401)
      }
      let audit = try await f.serverStore.auditTrail(limit: nil).map(\.summary)
      #expect(audit.contains("issued centre token \(token.id) for centre T1"))
      #expect(audit.contains("revoked token \(token.id) of centre T1"))
    }
  }

  @Test(arguments: TestBackend.all) func issuingNeedsAKnownCentreOrTheOfficeFlag(backend: TestBackend) async throws {
    try await ServerFixture.on(backend) { f in
      let error = await #expect(throws: ExamError.self) {
        try await Self.run(["centres", "tokens", "issue", "--centre", "T9", "--db", f.databasePath])
      }
      #expect(error?.code == .notFound)
      #expect(throws: (any Error).self) {
        _ = try ExamCommand.parseAsRoot(["centres", "tokens", "issue", "--centre", "T1", "--office"])
      }
      #expect(throws: (any Error).self) { _ = try ExamCommand.parseAsRoot(["serve", "--listen", "nowhere"]) }
      #expect(throws: (any Error).self) { _ = try ExamCommand.parseAsRoot(["serve", "--tls-cert", "c.pem"]) }
      // the ingest workers' queue is in PostgreSQL
      #expect(throws: (any Error).self) {
        _ = try ExamCommand.parseAsRoot(["serve", "--ingest-workers", "--db", f.dir.file("exam.sqlite")])
      }
    }
  }
}
