/// Synthetic test signals with known answers.
public enum TestSignal {
  /// A sine of `hertz` at `amplitude` for `seconds` at `sampleRate` Hz.
  public static func sine(hertz: Double, seconds: Double, sampleRate: Int = 16_000, amplitude: Double = 0.5) -> [Float]
  {
    let n = Int(seconds * Double(sampleRate))
    return (0..<n).map { Float(amplitude * sin(2 * Double.pi * hertz * Double($0) / Double(sampleRate))) }
  }

  /// Silence.
  public static func silence(seconds: Double, sampleRate: Int = 16_000) -> [Float] {
    [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
  }

  /// Uniform white noise at `amplitude`, seeded.
  public static func noise(seconds: Double, sampleRate: Int = 16_000, amplitude: Float = 0.1, seed: UInt64 = 1)
    -> [Float]
  {
    var rng = SplitMix64(seed: seed)
    return (0..<Int(seconds * Double(sampleRate))).map { _ in Float.random(in: -amplitude...amplitude, using: &rng) }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
