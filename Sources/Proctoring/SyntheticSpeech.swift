import ExamCore
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tiny formant synthesiser that makes speech-like audio with a controllable voice, for tests,
/// benchmarks and demos of the recording rules (no real candidate audio needed).
///
/// A glottal pulse train at the voice's F0 (with intonation and jitter) goes through three resonators at
/// vowel formants scaled by the voice's vocal-tract factor; syllables of 120–300 ms are separated by short
/// pauses. The same voice with another `seed` says different "words"; another voice differs in F0 and
/// formants, as two people do.
public struct SyntheticSpeech: Sendable {
  /// Mean fundamental frequency, Hz (about 110 for a low voice, 220 for a high one).
  public var f0: Double
  /// Formant scale (1 = average adult; 0.85 longer vocal tract, 1.15 shorter).
  public var formantScale: Double
  /// Output rate, Hz.
  public var sampleRate = 16_000

  public init(f0: Double, formantScale: Double) {
    self.f0 = f0
    self.formantScale = formantScale
  }

  /// A voice drawn from `seed` (F0 95–250 Hz, formant scale 0.85–1.15).
  public static func voice(seed: UInt64) -> SyntheticSpeech {
    var rng = Generator(seed: seed)
    return SyntheticSpeech(f0: 95 + 155 * rng.unit(), formantScale: 0.85 + 0.3 * rng.unit())
  }

  static let vowels: [(Double, Double, Double)] = [
    (730, 1090, 2440), (270, 2290, 3010), (530, 1840, 2480), (570, 840, 2410), (300, 870, 2240), (660, 1720, 2410),
    (490, 1350, 1690), (440, 1020, 2240),
  ]

  /// `seconds` of speech; `seed` chooses the words. Peak about 0.5, with a quiet noise floor (-60 dBFS).
  public func speak(seconds: Double, seed: UInt64) -> [Float] {
    var rng = Generator(seed: seed)
    let n = Int(seconds * Double(sampleRate))
    var source = [Double](repeating: 0, count: n)
    var envelope = [Double](repeating: 0, count: n)
    var formants = [(Double, Double, Double)](repeating: (500, 1500, 2500), count: n)
    var t = Int(0.2 * Double(sampleRate))
    while t < n {
      let syllable = Int((0.12 + 0.18 * rng.unit()) * Double(sampleRate))
      let vowel = Self.vowels[Int(rng.unit() * Double(Self.vowels.count)) % Self.vowels.count]
      let pitch = f0 * (0.9 + 0.2 * rng.unit())
      var phase = 0.0
      for i in t..<min(n, t + syllable) {
        let local = Double(i - t) / Double(syllable)
        envelope[i] = sin(Double.pi * local)
        formants[i] = (vowel.0 * formantScale, vowel.1 * formantScale, vowel.2 * formantScale)
        phase += pitch * (1 - 0.1 * local) * (1 + 0.01 * (rng.unit() - 0.5)) / Double(sampleRate)
        if phase >= 1 {
          phase -= 1
          source[i] = 1
        }
      }
      t += syllable + Int((0.03 + (rng.unit() < 0.3 ? 0.25 : 0.05) * rng.unit()) * Double(sampleRate))
    }
    var y = [Double](repeating: 0, count: n)
    var states = [(0.0, 0.0), (0.0, 0.0), (0.0, 0.0)]
    let bandwidths = [80.0, 100.0, 140.0]
    for i in 0..<n {
      var x = source[i]
      let f = [formants[i].0, formants[i].1, formants[i].2]
      for k in 0..<3 {
        let r = exp(-Double.pi * bandwidths[k] / Double(sampleRate))
        let theta = 2 * Double.pi * f[k] / Double(sampleRate)
        let out = (1 - r) * x + 2 * r * cos(theta) * states[k].0 - r * r * states[k].1
        states[k] = (out, states[k].0)
        x = out
      }
      y[i] = x * envelope[i]
    }
    let peak = y.map(abs).max() ?? 1
    return y.map { Float(0.5 * $0 / max(peak, 1e-9) + 0.001 * (rng.unit() - 0.5)) }
  }

  /// `count` samples of uniform white noise in ±`amplitude` (a noisy room), seeded.
  public static func noise(count: Int, amplitude: Float, seed: UInt64) -> [Float] {
    var rng = Generator(seed: seed)
    return (0..<count).map { _ in Float(rng.unit() * 2 - 1) * amplitude }
  }

  /// SplitMix64, so outputs are the same on every machine.
  typealias Generator = SplitMix64
}
