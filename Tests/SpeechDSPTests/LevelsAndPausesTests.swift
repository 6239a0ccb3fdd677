import AudioIO
import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechDSP

/// Analyses synthetic 16 kHz samples with the default configuration.
func analyze(_ samples: [Float], sampleRate: Int = 16_000, reference: [Float]? = nil) throws -> SpeechFeatures {
  try SpeechAnalyzer().analyze(samples: samples, sampleRate: sampleRate, reference: reference)
}

@Suite struct LevelsAndPausesTests {
  @Test func sineLevelsAreKnown() throws {
    let features = try analyze(TestSignal.sine(hertz: 440, seconds: 1, amplitude: 0.5))
    #expect(abs((features.rmsDBFS ?? 0) - 20 * log10(0.5 / 2.0.squareRoot())) < 0.05)
    #expect(abs((features.peakDBFS ?? 0) - 20 * log10(0.5)) < 0.05)
    #expect(features.clippingRatio == 0)
    #expect(abs(features.dcOffset) < 1e-3)
    #expect(features.durationSeconds == 1)
  }

  @Test func silenceHasNoSpeechAndOneZeroRun() throws {
    let features = try analyze(TestSignal.silence(seconds: 2))
    #expect(features.rmsDBFS == nil)
    #expect(features.speechRatio == 0)
    #expect(features.f0MedianHz == nil)
    #expect(features.syllableCount == 0)
    #expect(features.zeroRunCount == 1)
    #expect(abs(features.zeroRunLongestSeconds - 2) < 1e-9)
    #expect(features.leadingSilenceSeconds == 2)
    #expect(features.namedValues["f0_median_hz"] == nil)
  }

  @Test func clippingAndDCAreMeasured() throws {
    var samples = TestSignal.sine(hertz: 200, seconds: 1, amplitude: 2).map { min(1, max(-1, $0)) }
    samples = samples.map { $0 * 0.5 + 0.25 }  // no longer full scale; DC 0.25
    let shifted = try analyze(samples)
    #expect(abs(shifted.dcOffset - 0.25) < 1e-3)
    #expect(shifted.clippingRatio == 0)
    let clipped = try analyze(TestSignal.sine(hertz: 200, seconds: 1, amplitude: 2).map { min(1, max(-1, $0)) })
    #expect(clipped.clippingRatio > 0.5)
  }

  @Test func pausesBetweenVowelsAreCounted() throws {
    // 0.5 s silence, then 3 vowels of 0.4 s separated by 0.5 s and 0.3 s silences, then 0.6 s silence.
    let quiet = TestSignal.noise(seconds: 0.5, amplitude: 0.001, seed: 3)
    var samples = quiet
    samples += SyntheticSpeech.vowel(f0: 140, seconds: 0.4) + TestSignal.noise(seconds: 0.5, amplitude: 0.001, seed: 4)
    samples += SyntheticSpeech.vowel(f0: 150, seconds: 0.4) + TestSignal.noise(seconds: 0.3, amplitude: 0.001, seed: 5)
    samples += SyntheticSpeech.vowel(f0: 160, seconds: 0.4) + TestSignal.noise(seconds: 0.6, amplitude: 0.001, seed: 6)
    let f = try analyze(samples)
    #expect(f.pauseCount == 2)
    #expect(abs((f.pauseLongestSeconds) - 0.5) < 0.05)
    #expect(abs(f.leadingSilenceSeconds - 0.5) < 0.05)
    #expect(abs(f.trailingSilenceSeconds - 0.6) < 0.05)
    #expect(abs(f.speechSeconds - 1.2) < 0.08)
  }

  @Test func pausesSurviveWhiteNoiseAtTenDecibels() throws {
    var speech = TestSignal.silence(seconds: 0.5)
    for k in 0..<4 {
      speech += SyntheticSpeech.vowel(f0: 120 + Double(k) * 10, seconds: 0.5) + TestSignal.silence(seconds: 0.4)
    }
    let speechPower = speech.reduce(0) { $0 + Double($1 * $1) } / Double(speech.count)
    let amplitude = Float((speechPower / 10 * 3).squareRoot())  // uniform noise power = a²/3 → SNR 10 dB
    let noisy = zip(speech, TestSignal.noise(seconds: Double(speech.count) / 16_000, amplitude: amplitude, seed: 9)).map
    { $0 + $1 }
    let f = try analyze(noisy)
    #expect(f.pauseCount == 3)
    #expect(f.snrDB.map { $0 > 5 && $0 < 20 } == true)
  }

  @Test func recordingThatIsAllSpeechIsSpeech() throws {
    let f = try analyze(SyntheticSpeech.vowel(f0: 180, seconds: 1.5))
    #expect(f.speechRatio > 0.9)
    #expect(f.pauseCount == 0)
  }

  @Test func rejectsAudioAtAnotherRate() {
    let error = #expect(throws: ExamError.self) { try analyze([0, 0, 0], sampleRate: 8_000) }
    #expect(error?.code == .invalidInput)
  }

  @Test func jsonUsesTheIssueKeys() throws {
    let samples =
      TestSignal.noise(seconds: 0.5, amplitude: 0.001) + SyntheticSpeech.vowel(f0: 200, seconds: 1)
      + TestSignal.noise(seconds: 0.5, amplitude: 0.001)
    let f = try SpeechAnalyzer().analyze(samples: samples, sampleRate: 16_000, file: "a.flac")
    let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(f)) as? [String: Any]
    for key in [
      "file", "duration_s", "speech_ratio", "pause_count", "syllable_count", "speech_rate_syl_s",
      "articulation_rate_syl_s", "f0_median_hz", "f0_iqr_st", "voiced_fraction", "snr_db", "clipping_ratio",
    ] {
      #expect(object?[key] != nil, "missing \(key)")
    }
    #expect(try JSONDecoder().decode(SpeechFeatures.self, from: JSONEncoder().encode(f)) == f)
    // Every key is written, null where there is no value (here: no reference).
    #expect(object?.count == SpeechFeatures.numericKeys.count + 2)
    #expect(object?["ref_distance"] is NSNull)
  }
}
