import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Ingest

/// Real recordings from ../shared/data: every container and encoding libsndfile reads, and speechocean762.
@Suite(
  "Ingest: real recordings",
  .enabled(if: SharedData.isAvailable, "../shared/data is absent: real-recording tests skipped"))
struct RealRecordingTests {
  /// Files in ../shared/data/formats with what ingest must do with them.
  static let formats: [(file: String, accepted: Bool)] = [
    ("Front_Center.wav", true), ("Noise.wav", true), ("arctic_a0007.wav", true), ("arctic_a0007_16k.ogg", true),
    ("arctic_a0007_alaw_8k_mono.wav", true), ("arctic_a0007_ulaw_8k_mono.wav", true),
    ("arctic_a0007_f32le_16k_mono.wav", true), ("arctic_a0007_f64le_16k_mono.wav", true),
    ("asterisk-activated-8k.wav", true), ("chinese-48k.flac", true), ("french-44k1.aiff", true),
    ("jfk-24bit-stereo-44k1.flac", true), ("librispeech-198-209-0000-22k.ogg", true),
    ("onetwothree-audio-mono-8-bit-44100Hz.wav", true), ("onetwothree-audio-mono-24-bit-44100Hz.wav", true),
    ("onetwothree-audio-mono-32-bit-44100Hz.wav", true), ("onetwothree-audio-stereo-16-bit-44100Hz.aiff", true),
    ("onetwothree-audio-stereo-24-bit-44100Hz.flac", true), ("onetwothree_f32le_44k1_stereo.wav", true),
    ("onetwothree_pcm24_48k_mono.wav", true),
    // headerless: libsndfile cannot know their format, so they are refused as not audio
    ("asterisk-activated.gsm", false), ("arctic_a0007_s16le_16k_mono.raw", false),
  ]

  /// An exam with one read-aloud item per file (answers 0.2–60 s), so one candidate can answer them all.
  static func exam(items: Int) -> ExamDefinition {
    var exam = SampleData.exam()
    exam.sections[1].items = (1...items).map {
      ItemDefinition(id: "S\($0)", type: .readSentence, points: 1, minAnswerSeconds: 0.2, maxAnswerSeconds: 60)
    }
    return exam
  }

  @Test func ingestsEveryFormatLibsndfileReadsAndRefusesHeaderlessOnes() async throws {
    let f = try IngestFixture(exam: Self.exam(items: Self.formats.count))
    defer { f.dir.remove() }
    var b = BatchBuilder(f.dir.file("batches/formats"))
    for (i, entry) in Self.formats.enumerated() {
      try b.add("C1", "S\(i + 1)", copying: SharedData.path("formats/" + entry.file), as: entry.file)
    }
    try b.write()
    let report = try await f.ingest(f.request(b.folder))
    #expect(Set(report.added.map(\.file)) == Set(Self.formats.filter(\.accepted).map(\.file)))
    #expect(
      Set(report.refused["not-audio"]?.entries.map(\.file) ?? [])
        == Set(Self.formats.filter { !$0.accepted }.map(\.file)))
    for r in try f.database.recordings(examId: "E1") {
      let source = try audioFileInfo(atPath: SharedData.path("formats/" + r.originalName))
      let stored = try audioFileInfo(atPath: f.store.path(sha256: r.storedSha256, ext: "flac"))
      #expect(stored.sampleRate == 16_000 && stored.channelCount == 1, "\(r.originalName)")
      if source.frameCount < Int(Int32.max) {  // Ogg headers do not state a length
        #expect(
          abs(stored.durationSeconds - source.durationSeconds) < 0.02,
          "\(r.originalName): \(stored.durationSeconds) vs \(source.durationSeconds)")
      }
      #expect(r.originalChannels == source.channelCount && r.originalSampleRate == source.sampleRate)
    }
    // speech is not called silent; the noise recording has no activity above its floor
    let flags = Dictionary(uniqueKeysWithValues: report.added.map { ($0.file, $0.flags) })
    #expect(flags["Noise.wav"]?.contains("silent") == true)
    for (file, fileFlags) in flags where file != "Noise.wav" {
      #expect(!fileFlags.contains("silent"), "\(file) was flagged silent")
    }
  }

  @Test func speechocean762RecordingsAreStoredLosslessAt16kHz() async throws {
    let table = try CSVTable(
      parsing: String(contentsOfFile: SharedData.path("speechocean762/scores.csv"), encoding: .utf8),
      source: "scores.csv")
    let subset = Array(table.rows.prefix(12))
    let f = try IngestFixture(exam: Self.exam(items: subset.count))
    defer { f.dir.remove() }
    var b = BatchBuilder(f.dir.file("batches/so762"))
    for (i, row) in subset.enumerated() {
      let audio = table.value(row, "audio")
      try b.add("C\(i % 4 + 1)", "S\(i + 1)", copying: SharedData.path("speechocean762/" + audio), as: audio)
    }
    try b.write()
    let report = try await f.ingest(f.request(b.folder))
    #expect(report.added.count == subset.count && report.refusedCount == 0)
    // 16 kHz 16-bit FLAC in, 16 kHz 16-bit FLAC out: the samples survive exactly
    for r in try f.database.recordings(examId: "E1").prefix(3) {
      let original = try decodeMono(path: SharedData.path("speechocean762/" + r.originalName), targetSampleRate: nil)
      let stored = try decodeMono(path: f.store.path(sha256: r.storedSha256, ext: "flac"), targetSampleRate: nil)
      #expect(original.sampleRate == 16_000 && original.samples == stored.samples)
    }
  }

  @Test(arguments: [
    "arctic_a0007.wav", "onetwothree-audio-stereo-24-bit-44100Hz.flac", "arctic_a0007_16k.ogg", "french-44k1.aiff",
  ])
  func truncatedRealFilesAreDetected(_ name: String) throws {
    let dir = TemporaryDirectory("trunc")
    defer { dir.remove() }
    let bytes = try Data(contentsOf: URL(fileURLWithPath: SharedData.path("formats/" + name)))
    let cut = dir.file("cut-" + name)
    FileManager.default.createFile(atPath: cut, contents: bytes.prefix(bytes.count * 6 / 10))
    for (path, truncated) in [(SharedData.path("formats/" + name), false), (cut, true)] {
      let stream = try MonoAudioStream(path: path, targetSampleRate: 16_000)
      var block: [Float] = []
      do { while try stream.next(into: &block) {} } catch { #expect(truncated, "\(path): \(error)"); continue }
      #expect((stream.truncationEvidence != nil) == truncated, "\(path): \(stream.truncationEvidence ?? "no evidence")")
    }
  }
}
