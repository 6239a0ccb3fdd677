/// Entry points to single stages of the analysis, for the package benchmark (Benchmarks/DSPBenchmarks).
/// Not API: the underscore says so; use `SpeechAnalyzer`.
public enum _SpeechDSPHotPaths {
  /// MFCC and band energies of every 10 ms frame of 16 kHz `samples`; returns the frame count.
  public static func spectralFrames(_ samples: [Float]) -> Int {
    samples.withUnsafeBufferPointer { SpectralAnalyzer(sampleRate: 16_000, hop: 160).analyze($0).count }
  }

  /// F0 of every 10 ms frame of 16 kHz `samples`; returns the number of voiced frames.
  public static func pitch(_ samples: [Float]) -> Int {
    let frames = (samples.count + 159) / 160
    let tracker = PitchTracker(sampleRate: 16_000, hop: 160, configuration: AnalyzerConfiguration())
    return samples.withUnsafeBufferPointer { tracker.track($0, frameCount: frames) }.filter { $0 > 0 }.count
  }
}
