import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechDSP

@Suite struct PitchTests {
  /// A pulse train at `f0` Hz (one-sample impulses smoothed by a short decay), like glottal pulses.
  func pulses(f0: Double, seconds: Double, sampleRate: Int = 16_000) -> [Float] {
    let n = Int(seconds * Double(sampleRate))
    var out = [Float](repeating: 0, count: n)
    var t = 0.0
    while Int(t) < n {
      let start = Int(t)
      for k in 0..<min(40, n - start) { out[start + k] += Float(0.5 * exp(-Double(k) / 6) * cos(Double(k) * 0.6)) }
      t += Double(sampleRate) / f0
    }
    return out
  }

  @Test(arguments: [80.0, 120.0, 220.0, 310.0, 450.0, 580.0])
  func pulseTrainsGiveTheirRate(f0: Double) throws {
    // band-limited pulse train: every harmonic below 4 kHz
    let f = try analyze(SyntheticSpeech.vowel(f0: f0, seconds: 1))
    let median = try #require(f.f0MedianHz)
    #expect(abs(1200 * log2(median / f0)) < 20, "F0 \(median) for \(f0)")
    #expect(f.voicedFraction > 0.9)
    #expect((f.f0IQRSemitones ?? 99) < 0.2)
  }

  @Test(arguments: [100.0, 250.0, 500.0])
  func tonesGiveTheirFrequency(hertz: Double) throws {
    let f = try analyze(TestSignal.sine(hertz: hertz, seconds: 1))
    let median = try #require(f.f0MedianHz)
    #expect(abs(1200 * log2(median / hertz)) < 10)
  }

  @Test func chirpIsTrackedAcrossAnOctave() throws {
    // Linear chirp 150 → 300 Hz over 2 s: F0 at frame i ≈ 150 + 75·t.
    let n = 32_000
    var phase = 0.0
    var samples = [Float](repeating: 0, count: n)
    for i in 0..<n {
      let t = Double(i) / 16_000
      phase += 2 * Double.pi * (150 + 75 * t) / 16_000
      samples[i] = Float(0.4 * (sin(phase) + 0.5 * sin(2 * phase) + 0.25 * sin(3 * phase)))
    }
    let track = try SpeechAnalyzer().frameTrack(samples: samples, sampleRate: 16_000)
    var errors: [Double] = []
    for i in 10..<(track.f0Hz.count - 10) {
      let expected = 150 + 75 * (Double(i) + 0.5) * track.stepSeconds
      errors.append(abs(1200 * log2(Double(max(track.f0Hz[i], 1)) / expected)))
    }
    #expect(errors.sorted()[errors.count * 9 / 10] < 30)
    let f = try analyze(samples)
    #expect(abs((f.f0RangeSemitones ?? 0) - 12 * log2(292.5 / 157.5)) < 0.5)
  }

  @Test func noiseAndSilenceAreUnvoiced() throws {
    #expect(try analyze(TestSignal.noise(seconds: 1, amplitude: 0.3)).voicedFraction < 0.05)
    #expect(try analyze(TestSignal.silence(seconds: 1)).voicedFraction == 0)
  }

  @Test func halfVoicedSignalIsHalfVoiced() throws {
    let samples = pulses(f0: 200, seconds: 1) + TestSignal.silence(seconds: 1)  // integer period: 80 samples
    let f = try analyze(samples)
    #expect(abs(f.voicedFraction - 0.5) < 0.04)
  }
}
