/// A machine score of one recorded answer, as the store keeps it.
public struct MachineScore: Sendable, Codable, Equatable {
  public var recordingId: Int64
  public var examId: String
  public var candidateId: String
  public var itemId: String
  /// Every measured feature by its JSON key (units in the key: `_s`, `_hz`, `_db`, …).
  public var features: [String: Double]
  /// Predicted aspect scores on the model's 0–10 scale (`accuracy`, `fluency`, `prosodic`, `completeness`, `total`).
  public var aspects: [String: Double]
  /// Rubric points the machine gives; nil when the audio could not be analysed.
  public var points: Double?
  /// 0–1: how far the machine score can be trusted (see Scoring's `ConfidenceEstimator`).
  public var confidence: Double
  /// Whether the answer must be marked by people (open answer, low confidence, or no machine score).
  public var needsHuman: Bool
  /// Why it was routed as it was, e.g. `open answer`, `low confidence 0.41`, `confident`.
  public var reason: String
  public var modelVersion: String
  public var scoredAt: String

  public init(
    recordingId: Int64, examId: String, candidateId: String, itemId: String, features: [String: Double],
    aspects: [String: Double], points: Double?, confidence: Double, needsHuman: Bool, reason: String,
    modelVersion: String, scoredAt: String
  ) {
    self.recordingId = recordingId
    self.examId = examId
    self.candidateId = candidateId
    self.itemId = itemId
    self.features = features
    self.aspects = aspects
    self.points = points
    self.confidence = confidence
    self.needsHuman = needsHuman
    self.reason = reason
    self.modelVersion = modelVersion
    self.scoredAt = scoredAt
  }
}

extension MachineScore {
  /// Where a machine score sends the answer.
  public enum Outcome: String, Sendable {
    /// The audio could not be analysed: no machine score.
    case unreadable
    /// Scored, but people must mark it (open answer or low confidence).
    case toHumans = "to_humans"
    /// Scored with confidence: the machine's mark is final.
    case confident
  }

  /// The one rule that sorts a score into unreadable, to human marking and confident.
  public var outcome: Outcome { points == nil ? .unreadable : needsHuman ? .toHumans : .confident }
}
