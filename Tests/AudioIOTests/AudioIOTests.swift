import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import AudioIO

@Suite struct AudioIOTests {
  func rms(_ x: ArraySlice<Float>) -> Double { (x.reduce(0) { $0 + Double($1 * $1) } / Double(x.count)).squareRoot() }

  @Test func writesFlacAndReadsItBackResampled() async throws {
    try await withTemporaryDirectory { dir in
      let tone = TestSignal.sine(hertz: 440, seconds: 1, sampleRate: 48_000)
      try writeMono(tone, sampleRate: 48_000, to: dir.file("t.flac"), encoding: .flac16)
      let info = try audioFileInfo(atPath: dir.file("t.flac"))
      #expect(info.format == "FLAC/PCM_16")
      #expect(info.frameCount == 48_000)
      let decoded = try decodeMono(path: dir.file("t.flac"), targetSampleRate: 16_000)
      #expect(abs(decoded.samples.count - 16_000) <= 2)
      // Resampled 440 Hz keeps its level: RMS of a 0.5 sine is 0.354.
      #expect(abs(rms(decoded.samples[2000..<14000]) - 0.3536) < 0.01)
    }
  }

  @Test func writesMP3AndReadsItBack() async throws {
    try await withTemporaryDirectory { dir in
      let tone = TestSignal.sine(hertz: 440, seconds: 2, sampleRate: 44_100)
      try writeMono(tone, sampleRate: 44_100, to: dir.file("t.mp3"), encoding: .mp3)
      let info = try audioFileInfo(atPath: dir.file("t.mp3"))
      #expect(info.format == "MPEG/MP3")
      #expect(info.sampleRate == 44_100 && info.channelCount == 1)
      let decoded = try decodeMono(path: dir.file("t.mp3"), targetSampleRate: 16_000)
      // MP3 frames pad the ends: within 0.1 s of 2 s.
      #expect(abs(decoded.samples.count - 32_000) < 1_600)
      let middle = decoded.samples[4000..<28000]
      #expect(abs(rms(middle) - 0.3536) < 0.02)
      // Still 440 Hz: 2 zero crossings per period.
      let crossings = zip(middle, middle.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
      #expect(abs(Double(crossings) / 2 / (Double(middle.count) / 16_000) - 440) < 5)
    }
  }

  @Test func namesMissingEmptyAndNonAudioFiles() async throws {
    try await withTemporaryDirectory { dir in
      #expect((#expect(throws: ExamError.self) { try audioFileInfo(atPath: dir.file("none.wav")) })?.code == .notFound)
      FileManager.default.createFile(atPath: dir.file("empty.wav"), contents: Data())
      #expect((#expect(throws: ExamError.self) { try audioFileInfo(atPath: dir.file("empty.wav")) })?.code == .corrupt)
      try "not audio at all".write(toFile: dir.file("text.wav"), atomically: true, encoding: .utf8)
      #expect(
        (#expect(throws: ExamError.self) { try audioFileInfo(atPath: dir.file("text.wav")) })?.code
          == .unsupportedFormat)
    }
  }

  @Test(.enabled(if: SharedData.isAvailable)) func readsEveryFormatInTheSharedData() throws {
    let formats = SharedData.path("formats")
    let names = try FileManager.default.contentsOfDirectory(atPath: formats)
      .filter { [".wav", ".flac", ".ogg", ".aiff"].contains(where: $0.hasSuffix) }.sorted()
    #expect(names.count >= 10)
    for name in names {
      let decoded = try decodeMono(path: formats + "/" + name, targetSampleRate: 16_000)
      #expect(decoded.sampleRate == 16_000)
      #expect(abs(decoded.durationSeconds - decoded.original.durationSeconds) < 0.01, "\(name)")
      #expect(decoded.samples.contains { $0 != 0 }, "\(name) decoded to silence")
    }
  }

  /// A FLAC whose STREAMINFO claims 2^36 − 1 samples (about 49 days) must be refused, not allocated.
  @Test func refusesAFlacHeaderThatLiesAboutItsLength() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("liar.flac")
      try writeMono(
        TestSignal.sine(hertz: 440, seconds: 0.5, sampleRate: 16_000), sampleRate: 16_000, to: path, encoding: .flac16)
      var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
      // "fLaC", a 4-byte block header, then STREAMINFO: the 36-bit total sample count starts in the low nibble of byte 21.
      #expect(Array(bytes[0..<4]) == Array("fLaC".utf8))
      bytes[21] |= 0x0F
      for i in 22...25 { bytes[i] = 0xFF }
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      #expect(try audioFileInfo(atPath: path).frameCount == (1 << 36) - 1)
      let error = #expect(throws: ExamError.self) { try decodeMono(path: path, targetSampleRate: 16_000) }
      #expect(error?.code == .corrupt)
      #expect(error?.description.contains("over the 3600 s limit") == true)
    }
  }

  @Test func refusesAudioThatDecodesPastTheLimit() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("long.wav")
      try writeMono(
        TestSignal.sine(hertz: 440, seconds: 3, sampleRate: 16_000), sampleRate: 16_000, to: path, encoding: .wav16)
      #expect(try decodeMono(path: path, targetSampleRate: 16_000, maxSeconds: 5).samples.count == 48_000)
      let error = #expect(throws: ExamError.self) {
        try decodeMono(path: path, targetSampleRate: 16_000, maxSeconds: 2)
      }
      #expect(error?.code == .corrupt)
    }
  }

  @Test func refusesSamplesThatAreNotNumbers() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("nan.wav")
      var samples = TestSignal.sine(hertz: 440, seconds: 0.2, sampleRate: 16_000)
      for bad: Float in [.nan, .infinity, 3e38] {
        samples[1_000] = bad
        try writeMono(samples, sampleRate: 8_000, to: path, encoding: .wavFloat)
        // found at the file's rate, before the resampler could overflow (the fuzzer's first find: 3e38 became inf)
        let error = #expect(throws: ExamError.self) { try decodeMono(path: path, targetSampleRate: 16_000) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("at frame 1000") == true, "\(String(describing: error))")
      }
      samples[1_000] = 1.5  // a float file may overshoot full scale a little
      try writeMono(samples, sampleRate: 8_000, to: path, encoding: .wavFloat)
      #expect(try decodeMono(path: path, targetSampleRate: 16_000).samples.count > 6_000)
    }
  }

  @Test func onlyMPEGAndOggHeadersEstimateTheirLength() async throws {
    // One rule for the truncation check and the decoder's length limit (review of #17).
    try await withTemporaryDirectory { dir in
      let path = dir.file("a.flac")
      try writeMono(TestSignal.sine(hertz: 440, seconds: 0.1), sampleRate: 16_000, to: path, encoding: .flac16)
      #expect(try audioFileInfo(atPath: path).frameCountIsExact)
    }
    for (format, exact) in [
      ("WAV/PCM_16", true), ("FLAC/PCM_24", true), ("MPEG/MPEG_LAYER_III", false), ("OGG/VORBIS", false),
    ] {
      #expect(
        AudioFileInfo(frameCount: 10, channelCount: 1, sampleRate: 8_000, format: format).frameCountIsExact == exact)
    }
  }

  @Test func aBadSampleIsFoundInAnyBlockAndNamedByItsFrame() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("nan.wav")
      var samples = TestSignal.sine(hertz: 440, seconds: 0.2, sampleRate: 16_000)
      samples[2_345] = .nan
      try writeMono(samples, sampleRate: 16_000, to: path, encoding: .wavFloat)
      let stream = try MonoAudioStream(path: path, blockFrames: 1_000)
      let error = #expect(throws: ExamError.self) {
        var block: [Float] = []
        while try stream.next(into: &block) {}
      }
      #expect(error?.message.contains("at frame 2345") == true, "\(String(describing: error))")
      #expect(stream.framesRead == 3_000)
    }
  }
}
