import ExamCore
import Pronunciation
import SpeechDSP

/// How far a machine score can be trusted, 0–1, and why.
///
/// confidence = data × inputs × signal, where
/// - data = 1 while the answer's relative leverage n·h/p (≈ 1 for a typical training answer) is at most
///   `typicalLeverage`, then `typicalLeverage / (n·h/p)`: answers unlike the training data get wider
///   prediction intervals and less trust;
/// - inputs = 1 − 0.2 per model input the answer lacked (e.g. no voiced frame, so no pitch range);
/// - signal = 0.2 when there is (almost) no speech (speech under `minimumSpeechSeconds` or speech ratio under
///   0.1), 0.5 when the signal-to-noise ratio is under `minimumSNR` dB, 0.6 when the answer clips (SpeechDSP's
///   `LevelMeter` definition, the one ingest flags and proctoring raises: over 0.2 % of samples at |x| ≥ 0.99);
/// - pronunciation = `unalignedFactor` when the prompt was given but could not be found in the answer (the
///   answer's own fault: `alignment-failed`, `prompt-not-spoken`, `silent`, `too-short`, …; see
///   `MissingReason.isCausedByAnswer`): another sentence, silence or noise goes to people. When pronunciation could
///   not be measured for the item's or the installation's sake (no text, no model), the factor stays 1 and the
///   reason is kept as a note.
/// Answers under `threshold` go to a human.
public struct ConfidenceEstimator: Sendable, Equatable {
  public var typicalLeverage = 3.0
  public var minimumSpeechSeconds = 0.5
  public var minimumSNR = 10.0
  public var threshold = 0.6
  public var unalignedFactor = 0.3

  public init(threshold: Double = 0.6) { self.threshold = threshold }

  public struct Judgement: Sendable, Equatable {
    public var confidence: Double
    /// Short reasons for every factor under 1, e.g. `["low SNR 6.2 dB"]`.
    public var reasons: [String]
    /// What was not measured without lowering trust, e.g. `["pronunciation not measured: model-not-installed"]`.
    public var notes: [String] = []
  }

  public func judge(_ prediction: ModelPrediction, features: [String: Double]) -> Judgement {
    var reasons: [String] = []
    var data = 1.0
    if prediction.relativeLeverage > typicalLeverage {
      data = typicalLeverage / prediction.relativeLeverage
      reasons.append(
        "unlike the training data (leverage ×\(NumberText.plain(prediction.relativeLeverage, decimals: 1)))")
    }
    let inputs = max(0, 1 - 0.2 * Double(prediction.missingInputs.count))
    if !prediction.missingInputs.isEmpty {
      reasons.append("missing \(prediction.missingInputs.joined(separator: ", "))")
    }
    var signal = 1.0
    let speech = features["speech_s"] ?? (features["duration_s"] ?? 0) * (features["speech_ratio"] ?? 0)
    if speech < minimumSpeechSeconds || (features["speech_ratio"] ?? 0) < 0.1 {
      signal = 0.2
      reasons.append("little or no speech (\(NumberText.plain(speech, decimals: 1)) s)")
    } else if let snr = features["snr_db"], snr < minimumSNR {
      signal = 0.5
      reasons.append("low SNR \(NumberText.plain(snr, decimals: 1)) dB")
    } else if let clipping = features["clipping_ratio"], clipping > LevelMeter.clippedFractionLimit {
      signal = 0.6
      reasons.append("clipped \(NumberText.plain(clipping * 100, decimals: 1))%")
    }
    var pronunciation = 1.0
    var notes: [String] = []
    if let value = features[PronunciationResult.missingKey], value != 0 {
      let code = MissingReason.code(numeric: value) ?? "unknown"
      if MissingReason.isCausedByAnswer(code: code) {
        pronunciation = unalignedFactor
        reasons.append("prompt not found in the answer (pronunciation: \(code))")
      } else {
        notes.append("pronunciation not measured: \(code)")
      }
    }
    return Judgement(confidence: data * inputs * signal * pronunciation, reasons: reasons, notes: notes)
  }
}
