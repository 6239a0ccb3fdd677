import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Ingest

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Ingest: crash and resume")
struct CrashRecoveryTests {
  /// The parts of a stored recording that must not depend on how many runs it took (not times, not ids).
  struct Essence: Hashable {
    var candidate, item, original, stored, format, flags: String
    var version: Int
    var duration: Double
    init(_ r: StoredRecording) {
      (candidate, item, original, stored, format, flags) = (
        r.candidateId, r.itemId, r.originalSha256, r.storedSha256,
        r.originalFormat, r.flags.joined(separator: ";")
      )
      version = r.version
      duration = r.durationSeconds
    }
  }

  static func makeBatch(in f: IngestFixture) throws -> String {
    var b = BatchBuilder(f.dir.file("batches/T1"))
    for n in 1...4 {
      for item in ["SA1", "SA2"] {
        try b.add(
          "C\(n)", item, file: "C\(n)-\(item).wav",
          samples: SyntheticSpeech.toneBursts(seconds: 1 + Double(n) / 4, seed: UInt64(n * 7 + item.count)))
      }
      b.answers.append(["C\(n)", "LA1", "B", "2026-06-14T08:40:00Z"])
    }
    try b.add("C1", "SA3", file: "broken.wav", bytes: Array("not audio".utf8))
    try b.write()
    return b.folder
  }

  @Test func aRunInterruptedMidwayThenRerunEndsAsIfRunOnce() async throws {
    let clean = try IngestFixture()
    defer { clean.dir.remove() }
    _ = try await clean.ingest(clean.request(try Self.makeBatch(in: clean)))

    let crashed = try IngestFixture()
    defer { crashed.dir.remove() }
    let folder = try Self.makeBatch(in: crashed)
    var request = crashed.request(folder)
    request.commitEvery = 1
    request.crashAfterCommitted = 3
    await #expect(throws: SimulatedCrash.self) { _ = try await crashed.ingest(request) }
    let partial = try crashed.database.recordings(examId: "E1")
    #expect(partial.count >= 3 && partial.count < 8)
    #expect(try crashed.database.listeningAnswers(examId: "E1").isEmpty)
    #expect(try crashed.database.ingestBatches().first?.finishedAt == nil)
    // what a killed process leaves: its work folder with half-written files
    let dead = crashed.store.root + "/.incoming/999999-0"
    if kill(999_999, 0) != 0 {
      try FileManager.default.createDirectory(atPath: dead, withIntermediateDirectories: true)
      FileManager.default.createFile(atPath: dead + "/123.flac", contents: Data([1, 2, 3]))
    }

    let report = try await crashed.ingest(crashed.request(folder))
    #expect(report.run == 2)
    #expect(report.added.count + report.alreadyStored.count == 8)
    #expect(report.refused["not-audio"]?.count == 1)
    let resumed = Set(try crashed.database.recordings(examId: "E1", currentOnly: false).map(Essence.init))
    let once = Set(try clean.database.recordings(examId: "E1", currentOnly: false).map(Essence.init))
    #expect(resumed == once)
    #expect(try crashed.database.recordings(examId: "E1", currentOnly: false).count == 8)
    #expect(
      try crashed.database.listeningAnswers(examId: "E1").map(\.choice)
        == clean.database.listeningAnswers(examId: "E1").map(\.choice))
    #expect(crashed.storedFiles() == clean.storedFiles())
    #expect(!FileManager.default.fileExists(atPath: dead))
  }
}
