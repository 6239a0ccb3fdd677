import ExamCore
import Foundation
import GRDB
import Testing
import _ExamTestSupport

@testable import ExamStorage

/// `exam(id:)` decodes an exam once per store handle and decodes again when the stored pack changes.
@Suite struct ExamDefinitionCacheTests {
  static let audit = AuditEntry(at: "2026-06-14T09:00:00Z", operator: "test", command: "t", arguments: "", summary: "")

  @Test func anExamIsDecodedOnceAndKeptPerHandle() async throws {
    try await withTemporaryDirectory { dir in
      let database = try ExamDatabase(path: dir.file("exam.sqlite"))
      #expect(try database.exam(id: "E1") == nil)
      _ = try database.importExam(SampleData.exam(), audit: Self.audit)
      let first = try database.requireExam(id: "E1")
      #expect(first == SampleData.exam())
      let version = ExamDefinitionCache.Version(
        packSha256: SampleData.exam().packSha256, importedAt: Self.audit.at)
      #expect(database.examCache.definition("E1", at: version) == first)
      // A copy of the handle shares what was decoded.
      let copy = database
      #expect(copy.examCache.definition("E1", at: version) == first)
      #expect(try copy.requireExam(id: "E1") == first)
    }
  }

  @Test func aPackImportedAgainUnderTheSameIdIsDecodedAfresh() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("exam.sqlite")
      let server = try ExamDatabase(path: path)
      _ = try server.importExam(SampleData.exam(), audit: Self.audit)
      #expect(try server.requireExam(id: "E1").title == "Sample")
      // Another process on the same file removes the exam and imports a new paper under its id.
      let other = try ExamDatabase(path: path)
      try other.write { db in try db.execute(sql: "DELETE FROM exam WHERE id = 'E1'") }
      #expect(try server.exam(id: "E1") == nil)
      var paper = SampleData.exam(packSha256: String(repeating: "b", count: 64))
      paper.title = "Second paper"
      var later = Self.audit
      later.at = "2026-06-15T09:00:00Z"
      _ = try other.importExam(paper, audit: later)
      #expect(try server.requireExam(id: "E1") == paper)
      // The same pack again after removal, imported later: a new version too.
      try other.write { db in try db.execute(sql: "DELETE FROM exam WHERE id = 'E1'") }
      later.at = "2026-06-16T09:00:00Z"
      _ = try other.importExam(SampleData.exam(packSha256: paper.packSha256), audit: later)
      #expect(try server.requireExam(id: "E1").title == "Sample")
    }
  }

  /// The same on PostgreSQL: a second server's new paper under the same id is read afresh, in one statement a call.
  @Test(.enabled(if: TestPostgres.isAvailable)) func aPostgresStoreKeepsTheDefinitionUntilThePackChanges()
    async throws
  {
    let dir = TemporaryDirectory("exam-cache")
    defer { dir.remove() }
    try await TestBackend.postgres.withCommandStore(in: dir) { url, store in
      let server = try #require(store as? PostgresStore)
      #expect(try await server.exam(id: "E1") == nil)
      _ = try await server.importExam(SampleData.exam(), audit: Self.audit)
      let first = try await server.requireExam(id: "E1")
      #expect(first == SampleData.exam())
      #expect(server.examCache.kept("E1")?.exam == first)
      #expect(try await server.requireExam(id: "E1") == first)
      let other = try await PostgresStore.connect(url: url)
      try await other.client.query("DELETE FROM exam WHERE id = 'E1'")
      #expect(try await server.exam(id: "E1") == nil)
      var paper = SampleData.exam(packSha256: String(repeating: "b", count: 64))
      paper.title = "Second paper"
      var later = Self.audit
      later.at = "2026-06-15T09:00:00Z"
      _ = try await other.importExam(paper, audit: later)
      #expect(try await server.requireExam(id: "E1") == paper)
      await other.close()
    }
  }
}
