import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import Ingest

@Suite("Ingest: folder batches")
struct IngestTests {
  @Test func ingestsAValidBatchWithListeningAnswers() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var batch = BatchBuilder(f.dir.file("batches/T1"))
    for n in 1...3 {
      try batch.add(
        "C\(n)", "SA1", file: "C\(n)/SA1.wav",
        samples: SyntheticSpeech.toneBursts(seconds: 2, sampleRate: 44_100, seed: UInt64(n)),
        sampleRate: 44_100)
      batch.answers.append(["C\(n)", "LA1", n == 3 ? "A" : "B", "2026-06-14T08:40:00+08:00"])
    }
    try batch.write()
    let report = try await f.ingest(f.request(batch.folder))
    #expect(report.refusedCount == 0)
    #expect(report.added.count == 3)
    #expect(report.listeningAdded == 3)
    #expect(report.flagged.isEmpty)
    let stored = try f.database.recordings(examId: "E1")
    #expect(stored.count == 3)
    for r in stored {
      #expect(r.originalSampleRate == 44_100 && r.version == 1 && r.batchId == report.batchId)
      #expect(abs(r.durationSeconds - 2) < 0.01)
      let flac = f.store.path(sha256: r.storedSha256, ext: "flac")
      let info = try audioFileInfo(atPath: flac)
      #expect(info.sampleRate == 16_000 && info.channelCount == 1 && info.format == "FLAC/PCM_16")
      #expect(try Digest.sha256(fileAtPath: f.store.path(sha256: r.originalSha256, ext: "orig")) == r.originalSha256)
    }
    #expect(try f.database.listeningAnswers(examId: "E1").map(\.choice) == ["B", "B", "A"])
    #expect(try f.database.ingestBatches().first?.finishedAt != nil)
    #expect(try f.database.auditTrail().contains { $0.command == "audio ingest" && $0.summary.contains("finished") })
  }

  @Test func ingestsAnMP3AnswerAndKeepsTheOriginal() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let source = f.dir.file("answer.mp3")
    try writeMono(
      SyntheticSpeech.toneBursts(seconds: 3, sampleRate: 44_100), sampleRate: 44_100, to: source, encoding: .mp3)
    var batch = BatchBuilder(f.dir.file("batches/T1"))
    try batch.add("C1", "SA1", copying: source, as: "C1/SA1.mp3")
    try batch.write()
    let report = try await f.ingest(f.request(batch.folder))
    #expect(report.refusedCount == 0 && report.added.count == 1)
    let r = try #require(try f.database.recordings(examId: "E1").first)
    #expect(r.originalFormat == "MPEG/MP3" && r.originalSampleRate == 44_100)
    #expect(abs(r.durationSeconds - 3) < 0.1)
    let info = try audioFileInfo(atPath: f.store.path(sha256: r.storedSha256, ext: "flac"))
    #expect(info.sampleRate == 16_000 && info.format == "FLAC/PCM_16")
    #expect(try Digest.sha256(fileAtPath: f.store.path(sha256: r.originalSha256, ext: "orig")) == r.originalSha256)
  }

  /// Files finish out of order (the first is the longest), but answers are taken in manifest order: the ids and
  /// the report are the same on every run.
  @Test func answersAreTakenInManifestOrderWhateverOrderTheyFinishIn() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var batch = BatchBuilder(f.dir.file("batches/T1"))
    var order: [String] = []
    for n in 1...4 {
      for item in ["SA2", "SA3"] {
        let slow = n == 1 && item == "SA2"
        try batch.add(
          "C\(n)", item, file: "C\(n)/\(item).wav",
          samples: SyntheticSpeech.toneBursts(seconds: slow ? 19 : 1, sampleRate: 48_000, seed: UInt64(n)),
          sampleRate: 48_000)
        order.append("C\(n)/\(item)")
      }
    }
    try batch.write()
    let report = try await f.ingest(f.request(batch.folder, jobs: 4))
    #expect(report.refusedCount == 0)
    #expect(report.added.map { "\($0.candidateId)/\($0.itemId)" } == order)
    let stored = try f.database.recordings(examId: "E1").sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    #expect(stored.map { "\($0.candidateId)/\($0.itemId)" } == order)
  }

  @Test func theSameBatchTwiceAddsNothingAndSaysSo() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var batch = BatchBuilder(f.dir.file("batches/T1"))
    for n in 1...2 {
      try batch.add(
        "C\(n)", "SA1", file: "C\(n).wav", samples: SyntheticSpeech.toneBursts(seconds: 1.5, seed: UInt64(n)))
    }
    batch.answers.append(["C1", "LA1", "B", "2026-06-14T08:40:00Z"])
    try batch.write()
    let first = try await f.ingest(f.request(batch.folder))
    let filesAfterFirst = f.storedFiles()
    let second = try await f.ingest(f.request(batch.folder))
    #expect(first.added.count == 2 && first.run == 1 && !first.ingestedBefore)
    #expect(second.added.isEmpty && second.alreadyStored == ["C1.wav", "C2.wav"])
    #expect(
      second.ingestedBefore && second.run == 2 && second.listeningAdded == 0 && second.listeningAlreadyStored == 1)
    #expect(second.text.contains("ingested before: nothing new was added"))
    #expect(try f.database.recordings(examId: "E1", currentOnly: false).count == 2)
    #expect(f.storedFiles() == filesAfterFirst)
  }

  @Test func aDifferentRecordingForTheSameAnswerBecomesVersionTwo() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var first = BatchBuilder(f.dir.file("batches/a"))
    try first.add("C1", "SA1", file: "C1.wav", samples: SyntheticSpeech.toneBursts(seconds: 1.5, seed: 1))
    try first.write()
    var second = BatchBuilder(f.dir.file("batches/b"))
    try second.add("C1", "SA1", file: "C1-retake.wav", samples: SyntheticSpeech.toneBursts(seconds: 1.8, seed: 2))
    second.answers.append(["C1", "LA1", "B", "2026-06-14T08:40:00Z"])
    try second.write()
    _ = try await f.ingest(f.request(first.folder))
    let report = try await f.ingest(f.request(second.folder))
    #expect(report.conflicts.map(\.version) == [2])
    let versions = try f.database.recordingVersions(examId: "E1", candidateId: "C1", itemId: "SA1")
    #expect(versions.map(\.version) == [1, 2])
    #expect(versions.map(\.isCurrent) == [false, true])
    #expect(versions[0].originalName == "C1.wav" && versions[1].originalName == "C1-retake.wav")

    // a different listening choice later is refused, the first stands
    var third = BatchBuilder(f.dir.file("batches/c"))
    third.answers.append(["C1", "LA1", "C", "2026-06-14T08:41:00Z"])
    try third.write()
    let conflict = try await f.ingest(f.request(third.folder))
    #expect(conflict.refused["answer-conflict"]?.count == 1)
    #expect(try f.database.listeningAnswers(examId: "E1").map(\.choice) == ["B"])
  }

  @Test func refusesEachHostileCaseWithItsReasonAndQuarantinesIt() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var b = BatchBuilder(f.dir.file("batches/T1"))
    try b.add("C1", "SA1", file: "good.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    // truncated: a whole WAV cut to 60 %, with the checksum of the cut bytes (a seat machine hashing a half copy)
    let whole = f.dir.file("whole.wav")
    try writeMono(SyntheticSpeech.toneBursts(seconds: 3, seed: 9), sampleRate: 16_000, to: whole, encoding: .wav16)
    let cut = Array(try Data(contentsOf: URL(fileURLWithPath: whole)).prefix(16_000 * 2 * 3 * 6 / 10))
    try b.add("C2", "SA1", file: "truncated.wav", bytes: cut)
    try b.add("C3", "SA1", file: "notes.wav", bytes: Array("These are my notes, not a recording.\n".utf8))
    try b.add("C4", "SA1", file: "empty.wav", bytes: [])
    try b.add(
      "C1", "SA2", file: "tampered.wav", samples: SyntheticSpeech.toneBursts(seconds: 2, seed: 3),
      sha256: String(repeating: "0", count: 64))
    try b.add("C2", "SA2", file: "short.wav", samples: SyntheticSpeech.toneBursts(seconds: 0.2))
    try b.add(
      "C3", "SA2", file: "lofi.wav", samples: SyntheticSpeech.toneBursts(seconds: 2, sampleRate: 6_000),
      sampleRate: 6_000)
    try b.add("C4", "SA2", file: "long.wav", samples: SyntheticSpeech.toneBursts(seconds: 21))
    try b.add("C5", "SA1", file: "elsewhere.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    try b.add("C4", "SA7", file: "no-item.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    try b.add("C4", "LA1", file: "listening.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    b.rows.append(["C2", "SA3", "gone.wav", "", "2026-06-14T09:05:00Z", String(repeating: "a", count: 64)])
    try b.add("C9", "SA1", file: "stranger.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    try b.add("C1", "SA3", file: "bad-time.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    b.rows[b.rows.count - 1][4] = "yesterday"
    b.rows.append(["C3", "SA3", "../../etc/passwd", "", "2026-06-14T09:05:00Z", String(repeating: "a", count: 64)])
    b.rows.append(["C1", "SA1", "good.wav", "", "2026-06-14T09:05:00Z", String(repeating: "a", count: 64)])
    b.answers = [
      ["C1", "LA1", "B", "2026-06-14T08:40:00Z"], ["C2", "SA1", "B", "2026-06-14T08:40:00Z"],
      ["C5", "LA1", "A", "2026-06-14T08:40:00Z"], ["C3", "LA1", "B; DROP", "2026-06-14T08:40:00Z"],
    ]
    try b.write()
    FileManager.default.createFile(atPath: b.folder + "/extra.wav", contents: Data([1, 2, 3]))

    let report = try await f.ingest(f.request(b.folder))
    let reasons = Dictionary(
      grouping: report.refused.values.flatMap(\.entries), by: { $0.file + ($0.line.map { ":\($0)" } ?? "") }
    )
    .mapValues { $0.map(\.reason) }
    #expect(reasons["truncated.wav:3"] == [.truncated])
    #expect(reasons["notes.wav:4"] == [.notAudio])
    #expect(reasons["empty.wav:5"] == [.emptyFile])
    #expect(reasons["tampered.wav:6"] == [.checksumMismatch])
    #expect(reasons["short.wav:7"] == [.tooShort])
    #expect(reasons["lofi.wav:8"] == [.lowSampleRate])
    #expect(reasons["long.wav:9"] == [.tooLong])
    #expect(reasons["elsewhere.wav:10"] == [.notAllocated])
    #expect(reasons["no-item.wav:11"] == [.unknownItem])
    #expect(reasons["listening.wav:12"] == [.wrongItemType])
    #expect(reasons["gone.wav:13"] == [.missingFile])
    #expect(reasons["stranger.wav:14"] == [.notAllocated])
    #expect(reasons["bad-time.wav:15"] == [.badRow])
    #expect(reasons["../../etc/passwd:16"] == [.unsafePath])
    #expect(reasons["good.wav:17"] == [.duplicateRow])
    #expect(reasons["extra.wav"] == [.unlistedFile])
    #expect(reasons["answers.csv:3"] == [.wrongItemType])
    #expect(reasons["answers.csv:4"] == [.notAllocated])
    #expect(reasons["answers.csv:5"] == [.badRow])
    #expect(report.added.map(\.file) == ["good.wav"])
    #expect(report.listeningAdded == 1 && report.listeningRefused == 3)
    #expect(try f.database.recordings(examId: "E1").count == 1)
    // quarantine: the refused files that exist are kept with their reason, listed in reasons.csv and in the store
    let folder = try #require(report.quarantineFolder)
    #expect(FileManager.default.fileExists(atPath: folder + "/truncated.wav"))
    #expect(
      try String(contentsOfFile: folder + "/tampered.wav.reason.txt", encoding: .utf8).hasPrefix("checksum-mismatch"))
    #expect(try String(contentsOfFile: folder + "/reasons.csv", encoding: .utf8).contains("extra.wav,,,,unlisted-file"))
    #expect(try f.database.quarantined(batchId: report.batchId).count == report.refusedCount)
    #expect(report.text.contains("refused: checksum-mismatch (1)"))
  }

  /// A manifest row naming a file behind a linked sub-folder is refused, and nothing from outside the batch is
  /// copied into quarantine.
  @Test func quarantineNeverFollowsALinkedSubFolder() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let outside = f.dir.file("outside")
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    try "secret answer key\n".write(toFile: outside + "/secret.wav", atomically: true, encoding: .utf8)
    var b = BatchBuilder(f.dir.file("batches/T1"))
    try b.add("C1", "SA1", file: "good.wav", samples: SyntheticSpeech.toneBursts(seconds: 2))
    b.rows.append(["C2", "SA1", "sub/secret.wav", "", "2026-06-14T09:05:00Z", String(repeating: "a", count: 64)])
    try b.write()
    try FileManager.default.createSymbolicLink(atPath: b.folder + "/sub", withDestinationPath: outside)

    let report = try await f.ingest(f.request(b.folder))
    #expect(report.added.map(\.file) == ["good.wav"])
    let refused = report.refused.values.flatMap(\.entries)
    #expect(
      refused.contains { $0.file == "sub/secret.wav" }
        && refused.contains { $0.file == "sub" && $0.reason == .unsafePath })
    let folder = try #require(report.quarantineFolder)
    #expect(!FileManager.default.fileExists(atPath: folder + "/sub/secret.wav"))
    #expect(!IncomingFile.walk(folder).contains { $0.relative.hasPrefix("sub") })
  }

  @Test func silentClippedAndZeroRunRecordingsAreAcceptedButFlagged() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var b = BatchBuilder(f.dir.file("batches/T1"))
    try b.add("C1", "SA1", file: "silent.wav", samples: TestSignal.silence(seconds: 2))
    // an over-driven microphone: speech-like bursts amplified 4× and cut at full scale
    let loud = SyntheticSpeech.toneBursts(seconds: 2, seed: 6).map { max(-1, min(1, $0 * 4)) }
    try b.add("C2", "SA1", file: "clipped.wav", samples: loud)
    var dropout = SyntheticSpeech.toneBursts(seconds: 2, seed: 4)
    for i in 12_000..<16_000 { dropout[i] = 0 }
    try b.add("C3", "SA1", file: "dropout.wav", samples: dropout)
    try b.add("C4", "SA1", file: "fine.wav", samples: SyntheticSpeech.toneBursts(seconds: 2, seed: 5), seat: "2-3")
    try b.write()
    let report = try await f.ingest(f.request(b.folder))
    #expect(report.refusedCount == 0 && report.added.count == 4)
    let flags = Dictionary(uniqueKeysWithValues: report.added.map { ($0.file, Set($0.flags)) })
    #expect(flags["silent.wav"] == ["silent", "zero-run"])
    #expect(flags["clipped.wav"] == ["clipped"])
    #expect(flags["dropout.wav"] == ["zero-run"])
    #expect(flags["fine.wav"] == ["seat-mismatch"])
    #expect(report.flagged["silent"]?.files == ["silent.wav"])
  }
}
