import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import ExamCLI
@testable import Packs

/// The `exam pack` commands end to end, and the messages an exam officer sees.
@Suite struct PackCommandTests {
  func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
  }

  struct Message: Sendable, CustomTestStringConvertible {
    let old: String
    let new: String
    /// The printed line after `error: <dir>/`.
    let line: String
    var testDescription: String { line }
  }

  @Test(arguments: [
    Message(
      old: "prompt_audio: audio/LA1.flac", new: "prompt_adio: audio/LA1.flac",
      line:
        "pack.yaml: sections[0].items[0].prompt_adio (line 21): unknown key 'prompt_adio' in an item — remove it or correct its spelling (did you mean 'prompt_audio'?)"
    ),
    Message(
      old: "reference_audio: audio/SA1.flac", new: "reference_audio: audio/SA2.flac",
      line:
        "pack.yaml: sections[1].items[0].reference_audio: media file 'audio/SA2.flac' does not exist in the pack folder — add the file at DIR/audio/SA2.flac or correct the path (did you mean 'audio/SA1.flac'?)"
    ),
    Message(
      old: "total_points: 3", new: "total_points: 4",
      line:
        "pack.yaml: exam.total_points: the paper is worth 4 points but its sections add up to 3 — set total_points: 3 or correct the sections' points"
    ),
    Message(
      old: "time_limit_seconds: 60", new: "time_limit_seconds: 20",
      line:
        "pack.yaml: sections[1].time_limit_seconds: section 'SP' needs 35.0 s (prompts + preparation + answer windows) but its limit is 20 s — raise time_limit_seconds to at least 35 or shorten the items' windows"
    ),
  ])
  func validatePrintsWhereAndHow(_ m: Message) async throws {
    let fixture = try PackFixture.replacing(m.old, with: m.new)
    defer { fixture.remove() }
    do {
      try await run(["pack", "validate", fixture.path])
      Issue.record("accepted")
    } catch let errors as ExamErrors {
      let lines = errors.errors.map { "\($0)" }
      let expected = fixture.path + "/" + m.line.replacingOccurrences(of: "DIR", with: fixture.path)
      #expect(lines.contains(expected), "got:\n\(lines.joined(separator: "\n"))")
      #expect(errors.exitCode == 65)
    }
  }

  /// The fixture's pack built as `t.exampack`, signed with a key made beside it (`office.key`, `office.pub`).
  func signedPack(_ fixture: PackFixture) async throws -> String {
    let dir = fixture.directory
    try await run(["keys", "generate", dir.file("office")])
    let pack = dir.file("t.exampack")
    try await run(["pack", "build", fixture.path, "-o", pack, "--sign", dir.file("office.key")])
    return pack
  }

  @Test func buildVerifyTamperInspectImport() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let dir = fixture.directory
    let pack = try await signedPack(fixture)
    try await run(["pack", "verify", pack, "--pubkey", dir.file("office.pub")])
    try await run(["pack", "inspect", pack, "--pubkey", dir.file("office.pub"), "--json"])

    let tampered = dir.file("tampered.exampack")
    var bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    let audio = try Data(contentsOf: URL(fileURLWithPath: fixture.file("audio/SA1.flac")))
    let range = try #require(bytes.range(of: audio))
    bytes[range.lowerBound + 10] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: tampered))
    do {
      try await run(["pack", "verify", tampered, "--pubkey", dir.file("office.pub")])
      Issue.record("a tampered pack verified")
    } catch let errors as ExamErrors {
      #expect(errors.errors.map(\.description).contains { $0.hasPrefix("\(tampered): audio/SA1.flac: ") })
    }

    let db = dir.file("exam.sqlite")
    try await run(["init", "--db", db])
    try await run(["keys", "trust", dir.file("office.pub"), "--db", db, "--operator", "li"])
    try await run(["pack", "import", pack, "--db", db, "--pubkey", dir.file("office.pub"), "--operator", "li"])
    try await run(["pack", "import", pack, "--db", db, "--operator", "li"])
    let database = try ExamDatabase(path: db)
    #expect(try database.examIds() == ["T-1"])
    let trail = try database.auditTrail().filter { $0.command == "pack import" }
    #expect(trail.count == 1)
    #expect(trail.first?.operator == "li")
  }

  /// On a PostgreSQL store: keys trusted and revoked, a signed pack imported with its reference readings in the
  /// shared content store (--store), the same pack again changes nothing, and a revoked signer's pack is refused.
  @Test(.enabled(if: TestPostgres.isAvailable)) func keysAndPackImportRunOnPostgres() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let dir = fixture.directory
    let pack = try await signedPack(fixture)
    let url = try TestPostgres.makeDatabase(label: "packs")
    defer { TestPostgres.dropDatabase(url) }
    let shared = dir.file("shared-store")
    try await run(["init", "--db", url])
    try await run(["keys", "trust", dir.file("office.pub"), "--db", url, "--operator", "li"])
    try await run(["pack", "import", pack, "--db", url, "--store", shared, "--operator", "li"])
    try await run(["pack", "import", pack, "--db", url, "--store", shared, "--operator", "li"])
    let store = try await PostgresStore.connect(url: url)
    let exam = try #require(try await store.exam(id: "T-1"))
    let readings = exam.sections.flatMap(\.items).compactMap(\.referenceAudioSha256)
    #expect(!readings.isEmpty)
    for sha in readings { #expect(ContentStore(root: shared).contains(sha256: sha, ext: "flac")) }
    #expect(ContentStore(root: shared).contains(sha256: exam.packSha256, ext: "exampack"))
    #expect(try await store.auditTrail(limit: nil).filter { $0.command == "pack import" }.count == 1)
    let signer = try #require(try await store.trustedSigners().first)
    try await run(["keys", "revoke", String(signer.fingerprint.prefix(8)), "--db", url])
    #expect(try await store.trustedSigners().first?.isRevoked == true)
    await store.close()
  }

  @Test func encryptWritesTheKeyBesideThePackAndRefusesToOverwriteIt() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = fixture.directory.file("s.exampack")
    try await run(["pack", "build", fixture.path, "-o", pack, "--encrypt"])
    let key = fixture.directory.file("s.key")
    #expect(FileManager.default.fileExists(atPath: key))
    let first = try Data(contentsOf: URL(fileURLWithPath: pack))
    await #expect(throws: ExamError.self) { try await run(["pack", "build", fixture.path, "-o", pack, "--encrypt"]) }
    try await run(["pack", "build", fixture.path, "-o", pack, "--reuse-key", key])
    #expect(try Data(contentsOf: URL(fileURLWithPath: pack)) == first)
    try await run(["pack", "verify", pack, "--key", key, "--allow-unsigned"])
  }

  @Test func everyPackCommandHasAnExample() throws {
    for name in ["validate", "build", "verify", "inspect", "import"] {
      let help = ExamCommand.helpMessage(
        for: try #require(
          ExamCommand.Pack.configuration.subcommands.first {
            $0.configuration.commandName == name
          }))
      #expect(help.contains("Example:"), "\(name) --help lacks an example")
    }
  }
}
