import Benchmark
import Proctoring
import SpeechDSP
import _ExamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

let benchmarks: @Sendable () -> Void = {
  // `thresholds update` records p90 values in Thresholds/; `swift package benchmark thresholds check` then fails
  // (exit 2) when a run allocates more than 5 % over them or uses more than 50 % more CPU (wall clock is
  // informative only: the machine is shared).
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(5),
    thresholds: [
      .mallocCountTotal: .init(relative: [.p90: 5.0]),
      .cpuTotal: .init(relative: [.p90: 50.0]),
    ])

  Benchmark("FFT frames: MFCC + band energy, 10 s at 16 kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(_SpeechDSPHotPaths.spectralFrames(signal)) }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("Pitch: Boersma autocorrelation + Viterbi, 10 s at 16 kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(_SpeechDSPHotPaths.pitch(signal)) }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
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
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("Level meter, 10 s at 16 kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(LevelMeter.measure(signal, sampleRate: 16_000)) }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("Proctoring analysis: levels, fingerprint, speaker profile, 10 s") { benchmark, signal in
    let analyzer = RecordingAnalyzer()
    for _ in benchmark.scaledIterations { blackHole(analyzer.analyze(samples: signal)) }
  } setup: {
    SyntheticSpeech.voice(seed: 1).speak(seconds: 10, seed: 1)
  }
}
