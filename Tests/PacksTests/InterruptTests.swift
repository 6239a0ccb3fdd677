import ArgumentParser
import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import ExamCLI
@testable import Packs

/// Issue #17 class 9: Ctrl-C or `kill` during an encrypted `pack import` removes the decrypted files at once
/// (not only at the next pack command), and the command exits 128 + the signal.
@Suite struct InterruptTests {
  static let binary = SharedData.repositoryRoot + "/.build/debug/exam"

  func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
  }

  /// Everything under `folder`, relative ([] when it is empty or missing).
  func entries(_ folder: String) -> [String] {
    ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).sorted()
  }

  @Test(
    .enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs .build/debug/exam (swift build)"),
    arguments: [SIGINT, SIGTERM])
  func anInterruptedEncryptedImportRemovesItsDecryptedFiles(number: Int32) async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let dir = fixture.directory
    // A reference reading of 20 minutes at 22.05 kHz: import is still converting it to 16 kHz FLAC (seconds)
    // when the signal comes, with the decrypted pack.yaml — the answer key — in store/.scratch.
    try writeMono(
      TestSignal.sine(hertz: 220, seconds: 1_200, sampleRate: 22_050), sampleRate: 22_050,
      to: fixture.file("audio/SA1.flac"), encoding: .flac16)
    let sign = SigningKey()
    try sign.write(privateTo: dir.file("office.key"), publicTo: dir.file("office.pub"))
    let content = ContentKey()
    try content.write(to: dir.file("content.key"))
    let pack = dir.file("sealed.exampack")
    _ = try PackBuilder.build(directory: fixture.path, output: pack, signingKey: sign, contentKey: content)
    let db = dir.file("exam.sqlite")
    try await run(["init", "--db", db, "--quiet"])
    try await run(["keys", "trust", dir.file("office.pub"), "--db", db, "--quiet"])
    let scratch = dir.file("store/.scratch")

    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = ["pack", "import", pack, "--key", dir.file("content.key"), "--db", db]
    let log = dir.file("import.log")
    FileManager.default.createFile(atPath: log, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    defer { try? handle.close() }
    process.standardOutput = handle
    process.standardError = handle
    try process.run()

    // Signal once the decrypted pack.yaml is on disk. A blocking poll on the thread this test holds: under a
    // parallel test run an awaited sleep may not be resumed for longer than the import's whole window.
    let start = ContinuousClock.now
    while process.isRunning, !entries(scratch).contains(where: { $0.hasSuffix("/pack.yaml") }),
      ContinuousClock.now - start < .seconds(300)
    {
      usleep(2_000)
    }
    let heldDecrypted = entries(scratch).filter { $0.hasSuffix("/pack.yaml") }
    try #require(process.isRunning, "the import ended before it could be interrupted: \(Self.text(log))")
    try #require(!heldDecrypted.isEmpty, "no decrypted pack.yaml appeared in \(scratch)")
    kill(process.processIdentifier, number)
    while process.isRunning, ContinuousClock.now - start < .seconds(360) {
      try await Task.sleep(for: .milliseconds(10))
    }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()

    #expect(process.terminationReason == .exit, "ended by the signal, not by its handler: \(Self.text(log))")
    #expect(process.terminationStatus == 128 + number, "\(Self.text(log))")
    #expect(entries(scratch) == [], "left in store/.scratch")
    #expect(Self.text(log).contains("interrupted: 1 private temporary folder(s) removed"), "\(Self.text(log))")
    #expect(try ExamDatabase(path: db).examIds() == [], "an interrupted import registered the exam")
  }

  static func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
