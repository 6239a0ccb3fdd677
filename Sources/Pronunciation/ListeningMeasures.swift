import Foundation
import SpeechEncoder

/// What the speech encoder's phone classifier hears in an answer without its text: frame by frame over the
/// answer's speech region, how sure it is which phone (or silence) each frame is. An open answer has no prompt to
/// align, and a read-aloud answer the aligner could not fit still has these; the audio-only inputs of the scoring
/// model read them (`pron_free_…`). A learner's unclear phones leave frames no phone fits well: the clarity and
/// entropy here correlate with the experts' accuracy among children (docs/accuracy.md, "Open answers with the
/// speech encoder").
public struct ListeningMeasures: Sendable, Equatable, Codable {
  /// Share of the region's frames whose likeliest class is a phone, not silence.
  public var speechShare: Double
  /// Mean over the speech frames of the likeliest class's log posterior (nats, ≤ 0; nearer 0 is clearer).
  public var clarityMean: Double
  /// 10th percentile of the same.
  public var clarityP10: Double
  /// Mean entropy of the speech frames' posteriors (nats).
  public var entropyMean: Double
  /// Changes of the likeliest phone per second of speech frames.
  public var changesPerSecond: Double

  /// From `logPosteriors` (`frameCount × classes.count`, row-major) of frames `frameSeconds` apart; nil without
  /// frames or without a `SIL` class. With no speech frame, clarity and entropy are those of all frames.
  public static func measure(logPosteriors: [Float], classes: [String], frameSeconds: Double) -> ListeningMeasures? {
    let classCount = classes.count
    guard classCount > 0, let silence = classes.firstIndex(of: "SIL"), logPosteriors.count % classCount == 0 else {
      return nil
    }
    let frameCount = logPosteriors.count / classCount
    guard frameCount > 0 else { return nil }
    var best = [Int](repeating: 0, count: frameCount)
    var clarity = [Double](repeating: 0, count: frameCount)
    var entropy = [Double](repeating: 0, count: frameCount)
    for frame in 0..<frameCount {
      let row = frame * classCount
      var top = 0
      var sum = 0.0
      for k in 0..<classCount {
        let lp = Double(logPosteriors[row + k])
        if logPosteriors[row + k] > logPosteriors[row + top] { top = k }
        sum -= exp(lp) * lp
      }
      best[frame] = top
      clarity[frame] = Double(logPosteriors[row + top])
      entropy[frame] = sum
    }
    let speech = (0..<frameCount).filter { best[$0] != silence }
    let counted = speech.isEmpty ? Array(0..<frameCount) : speech
    var changes = 0
    for (a, b) in zip(speech, speech.dropFirst()) where best[a] != best[b] { changes += 1 }
    let clarities = counted.map { clarity[$0] }
    return ListeningMeasures(
      speechShare: Double(speech.count) / Double(frameCount),
      clarityMean: PronunciationFeatures.mean(clarities), clarityP10: PronunciationFeatures.quantile(clarities, 0.1),
      entropyMean: PronunciationFeatures.mean(counted.map { entropy[$0] }),
      changesPerSecond: Double(changes) / max(Double(speech.count) * frameSeconds, frameSeconds))
  }

  /// The measures under the scorer's names.
  public var namedValues: [String: Double] {
    [
      "pron_free_speech_share": speechShare, "pron_free_clarity_mean": clarityMean,
      "pron_free_clarity_p10": clarityP10, "pron_free_entropy": entropyMean, "pron_free_change_rate": changesPerSecond,
    ]
  }

  public static let numericKeys = [
    "pron_free_speech_share", "pron_free_clarity_mean", "pron_free_clarity_p10", "pron_free_entropy",
    "pron_free_change_rate",
  ]
}
