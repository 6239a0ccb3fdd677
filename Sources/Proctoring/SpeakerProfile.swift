import SpeechDSP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A compact description of the voice in one recording: SpeechDSP's `speaker_profile` (mean and spread of
/// MFCC 1–12 over its voiced frames, and the median F0 of Boersma's pitch tracker).
///
/// SpeechDSP computes it (25 ms Hamming frames every 10 ms, 26 HTK mel bands 20 Hz–8 kHz, DCT-II; voiced frames
/// are those with an F0); this type keeps the rule's side: the distance between two voices and their median.
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
  public init?(speechDSPVector v: [Double], voicedFrames: Int = 0) {
    guard v.count == 2 * Self.coefficients + 1 else { return nil }
    self.init(mfccMean: Array(v[0..<Self.coefficients]), mfccStd: Array(v[Self.coefficients..<(2 * Self.coefficients)]),
      medianF0: v.last.map { pow(2, $0) } ?? 0, voicedFrames: voicedFrames)
  }

  /// Dissimilarity of two voices: RMS difference of the MFCC means plus 10 × |octaves between the F0s|.
  /// Calibrated on real speakers (docs/accuracy.md, "the voice-change rule").
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
  /// Fewer voiced frames (10 ms each) than this describe no voice.
  static let minimumVoicedFrames = 20

  /// The profile of 16 kHz mono `samples` from SpeechDSP's front end (`SpeechAnalyzer.speakerProfile`);
  /// nil with fewer than `minimumVoicedFrames` voiced frames.
  init?(samples: UnsafeBufferPointer<Float>, analyzer: SpeechAnalyzer) {
    let measured = analyzer.speakerProfile(samples: samples)
    guard measured.voicedFrames >= Self.minimumVoicedFrames else { return nil }
    self.init(speechDSPVector: measured.values, voicedFrames: measured.voicedFrames)
  }
}
