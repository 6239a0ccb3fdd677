import Benchmark
import Proctoring
import SpeechDSP
import _ExamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

let benchmarks: @Sendable () -> Void = {
  // `thresholds update` records p90 values in Thresholds/; `swift package benchmark thresholds check` then fails
  // (exit 2) when a run allocates more than 5 % over them, takes 10 % more resident memory, or uses more than 50 %
  // more CPU or wall-clock time (loose on time: the machine is shared). A metric without a tolerance here would be
  // checked strictly (any byte or microsecond over fails), so every metric measured has one. Benchmark names
  // have no spaces: the tool writes threshold files with spaces turned into `_` but looks them up unchanged.
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(5),
    thresholds: [
      .mallocCountTotal: .init(relative: [.p90: 5.0]),
      .peakMemoryResident: .init(relative: [.p90: 10.0]),
      .cpuTotal: .init(relative: [.p90: 50.0]),
      .wallClock: .init(relative: [.p90: 50.0]),
    ])

  Benchmark("FFT_frames:_MFCC_+_band_energy,_10_s_at_16_kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(_SpeechDSPHotPaths.spectralFrames(signal)) }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("Pitch:_Boersma_autocorrelation_+_Viterbi,_10_s_at_16_kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(_SpeechDSPHotPaths.pitch(signal)) }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("DTW:_banded,_1,000_×_1,200_frames_×_24_dims") { (benchmark: Benchmark, sequences: ([Float], [Float])) in
    for _ in benchmark.scaledIterations {
      blackHole(BandedDTW(sequences.0, sequences.1, dimension: 24, band: 180).distance)
    }
  } setup: {
    let a = (0..<(1_000 * 24)).map { Float(sin(Double($0) * 0.013)) }
    let b = (0..<(1_200 * 24)).map { Float(sin(Double($0) * 0.011)) }
    return (a, b)
  }

  Benchmark("All_features,_10_s_at_16_kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations {
      blackHole(try SpeechAnalyzer().analyze(samples: signal, sampleRate: 16_000))
    }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("Level_meter,_10_s_at_16_kHz") { benchmark, signal in
    for _ in benchmark.scaledIterations { blackHole(LevelMeter.measure(signal, sampleRate: 16_000)) }
  } setup: {
    SyntheticSpeech.glidingVowel(seconds: 10)
  }

  Benchmark("Proctoring_analysis:_levels,_fingerprint,_speaker_profile,_10_s") { benchmark, signal in
    let analyzer = RecordingAnalyzer()
    for _ in benchmark.scaledIterations { blackHole(analyzer.analyze(samples: signal)) }
  } setup: {
    SyntheticSpeech.voice(seed: 1).speak(seconds: 10, seed: 1)
  }
}
