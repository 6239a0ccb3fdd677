import Foundation
import Testing
import _ExamTestSupport

@testable import SpeechDSP

/// The one definition each of clipping, zero runs and silence (`LevelMeter`), at and around its thresholds.
@Suite struct LevelMeterTests {
  let speech = SyntheticSpeech.voice(seed: 7).speak(seconds: 4, seed: 3)

  func measure(_ x: [Float]) -> LevelMeasurement { LevelMeter.measure(x, sampleRate: 16_000) }

  /// `speech` with every `every`-th sample set to ±`level`: isolated samples, no plateau of equal values.
  func spiked(every: Int, level: Float) -> [Float] {
    speech.enumerated().map { $0.offset % every == 0 ? ($0.offset % (2 * every) == 0 ? level : -level) : $0.element }
  }

  @Test func clippingIsAShareOfSamplesAtOrAbove99PercentOfFullScale() {
    #expect(!measure(speech).isClipped && measure(speech).clippedFraction == 0)
    // 1 sample in 300 (0.33 %) at 0.995: clipped, although no sample is at 16-bit full scale and no run is flat.
    let spikes = measure(spiked(every: 300, level: 0.995))
    #expect(spikes.isClipped && abs(spikes.clippedFraction - 1.0 / 300) < 1e-4)
    // 1 in 1,000 (0.1 %) is under the limit; 0.985 is under the level.
    #expect(!measure(spiked(every: 1_000, level: 1)).isClipped)
    #expect(measure(spiked(every: 300, level: 0.985)).clippedFraction == 0)
  }

  @Test func zeroRunsLast20msAndDropoutsCutSoundOff() {
    func gap(at start: Int, samples: Int) -> [Float] {
      var x = speech
      for i in start..<(start + samples) { x[i] = 0 }
      return x
    }
    let loud = speech.indices.first { abs(speech[$0]) > 0.3 }!  // a gap right after sound
    let dropout = measure(gap(at: loud + 1, samples: 480))  // 30 ms
    #expect(dropout.zeroRunCount == 1 && dropout.dropoutCount == 1 && dropout.hasZeroRun)
    #expect(abs(dropout.longestDropoutSeconds - 0.03) < 1e-9)
    let short = measure(gap(at: loud + 1, samples: 300))  // 18.75 ms: not a run
    #expect(short.zeroRunCount == 0 && short.dropoutCount == 0)
    // At the start or the end a run is no dropout; values under half a 16-bit step are zeros.
    let edges = measure(TestSignal.silence(seconds: 0.05) + speech + [Float](repeating: 1e-6, count: 800))
    #expect(edges.zeroRunCount == 2 && edges.dropoutCount == 0 && abs(edges.zeroRunLongestSeconds - 0.05) < 1e-9)
    let dead = measure(TestSignal.silence(seconds: 1))
    #expect(dead.allZero && dead.zeroRunCount == 1 && dead.isSilent)
  }

  @Test func silenceIsNoActiveFramesOrNothingAboveASteadyFloor() {
    #expect(!measure(speech).isSilent)
    // −65 dBFS noise: no frame above −40 dBFS.
    let quiet = measure(TestSignal.noise(seconds: 3, amplitude: 0.001))
    #expect(quiet.activeFraction == 0 && quiet.isSilent)
    // A steady hum at −23 dBFS: every frame active, but nothing rises 8 dB above the floor.
    let hum = measure(TestSignal.sine(hertz: 150, seconds: 3, amplitude: 0.1))
    #expect(hum.activeFraction == 1 && hum.isSteady && hum.isSilent)
    #expect(abs(hum.noiseFloorDb - 20 * log10(0.1 / 2.0.squareRoot())) < 0.1)
  }

  @Test func blocksOfAnySizeMeasureTheSameAsTheWholeSignal() {
    var x = speech
    for i in 20_000..<21_000 { x[i] = 0 }
    let whole = measure(x)
    var meter = LevelMeter(sampleRate: 16_000)
    var start = 0
    for size in [1, 7, 319, 320, 4_096, 100_000] where start < x.count {
      meter.observe(Array(x[start..<min(x.count, start + size)]))
      start += size
    }
    #expect(meter.measurement == whole)
  }
}
