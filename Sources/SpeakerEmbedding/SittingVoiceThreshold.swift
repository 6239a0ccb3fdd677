import Foundation
import SpeechDSP

/// The voice-change threshold of one sitting, set for a stated false-alarm rate.
///
/// Each candidate with two or more compared answers has a lowest score (`VoiceChangeRule`); nearly all candidates
/// are genuine, so these lowest scores show what a genuine candidate scores *in this sitting* (its recording chain,
/// its cohort, its answer lengths). They are modelled as normal, with the median as centre and 1.4826 × the median
/// absolute deviation as spread (both barely moved by the few impostors), and the threshold is that model's
/// `falseAlarmRate` quantile: about that share of genuine candidates score under it. A fixed threshold does not
/// carry from one group of speakers to another (docs/accuracy.md: chosen on one half of speechocean762 for 0 % false
/// alarms, it flagged 4.8 % of the other half); the sitting's own spread does.
public struct SittingVoiceThreshold: Sendable, Equatable {
  /// Scores under this raise an incident.
  public var threshold: Double
  /// Median of the candidates' lowest scores.
  public var median: Double
  /// 1.4826 × their median absolute deviation (a standard deviation for a normal distribution), at least 0.1.
  public var spread: Double
  /// Candidates whose lowest scores were used.
  public var candidates: Int
  /// The stated share of genuine candidates to flag.
  public var falseAlarmRate: Double

  /// Fewer candidates than this give no sitting threshold (the median and spread would be too noisy).
  public static let minimumCandidates = 30

  /// The threshold for `lowestScores` (one per candidate), or nil with fewer than `minimumCandidates` scores or a
  /// rate outside 0 < p < 0.5.
  public init?(lowestScores: [Double], falseAlarmRate: Double, minimumCandidates: Int = Self.minimumCandidates) {
    let scores = lowestScores.filter(\.isFinite)
    guard scores.count >= max(2, minimumCandidates), falseAlarmRate > 0, falseAlarmRate < 0.5 else { return nil }
    let median = Statistics.quantile(sorted: scores.sorted(), 0.5)
    let spread = max(1.4826 * Statistics.quantile(sorted: scores.map { abs($0 - median) }.sorted(), 0.5), 0.1)
    self.median = median
    self.spread = spread
    self.candidates = scores.count
    self.falseAlarmRate = falseAlarmRate
    self.threshold = median + Self.normalQuantile(falseAlarmRate) * spread
  }

  /// The standard normal distribution's `p` quantile (0 < p < 1), by bisection on its distribution function
  /// (½ erfc(−z/√2)) to 1e-9.
  public static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
    var low = -40.0
    var high = 40.0
    while high - low > 1e-9 {
      let mid = (low + high) / 2
      if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
    }
    return (low + high) / 2
  }
}
