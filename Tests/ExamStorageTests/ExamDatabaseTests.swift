import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@Suite struct ExamDatabaseTests {
  @Test func migratesAndKeepsAnAuditTrail() throws {
    let database = try ExamDatabase.inMemory()
    #expect(try database.appliedMigrations().first == "v1-core")
    try database.appendAudit(
      AuditEntry(at: "2026-06-14T00:00:00Z", operator: "li", command: "init", arguments: "", summary: "a"))
    try database.appendAudit(
      AuditEntry(at: "2026-06-14T00:00:01Z", operator: "li", command: "x", arguments: "y", summary: "b"))
    #expect(try database.auditTrail().map(\.summary) == ["a", "b"])
    #expect(try database.auditTrail(limit: 1).map(\.summary) == ["b"])
  }

  @Test func opensAFileStoreInWALModeTwice() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("sub/exam.sqlite")
      _ = try ExamDatabase(path: path)
      let again = try ExamDatabase(path: path)
      #expect(try again.appliedMigrations().count >= 1)
      #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }
  }

  @Test func contentStoreStoresOnceAndAtomically() async throws {
    try await withTemporaryDirectory { dir in
      let store = ContentStore(root: dir.file("store"))
      let sha = try store.put(bytes: Array("hello".utf8), ext: "txt")
      #expect(sha == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
      #expect(store.path(sha256: sha, ext: "txt").hasSuffix("/2c/f2/\(sha).txt"))
      try "hello".write(toFile: dir.file("h.txt"), atomically: true, encoding: .utf8)
      #expect(try store.put(fileAtPath: dir.file("h.txt"), ext: "txt") == sha)
      let files = try FileManager.default.subpathsOfDirectory(atPath: dir.file("store")).filter {
        $0.hasSuffix(".txt") || $0.contains(".tmp")
      }
      #expect(files == ["2c/f2/\(sha).txt"])
    }
  }
}
