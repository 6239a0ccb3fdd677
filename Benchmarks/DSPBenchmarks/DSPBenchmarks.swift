import Benchmark
import SpeechDSP

#if canImport(Glibc)
  import Glibc
#endif

/// 10 s of a vowel-like signal at 16 kHz with pauses: harmonics of a gliding F0 under two formant bumps.
func speechLikeSignal(seconds: Double) -> [Float] {
  let n = Int(seconds * 16_000)
  var out = [Float](repeating: 0, count: n)
  var phase = 0.0
  for i in 0..<n {
    let t = Double(i) / 16_000
    let f0 = 140 + 40 * sin(2 * Double.pi * 0.7 * t)
    phase += 2 * Double.pi * f0 / 16_000
    let gate = sin(2 * Double.pi * 2.5 * t) > -0.3 ? 1.0 : 0.0
    var x = 0.0
    for h in 1...12 { x += sin(Double(h) * phase) / Double(h) * (h == 4 || h == 8 ? 2 : 1) }
    out[i] = Float(0.1 * gate * x)
  }
  return out
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(5))

  Benchmark("FFT frames: MFCC + band energy, 10 s at 16 kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(_SpeechDSPHotPaths.spectralFrames(signal)) }
  } setup: {
    speechLikeSignal(seconds: 10)
  }

  Benchmark("Pitch: Boersma autocorrelation + Viterbi, 10 s at 16 kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(_SpeechDSPHotPaths.pitch(signal)) }
  } setup: {
    speechLikeSignal(seconds: 10)
  }

  Benchmark("DTW: banded, 1,000 × 1,200 frames × 24 dims") { (benchmark: Benchmark, sequences: ([Float], [Float])) in
    for _ in benchmark.scaledIterations {
      blackHole(BandedDTW(sequences.0, sequences.1, dimension: 24, band: 180).distance)
    }
  } setup: {
    let a = (0..<(1_000 * 24)).map { Float(sin(Double($0) * 0.013)) }
    let b = (0..<(1_200 * 24)).map { Float(sin(Double($0) * 0.011)) }
    return (a, b)
  }

  Benchmark("All features, 10 s at 16 kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations {
      blackHole(try SpeechAnalyzer().analyze(samples: signal, sampleRate: 16_000))
    }
  } setup: {
    speechLikeSignal(seconds: 10)
  }
}
