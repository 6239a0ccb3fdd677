/// A pronunciation result as printed by `exam audio analyze --text` (JSON): the answer's measures, or why there
/// are none, and with `perPhone` every word and phone.
public struct PronunciationReport: Sendable, Encodable {
  /// `MissingReason.code`, nil when measured.
  public var missing: String?
  /// What was found and what follows (`MissingReason.description`).
  public var missingReason: String?
  public var features: PronunciationFeatures?
  /// The measures under the scorer's names (`pron_…`).
  public var values: [String: Double]
  public var words: [WordScore]?
  public var phones: [PhoneScore]?
  public var retriedWithWideBeams: Bool
  /// The vocal-tract warp the alignment was kept at (1 = not warped).
  public var frequencyWarp: Double?

  public init(_ result: PronunciationResult, perPhone: Bool) {
    missing = result.missing?.code
    missingReason = result.missing?.description
    features = result.features
    values = result.namedValues
    words = perPhone ? result.words : nil
    phones = perPhone ? result.phones : nil
    retriedWithWideBeams = result.retriedWithWideBeams
    frequencyWarp = result.frequencyWarp
  }

  /// Only a reason (no model, no text).
  public init(missing reason: MissingReason) {
    missing = reason.code
    missingReason = reason.description
    features = nil
    values = PronunciationResult.namedValues(missing: reason)
    words = nil
    phones = nil
    retriedWithWideBeams = false
    frequencyWarp = nil
  }
}
