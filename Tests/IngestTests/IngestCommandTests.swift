import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Ingest

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Ingest: exam audio ingest")
struct IngestCommandTests {
  static func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    guard var asyncCommand = command as? AsyncParsableCommand else { return try command.run() }
    try await asyncCommand.run()
  }

  @Test func exitsWith65WhenAnythingIsRefusedAndZeroOtherwise() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var good = BatchBuilder(f.dir.file("batches/good"))
    try good.add("C1", "SA1", file: "C1.wav", samples: SyntheticSpeech.toneBursts(seconds: 1))
    try good.write()
    try await Self.run([
      "audio", "ingest", good.folder, "--centre", "T1", "--session", "AM", "--db", f.dir.file("exam.sqlite"), "--quiet",
    ])
    var bad = BatchBuilder(f.dir.file("batches/bad"))
    try bad.add("C2", "SA1", file: "C2.wav", bytes: Array("text".utf8))
    try bad.write()
    do {
      try await Self.run(["audio", "ingest", bad.folder, "--centre", "T1", "--db", f.dir.file("exam.sqlite"), "--json"])
      Issue.record("a refused file must end with exit code 65")
    } catch let exit as ExitCode {
      #expect(exit.rawValue == 65)
    }
    #expect(try f.database.recordings(examId: "E1").count == 1)
  }

  @Test func unknownCentreAndMissingStoreAreClearErrors() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let b = BatchBuilder(f.dir.file("batches/x"))
    try b.write()
    let e = await #expect(throws: ExamError.self) {
      try await Self.run(["audio", "ingest", b.folder, "--centre", "T9", "--db", f.dir.file("exam.sqlite")])
    }
    #expect(e?.code == .notFound)
    let missing = await #expect(throws: ExamError.self) {
      try await Self.run([
        "audio", "ingest", f.dir.file("nowhere"), "--centre", "T1", "--db", f.dir.file("exam.sqlite"),
      ])
    }
    #expect(missing?.code == .notFound)
    let noManifest = await #expect(throws: ExamError.self) {
      try FileManager.default.createDirectory(atPath: f.dir.file("empty"), withIntermediateDirectories: true)
      try await Self.run(["audio", "ingest", f.dir.file("empty"), "--centre", "T1", "--db", f.dir.file("exam.sqlite")])
    }
    #expect(noManifest?.code == .invalidInput)
  }

  @Test func rejectsBadJobs() {
    do {
      _ = try ExamCommand.parseAsRoot(["audio", "ingest", "x", "--centre", "T1", "--jobs", "0"])
      Issue.record("accepted --jobs 0")
    } catch {
      #expect(ExamCommand.message(for: error).hasPrefix("'--jobs' must be at least 1 (got 0)."))
    }
  }

  /// Kills a real `exam audio ingest` process with SIGKILL once it has committed some recordings, runs it again,
  /// and checks the store equals a run that was never interrupted.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: SharedData.repositoryRoot + "/.build/debug/exam")))
  func aKilledProcessRerunEndsAsIfRunOnce() async throws {
    let binary = SharedData.repositoryRoot + "/.build/debug/exam"
    func make(_ f: IngestFixture) throws -> String {
      var b = BatchBuilder(f.dir.file("batches/T1"))
      for n in 1...3 {
        for item in ["SA1", "SA2"] {
          try b.add(
            "C\(n)", item, file: "C\(n)-\(item).wav",
            samples: SyntheticSpeech.toneBursts(seconds: 19, sampleRate: 48_000, seed: UInt64(n * 10 + item.count)),
            sampleRate: 48_000)
        }
      }
      try b.write()
      return b.folder
    }
    func launch(_ f: IngestFixture, _ folder: String, killAfter: Int? = nil) throws -> Process {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: binary)
      p.arguments =
        [
          "audio", "ingest", folder, "--centre", "T1", "--db", f.dir.file("exam.sqlite"), "--quiet", "--jobs", "1",
          "--commit-every", "1",
        ]
        + (killAfter.map { ["--kill-after-commits", String($0)] } ?? [])
      p.standardOutput = FileHandle.nullDevice
      try p.run()
      return p
    }
    let clean = try IngestFixture()
    defer { clean.dir.remove() }
    let cleanRun = try launch(clean, try make(clean))
    cleanRun.waitUntilExit()
    #expect(cleanRun.terminationStatus == 0)

    let killed = try IngestFixture()
    defer { killed.dir.remove() }
    let folder = try make(killed)
    // The process sends itself SIGKILL right after its second commit: a real kill, at a known point.
    let victim = try launch(killed, folder, killAfter: 2)
    victim.waitUntilExit()
    #expect(victim.terminationReason == .uncaughtSignal && victim.terminationStatus == SIGKILL)
    let afterKill = try killed.database.recordings(examId: "E1").count
    #expect(afterKill == 2)
    let rerun = try launch(killed, folder)
    rerun.waitUntilExit()
    #expect(rerun.terminationStatus == 0)
    let resumed = Set(
      try killed.database.recordings(examId: "E1", currentOnly: false).map(CrashRecoveryTests.Essence.init))
    let once = Set(try clean.database.recordings(examId: "E1", currentOnly: false).map(CrashRecoveryTests.Essence.init))
    #expect(resumed == once && resumed.count == 6)
    #expect(killed.storedFiles() == clean.storedFiles())
    #expect(IncomingFile.walk(killed.store.root + "/.incoming").isEmpty)
  }
}
