import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import Packs

@Suite struct ImportTests {
  func audit() -> AuditEntry {
    AuditEntry(at: "2026-06-01T08:00:00Z", operator: "test", command: "pack import", arguments: "", summary: "")
  }

  /// Regular files under `root`, relative.
  func storeFiles(_ root: String) -> [String] {
    (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
      .filter { !FileSystem.isDirectory(root + "/" + $0) }.sorted()
  }

  @Test func importIsIdempotentAndStoresReferenceAudio() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let key = SigningKey()
    let pack = fixture.directory.file("t.exampack")
    let built = try PackBuilder.build(directory: fixture.path, output: pack, signingKey: key)
    let database = try ExamDatabase(path: fixture.directory.file("exam.sqlite"))
    let store = ContentStore(root: fixture.directory.file("store"))

    let first = try await PackImporter.importPack(
      pack, database: database, store: store, audit: audit(), trust: .key(key.publicKey))
    #expect(first.outcome == "inserted")
    #expect(first.referenceAudio == 1)
    let filesAfterFirst = storeFiles(store.root)
    let exam = try database.requireExam(id: "T-1")
    #expect(exam.packSha256 == built.sha256)
    #expect(exam.formCount == 2)
    let sha = try #require(exam.item("SA1")?.referenceAudioSha256)
    let stored = store.path(sha256: sha, ext: "flac")
    let info = try audioFileInfo(atPath: stored)
    #expect(info.sampleRate == 16_000 && info.channelCount == 1 && info.format == "FLAC/PCM_16")
    #expect(abs(info.durationSeconds - 1.5) < 0.01)
    #expect(try Digest.sha256(fileAtPath: stored) == sha)
    #expect(store.contains(sha256: built.sha256, ext: "exampack"))
    #expect(try database.auditTrail().filter { $0.command == "pack import" }.count == 1)

    // Reopened from the content store, into the store's private scratch folder, removed on close.
    let reopened = try OpenedPack.openImported(exam, store: store)
    #expect(reopened.pack.directory.hasPrefix(store.root + "/.scratch/"))
    #expect(reopened.pack.source.itemOrder(form: 0)["SP"] == ["SA1", "SB1"])
    #expect(reopened.pack.source.itemOrder(form: 1)["SP"] == ["SB1", "SA1"])
    #expect(reopened.pack.source.itemOrder(form: 2)["SP"] == ["SA1", "SB1"])
    #expect(reopened.pack.source.itemOrder(form: 1)["LA"] == ["LA1"])
    reopened.close()
    #expect(storeFiles(store.root) == filesAfterFirst)

    let second = try await PackImporter.importPack(
      pack, database: database, store: store, audit: audit(), trust: .key(key.publicKey))
    #expect(second.outcome == "unchanged")
    #expect(storeFiles(store.root) == filesAfterFirst)
    #expect(try database.requireExam(id: "T-1") == exam)
    #expect(try database.auditTrail().filter { $0.command == "pack import" }.count == 1)
  }

  @Test func aDifferentPackUnderTheSameIdIsRefused() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let database = try ExamDatabase(path: fixture.directory.file("exam.sqlite"))
    let store = ContentStore(root: fixture.directory.file("store"))
    let a = fixture.directory.file("a.exampack")
    _ = try PackBuilder.build(directory: fixture.path, output: a)
    _ = try await PackImporter.importPack(a, database: database, store: store, audit: audit(), trust: .unsignedAllowed)
    try PackFixture.yaml.replacingOccurrences(of: "Where is Tom?", with: "Where is Ann?")
      .write(toFile: fixture.file("pack.yaml"), atomically: true, encoding: .utf8)
    let b = fixture.directory.file("b.exampack")
    _ = try PackBuilder.build(directory: fixture.path, output: b)
    let before = storeFiles(store.root)
    let error = await #expect(throws: ExamError.self) {
      try await PackImporter.importPack(
        b, database: database, store: store, audit: self.audit(), trust: .unsignedAllowed)
    }
    #expect(error?.code == .conflict)
    #expect(storeFiles(store.root) == before)
    #expect(try database.requireExam(id: "T-1").item("LA1")?.promptText?.hasPrefix("Where is Tom?") == true)
  }

  @Test func aTamperedPackIsNotImported() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = fixture.directory.file("t.exampack")
    _ = try PackBuilder.build(directory: fixture.path, output: pack, signingKey: SigningKey())
    var bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    let audio = try Data(contentsOf: URL(fileURLWithPath: fixture.file("audio/LA1.flac")))
    let range = try #require(bytes.range(of: audio))
    bytes[range.lowerBound + 100] ^= 0x80
    try bytes.write(to: URL(fileURLWithPath: pack))
    let database = try ExamDatabase(path: fixture.directory.file("exam.sqlite"))
    let errors = await #expect(throws: ExamErrors.self) {
      try await PackImporter.importPack(
        pack, database: database, store: ContentStore(root: fixture.directory.file("store")), audit: self.audit(),
        trust: .unsignedAllowed)
    }
    #expect(errors?.errors.first?.location == "audio/LA1.flac")
    #expect(try database.examIds().isEmpty)
  }

  @Test func theSamplePackValidatesBuildsAndImports() async throws {
    let pack = try PackValidator.validate(directory: SamplePack.path)
    let exam = pack.examDefinition(packSha256: "")
    #expect(exam.id == "SH-2026-EL")
    #expect(exam.totalPoints == 35)
    #expect(exam.formCount == 2)
    #expect(exam.sections.filter { $0.part == .listening }.reduce(0) { $0 + $1.points } == 25)
    #expect(exam.sections.filter { $0.part == .speaking }.reduce(0) { $0 + $1.points } == 10)
    let pointsByType = Dictionary(grouping: exam.items, by: \.type).mapValues { $0.reduce(0) { $0 + $1.points } }
    #expect(pointsByType[.readSentence] == 1)
    #expect(pointsByType[.readPassage] == 1)
    #expect(pointsByType[.situational] == 2)
    #expect(pointsByType[.pictureTalk] == 1.5)
    #expect(pointsByType[.quickResponse] == 2)
    #expect(pointsByType[.summary] == 2.5)
    #expect(exam.items.filter { $0.type == .choice }.allSatisfy { $0.answerKey != nil && $0.promptSeconds != nil })
    #expect(exam.items.filter(\.type.isSpoken).allSatisfy { $0.rubric != nil && $0.maxAnswerSeconds != nil })
    let total = pack.files.reduce(0) { $0 + (FileSystem.size(SamplePack.path + "/" + $1) ?? 0) }
    #expect(total < 3_200_000, "the sample pack should stay small (\(total) bytes)")

    let dir = TemporaryDirectory("sample")
    defer { dir.remove() }
    let key = SigningKey()
    _ = try PackBuilder.build(directory: SamplePack.path, output: dir.file("sh.exampack"), signingKey: key)
    let database = try ExamDatabase(path: dir.file("exam.sqlite"))
    let report = try await PackImporter.importPack(
      dir.file("sh.exampack"), database: database,
      store: ContentStore(root: dir.file("store")), audit: audit(), trust: .key(key.publicKey))
    #expect(report.items == 36 && report.referenceAudio == 2)
    let opened = try OpenedPack.open(dir.file("sh.exampack"), trust: .key(key.publicKey))
    defer { opened.close() }
    let summary = PackSummary(opened)
    #expect(summary.partPoints == ["listening": 25, "speaking": 10])
    #expect(summary.forms.map(\.id) == ["A", "B"])
    #expect(summary.sections.allSatisfy { $0.requiredSeconds <= $0.timeLimitSeconds })
    #expect(summary.text.contains("form B: LA as LA6"))
    let stored = try database.requireExam(id: "SH-2026-EL")
    #expect(stored.items.filter(\.type.isReadAloud).allSatisfy { $0.referenceAudioSha256 != nil })
  }
}
