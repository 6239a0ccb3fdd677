import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechDSP

@Suite struct SyllableTests {
  /// `count` vowel-like bursts at `rate` per second (each 60 % of its slot, raised-cosine envelope),
  /// after 0.5 s of quiet and followed by 0.5 s of quiet.
  func syllables(count: Int, rate: Double) -> [Float] {
    let slot = Int(16_000 / rate)
    let on = slot * 6 / 10
    var samples = TestSignal.noise(seconds: 0.5, amplitude: 0.0005, seed: 1)
    for k in 0..<count {
      let v = SyntheticSpeech.vowel(f0: 130 + Double(k % 3) * 15, seconds: Double(on) / 16_000)
      samples += v.enumerated().map { i, x in x * Float(0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(on))) }
      samples += TestSignal.noise(seconds: Double(slot - on) / 16_000, amplitude: 0.0005, seed: UInt64(k + 2))
    }
    return samples + TestSignal.noise(seconds: 0.5, amplitude: 0.0005, seed: 99)
  }

  @Test(arguments: [(6, 3.0), (10, 4.0), (12, 5.0)])
  func burstsAtAKnownRateAreCounted(count: Int, rate: Double) throws {
    let f = try analyze(syllables(count: count, rate: rate))
    #expect(f.syllableCount == count)
    let articulation = try #require(f.articulationRate)
    #expect(abs(articulation - rate) / rate < 0.25, "articulation \(articulation) for \(rate)")
    #expect(abs(f.speechRate - Double(count) / f.durationSeconds) < 1e-9)
  }

  @Test func noiseHasNoSyllables() throws {
    #expect(try analyze(TestSignal.noise(seconds: 2, amplitude: 0.2)).syllableCount == 0)
  }

  @Test func meanLengthOfRunCountsSyllablesBetweenPauses() throws {
    let samples = syllables(count: 4, rate: 4) + syllables(count: 4, rate: 4)  // 1 s of quiet in between
    let f = try analyze(samples)
    #expect(f.pauseCount == 1)
    #expect(f.syllableCount == 8)
    #expect(f.meanLengthOfRun == 4)
  }
}
