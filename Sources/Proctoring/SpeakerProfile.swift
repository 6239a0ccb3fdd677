#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A compact description of the voice in one recording: mean and spread of 12 MFCCs over its voiced frames,
/// and the median fundamental frequency.
///
/// MFCCs: 25 ms Hann frames every 10 ms (512-point FFT at 16 kHz), 26 mel bands 100–4000 Hz, log energy,
/// DCT-II, c1…c12. Frames within 30 dB of the loudest frame and above -50 dBFS count as voiced. F0: the
/// normalised autocorrelation peak between 70 and 400 Hz on 40 ms frames every 30 ms, kept when above 0.5.
public struct SpeakerProfile: Sendable, Codable, Equatable {
  /// Mean of c1…c12.
  public var mfccMean: [Double]
  /// Standard deviation of c1…c12.
  public var mfccStd: [Double]
  /// Median F0 of voiced frames, Hz (0 when no frame was periodic enough).
  public var medianF0: Double
  /// Number of voiced frames the profile was made from.
  public var voicedFrames: Int

  public init(mfccMean: [Double], mfccStd: [Double], medianF0: Double, voicedFrames: Int) {
    self.mfccMean = mfccMean
    self.mfccStd = mfccStd
    self.medianF0 = medianF0
    self.voicedFrames = voicedFrames
  }

  /// A profile from SpeechDSP's `SpeechFeatures.speakerProfile` layout: 12 MFCC means, 12 standard deviations,
  /// then log2 of the median F0 (Hz). Nil for any other length (e.g. empty: no voiced frame).
  /// The distance thresholds here were calibrated on this module's own MFCCs; recalibrate when switching.
  public init?(speechDSPVector v: [Double]) {
    guard v.count == 2 * Self.coefficients + 1 else { return nil }
    self.init(mfccMean: Array(v[0..<Self.coefficients]), mfccStd: Array(v[Self.coefficients..<(2 * Self.coefficients)]),
      medianF0: v.last.map { pow(2, $0) } ?? 0, voicedFrames: 0)
  }

  /// Dissimilarity of two voices: RMS difference of the MFCC means plus 10 × |octaves between the F0s|.
  /// About 0.5–1 for two answers of one speaker in our synthetic tests, above 3 for two speakers.
  public func distance(to other: SpeakerProfile) -> Double {
    var sum = 0.0
    for k in 0..<min(mfccMean.count, other.mfccMean.count) {
      let d = mfccMean[k] - other.mfccMean[k]
      sum += d * d
    }
    let cepstral = (sum / Double(max(1, mfccMean.count))).squareRoot()
    let pitch = medianF0 > 0 && other.medianF0 > 0 ? abs(log2(medianF0 / other.medianF0)) : 0
    return cepstral + 10 * pitch
  }

  /// The element-wise median of several profiles (the candidate's "usual" voice).
  public static func median(_ profiles: [SpeakerProfile]) -> SpeakerProfile? {
    guard let first = profiles.first else { return nil }
    func med(_ values: [Double]) -> Double {
      let s = values.sorted()
      return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    let n = first.mfccMean.count
    return SpeakerProfile(
      mfccMean: (0..<n).map { k in med(profiles.map { $0.mfccMean.count > k ? $0.mfccMean[k] : 0 }) },
      mfccStd: (0..<n).map { k in med(profiles.map { $0.mfccStd.count > k ? $0.mfccStd[k] : 0 }) },
      medianF0: med(profiles.map(\.medianF0)), voicedFrames: profiles.map(\.voicedFrames).reduce(0, +))
  }

  static let coefficients = 12
  static let melBands = 26

  /// Computes the profile of 16 kHz mono `samples`; nil with fewer than 20 voiced frames.
  init?(samples: UnsafeBufferPointer<Float>, fft: RealFFT, window: [Float]) {
    let frame = 400, hop = 160
    guard samples.count >= frame else { return nil }
    let filters = Self.melFilters(fftSize: fft.size)
    var power: [Float] = []
    var logMel = [Double](repeating: 0, count: Self.melBands)
    var frames: [[Double]] = []
    var energies: [Double] = []
    var start = 0
    while start + frame <= samples.count {
      let slice = UnsafeBufferPointer(rebasing: samples[start..<(start + frame)])
      var energy = 0.0
      for x in slice { energy += Double(x) * Double(x) }
      energies.append(10 * log10(energy / Double(frame) + 1e-12))
      fft.powerSpectrum(slice, window: window, into: &power)
      for (m, filter) in filters.enumerated() {
        var e = 0.0
        for (k, w) in filter { e += Double(power[k]) * w }
        logMel[m] = log(e + 1e-10)
      }
      frames.append(Self.dct(logMel))
      start += hop
    }
    let loudest = energies.max() ?? -120
    let voiced = frames.indices.filter { energies[$0] > max(-50, loudest - 30) }
    guard voiced.count >= 20 else { return nil }
    var mean = [Double](repeating: 0, count: Self.coefficients)
    var square = [Double](repeating: 0, count: Self.coefficients)
    for i in voiced {
      for k in 0..<Self.coefficients {
        mean[k] += frames[i][k]
        square[k] += frames[i][k] * frames[i][k]
      }
    }
    let n = Double(voiced.count)
    mfccMean = mean.map { $0 / n }
    mfccStd = (0..<Self.coefficients).map { k in max(0, square[k] / n - (mean[k] / n) * (mean[k] / n)).squareRoot() }
    medianF0 = Self.medianF0(samples, loudestDb: loudest)
    voicedFrames = voiced.count
  }

  /// c1…c12 of a log-mel vector (DCT-II, orthonormal scaling).
  static func dct(_ x: [Double]) -> [Double] {
    let n = Double(x.count)
    return (1...coefficients).map { k in
      var s = 0.0
      for (i, v) in x.enumerated() { s += v * cos(Double.pi * Double(k) * (Double(i) + 0.5) / n) }
      return s * (2 / n).squareRoot()
    }
  }

  /// Triangular mel filters (bin, weight) between 100 and 4000 Hz.
  static func melFilters(fftSize: Int) -> [[(Int, Double)]] {
    func mel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
    func hz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }
    let low = mel(100), high = mel(4000)
    let points = (0...(melBands + 1)).map { hz(low + (high - low) * Double($0) / Double(melBands + 1)) }
    let binHz = 16_000.0 / Double(fftSize)
    return (0..<melBands).map { m in
      var filter: [(Int, Double)] = []
      let (a, b, c) = (points[m], points[m + 1], points[m + 2])
      for k in Int(a / binHz)...Int(c / binHz) + 1 {
        let f = Double(k) * binHz
        let w = f < b ? (f - a) / (b - a) : (c - f) / (c - b)
        if w > 0 { filter.append((k, w)) }
      }
      return filter
    }
  }

  /// Median F0 (Hz) over periodic 40 ms frames, computed at 8 kHz (pairs of samples averaged).
  static func medianF0(_ input: UnsafeBufferPointer<Float>, loudestDb: Double) -> Double {
    var x = [Float](repeating: 0, count: input.count / 2)
    for i in 0..<x.count { x[i] = (input[2 * i] + input[2 * i + 1]) * 0.5 }
    let frame = 320, hop = 240, minLag = 20, maxLag = 114
    var f0s: [Double] = []
    var start = 0
    while start + frame + maxLag <= x.count {
      var energy: Float = 0
      for i in start..<(start + frame) { energy += x[i] * x[i] }
      let db = 10 * log10(Double(energy) / Double(frame) + 1e-12)
      if db > max(-50, loudestDb - 25) {
        var bestLag = 0
        var bestR: Float = 0
        for lag in minLag...maxLag {
          var r: Float = 0, e2: Float = 0
          for i in start..<(start + frame) {
            r += x[i] * x[i + lag]
            e2 += x[i + lag] * x[i + lag]
          }
          let normalised = r / ((energy * e2).squareRoot() + 1e-9)
          if normalised > bestR {
            bestR = normalised
            bestLag = lag
          }
        }
        if bestR > 0.5 && bestLag > minLag && bestLag < maxLag { f0s.append(8_000 / Double(bestLag)) }
      }
      start += hop
    }
    guard !f0s.isEmpty else { return 0 }
    f0s.sort()
    return f0s[f0s.count / 2]
  }
}
