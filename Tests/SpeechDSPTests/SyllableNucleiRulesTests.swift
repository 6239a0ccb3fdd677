import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechDSP

/// The peak-picking rules of `SyllableNuclei` on hand-made contours (10 ms frames, no smoothing).
@Suite struct SyllableNucleiRulesTests {
  /// A flat contour at `base` dB with triangular peaks `(frame, height dB, half-width frames)`.
  func contour(frames: Int, base: Double, peaks: [(Int, Double, Int)]) -> [Double] {
    var c = [Double](repeating: base, count: frames)
    for (at, height, half) in peaks {
      for k in -half...half where at + k >= 0 && at + k < frames {
        c[at + k] = max(c[at + k], height - (height - base) * Double(abs(k)) / Double(half + 1))
      }
    }
    return c
  }

  func configuration(localRange: Double, penalty: Double) -> AnalyzerConfiguration {
    var c = AnalyzerConfiguration()
    c.intensitySmoothing = 0
    c.syllableLocalRange = localRange
    c.unvoicedPenalty = penalty
    return c
  }

  @Test func aWeakPeakBesideALoudVowelIsNotANucleus() {
    // Loud vowels at 0.3 s and 0.9 s (80 dB); a 62 dB bump 0.15 s after the first, 18 dB under it.
    let c = contour(frames: 120, base: 55, peaks: [(30, 80, 8), (45, 62, 3), (90, 80, 8)])
    let speech = [Bool](repeating: true, count: c.count)
    let f0 = [Float](repeating: 150, count: c.count)
    #expect(
      SyllableNuclei.find(
        intensityDB: c, speech: speech, f0: f0, configuration: configuration(localRange: 15, penalty: 0)) == [30, 90])
    #expect(
      SyllableNuclei.find(
        intensityDB: c, speech: speech, f0: f0, configuration: configuration(localRange: 100, penalty: 0)) == [
          30, 45, 90,
        ])
  }

  @Test func anUnvoicedPeakIsLoweredBelowItsVoicedSurroundings() {
    // A 3 dB peak at 0.42 s whose own frame has no F0 (a burst), voiced frames on both sides.
    let c = contour(frames: 80, base: 50, peaks: [(20, 70, 8), (42, 53, 1), (65, 70, 8)])
    let speech = [Bool](repeating: true, count: c.count)
    var f0 = [Float](repeating: 150, count: c.count)
    f0[42] = 0
    #expect(
      SyllableNuclei.find(
        intensityDB: c, speech: speech, f0: f0, configuration: configuration(localRange: 100, penalty: 0)) == [
          20, 42, 65,
        ])
    #expect(
      SyllableNuclei.find(
        intensityDB: c, speech: speech, f0: f0, configuration: configuration(localRange: 100, penalty: 6)) == [20, 65])
  }
}

/// The sub-band contour favours energy spread over the band (vowels) over energy in one narrow band.
@Suite struct NucleusContourTests {
  func meanContour(_ samples: [Float], subbands: Int) -> Double {
    let frames = samples.withUnsafeBufferPointer {
      SpectralAnalyzer(sampleRate: 16_000, hop: 160, nucleusSubbands: subbands).analyze($0)
    }
    let inner = frames.nucleusDB[10..<(frames.count - 10)]
    return inner.reduce(0, +) / Double(inner.count)
  }

  @Test func aVowelKeepsItsLevelAndAPureToneLosesIt() {
    let tone: [Float] = (0..<16_000).map { i in
      let phase = 2 * Double.pi * 1_000 * Double(i) / 16_000
      return Float(0.3 * sin(phase))
    }
    let v = SyntheticSpeech.vowel(f0: 140, seconds: 1)
    let toneDrop = meanContour(tone, subbands: 1) - meanContour(tone, subbands: 8)
    let vowelDrop = meanContour(v, subbands: 1) - meanContour(v, subbands: 8)
    #expect(vowelDrop < 12, "vowel \(vowelDrop) dB")
    #expect(toneDrop > vowelDrop + 6, "tone \(toneDrop) dB, vowel \(vowelDrop) dB")
  }
}
