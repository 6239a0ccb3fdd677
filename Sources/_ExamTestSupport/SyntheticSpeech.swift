import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// ExamKit's one home for synthetic speech (tests and benchmarks only; no product links it): a tiny formant
/// synthesiser with a controllable voice, and the simpler speech-like signals below it.
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

  /// A steady vowel: harmonics of `f0` below 4 kHz under a formant-ish envelope (peaks near 700 and 1,200 Hz),
  /// `seconds` long, peak `amplitude`. Known F0, no pauses: for pitch and level tests.
  public static func vowel(f0: Double, seconds: Double, amplitude: Double = 0.3, sampleRate: Int = 16_000) -> [Float] {
    let n = Int(seconds * Double(sampleRate))
    var out = [Float](repeating: 0, count: n)
    var harmonic = 1
    while Double(harmonic) * f0 < 4_000 {
      let f = Double(harmonic) * f0
      let weight = 1 / Double(harmonic) * (1 + 2 * exp(-pow((f - 700) / 300, 2)) + exp(-pow((f - 1_200) / 300, 2)))
      for i in 0..<n { out[i] += Float(weight * sin(2 * Double.pi * f * Double(i) / Double(sampleRate))) }
      harmonic += 1
    }
    let peak = out.map(abs).max() ?? 1
    return out.map { $0 / peak * Float(amplitude) }
  }

  /// A vowel-like signal at 16 kHz with pauses: 12 harmonics of an F0 gliding 100–180 Hz (period 1.4 s) with
  /// the 4th and 8th doubled, gated on about 60 % of every 0.4 s. The package benchmarks' input.
  public static func glidingVowel(seconds: Double) -> [Float] {
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

  /// Tone bursts of `hertz` (0.4 s on, 0.2 s off, amplitude 0.4) over quiet noise (±0.003), `seconds` long: an
  /// answer that is neither silent nor clipped, cheap enough for ingest's many-file tests.
  public static func toneBursts(seconds: Double, sampleRate: Int = 16_000, seed: UInt64 = 1, hertz: Double = 220)
    -> [Float]
  {
    let noise = TestSignal.noise(seconds: seconds, sampleRate: sampleRate, amplitude: 0.003, seed: seed)
    return (0..<noise.count).map { i in
      let t = Double(i) / Double(sampleRate)
      let envelope = (t.truncatingRemainder(dividingBy: 0.6) < 0.4) ? 0.4 : 0.0
      return noise[i] + Float(envelope * sin(2 * .pi * hertz * t))
    }
  }

  /// SplitMix64, so outputs are the same on every machine.
  typealias Generator = SplitMix64
}
