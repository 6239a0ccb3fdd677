import AudioIO
import ExamCore
import Foundation
import Proctoring
import SpeakerEmbedding
import SpeechDSP
import Testing
import _ExamTestSupport

@Suite struct RecordingAnalysisTests {
  let analyzer = RecordingAnalyzer()

  /// Re-encoding as a centre might: gain, 8 kHz round trip through files (libsndfile + soxr), added noise.
  static func degrade(_ x: [Float], gain: Float, in dir: TemporaryDirectory) throws -> [Float] {
    var rng = SplitMix64(seed: 9)
    let noisy = x.map { $0 * gain + Float.random(in: -0.003...0.003, using: &rng) }
    let mid = try decodeMonoAt(noisy, rate: 16_000, to: 8_000, dir: dir, name: "a.wav")
    return try decodeMonoAt(mid, rate: 8_000, to: 16_000, dir: dir, name: "b.flac")
  }

  static func decodeMonoAt(_ x: [Float], rate: Int, to target: Int, dir: TemporaryDirectory, name: String) throws
    -> [Float]
  {
    try writeMono(x, sampleRate: rate, to: dir.file(name), encoding: name.hasSuffix("flac") ? .flac16 : .wav16)
    return try decodeMono(path: dir.file(name), targetSampleRate: target).samples
  }

  @Test func fingerprintSurvivesGainAndReencodingButSeparatesOtherSpeech() async throws {
    try await withTemporaryDirectory { dir in
      let voice = SyntheticSpeech.voice(seed: 1)
      let original = voice.speak(seconds: 8, seed: 10)
      let a = analyzer.fingerprint(samples: original)
      let louder = analyzer.fingerprint(samples: original.map { $0 * 0.25 })
      #expect(a.bitErrorRate(against: louder, offset: 0)! < 0.02)
      let copy = analyzer.fingerprint(samples: try Self.degrade(original, gain: 1.6, in: dir))
      let copyRate = try #require(a.bitErrorRate(against: copy, offset: 0))
      #expect(copyRate < 0.25, "re-encoded copy BER \(copyRate)")
      let other = analyzer.fingerprint(samples: voice.speak(seconds: 8, seed: 11))
      #expect(a.bitErrorRate(against: other, offset: 0)! > 0.4)
    }
  }

  @Test func duplicateFinderFindsPlantedCopiesAcrossCandidatesOnly() async throws {
    try await withTemporaryDirectory { dir in
      var prints: [AudioFingerprint] = []
      var groups: [Int] = []
      for k in 0..<12 {
        prints.append(
          analyzer.fingerprint(samples: SyntheticSpeech.voice(seed: UInt64(k)).speak(seconds: 6, seed: UInt64(100 + k)))
        )
        groups.append(k)
      }
      // Candidate 20 hands in candidate 3's answer, re-encoded and shifted by 5.25 hops (codec delay and a
      // trimmed start); candidate 3's second answer repeats their first (same group: not reported).
      let source = SyntheticSpeech.voice(seed: 3).speak(seconds: 6, seed: 103)
      prints.append(
        analyzer.fingerprint(samples: Array(try Self.degrade(source, gain: 0.5, in: dir).dropFirst(5 * 512 + 128))))
      groups.append(20)
      prints.append(prints[3])
      groups.append(3)
      let matches = DuplicateFinder().matches(prints, groups: groups)
      #expect(matches.map { [$0.first, $0.second] } == [[3, 12], [12, 13]])
      #expect(matches.first.map { abs($0.offset - 5) <= 1 } == true, "offset \(matches.first?.offset ?? 0)")
    }
  }

  @Test func levelsSeeSilenceClippingZerosAndDropouts() {
    let speech = SyntheticSpeech.voice(seed: 2).speak(seconds: 4, seed: 5)
    func stats(_ x: [Float]) -> LevelMeasurement { analyzer.analyze(samples: x).levels }
    let clean = stats(speech)
    #expect(clean.activeFraction > 0.3 && clean.clippedFraction == 0 && clean.dropoutCount == 0 && !clean.allZero)
    #expect(stats(TestSignal.noise(seconds: 4, amplitude: 0.002)).activeFraction < 0.03)
    #expect(stats(TestSignal.silence(seconds: 2)).allZero)
    #expect(stats(speech.map { max(-1, min(1, $0 * 8)) }).clippedFraction > 0.002)
    var dropped = speech
    for i in 20_000..<21_600 { dropped[i] = 0 }
    let d = stats(dropped)
    #expect(d.dropoutCount >= 1 && d.longestDropoutSeconds >= 0.1)
    #expect(
      stats(speech.enumerated().map { $0.element + Float(($0.offset * 7919) % 200 - 100) / 1000 }).noiseFloorDb > -30)
  }

  /// The committed speaker encoder (ExamPacks/models).
  static let encoder: SpeakerEncoder? = try? SpeakerEncoder(
    model: SpeakerEncoderModel(path: SharedData.repositoryRoot + "/ExamPacks/models/ge2e-speaker-encoder.bin"))

  @Test func voiceEmbeddingsTellVoicesApart() throws {
    let voiced = RecordingAnalyzer(encoder: try #require(Self.encoder))
    var same: [Double] = []
    var different: [Double] = []
    for v in 0..<3 {
      let voice = SyntheticSpeech.voice(seed: UInt64(40 + v))
      let a = try #require(voiced.analyze(samples: voice.speak(seconds: 5, seed: 1)).voice)
      let b = try #require(voiced.analyze(samples: voice.speak(seconds: 5, seed: 2)).voice)
      same.append(a.cosine(b))
      let other = try #require(
        voiced.analyze(samples: SyntheticSpeech.voice(seed: UInt64(60 + v)).speak(seconds: 5, seed: 3)).voice)
      different.append(a.cosine(other))
    }
    #expect(same.min()! > different.max()!, "same voice: \(same); different voices: \(different)")
  }

  @Test func shortAnswerIsSkippedWithAReasonAndSilenceIsNotEmbedded() throws {
    let voiced = RecordingAnalyzer(encoder: try #require(Self.encoder))
    let speech = SyntheticSpeech.voice(seed: 7).speak(seconds: 0.6, seed: 1)
    let short = voiced.analyze(samples: TestSignal.silence(seconds: 1) + speech + TestSignal.silence(seconds: 1))
    #expect(short.voice == nil)
    guard case .tooLittleSpeech(let seconds, let needed) = short.voiceSkipped else {
      Issue.record("no reason: \(String(describing: short.voiceSkipped))")
      return
    }
    #expect(seconds < 1 && needed == 1)
    let silent = voiced.analyze(samples: TestSignal.silence(seconds: 3))
    #expect(silent.voice == nil && silent.voiceSkipped == nil)
    // Without an encoder nothing is embedded.
    #expect(analyzer.analyze(samples: SyntheticSpeech.voice(seed: 7).speak(seconds: 3, seed: 2)).voice == nil)
  }
}
