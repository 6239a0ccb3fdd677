import ExamCore

/// Turns one answer's features into a machine score, a confidence and a routing decision.
public struct AnswerScorer: Sendable {
  public var model: ScoringModel
  public var estimator: ConfidenceEstimator

  public init(model: ScoringModel, estimator: ConfidenceEstimator = ConfidenceEstimator()) {
    self.model = model
    self.estimator = estimator
  }

  public struct Outcome: Sendable, Equatable {
    public var aspects: [String: Double]
    public var points: Double
    public var confidence: Double
    public var needsHuman: Bool
    public var reason: String
  }

  /// Scores an answer to `item` from its features.
  ///
  /// Read-aloud: aspects from the model with the item's reference text as prompt; when the features include
  /// `ref_coverage` (similarity to the reference reading), completeness is at most coverage × scale. Open answers:
  /// the model without text gives fluency and prosody; the answer always goes to people (content needs a person),
  /// with this score as the first mark. Any answer under the confidence threshold goes to people too.
  public func score(item: ItemDefinition, features: [String: Double]) -> Outcome {
    let text = item.type.isReadAloud ? (item.referenceText ?? item.promptText) : nil
    let scale = Dictionary(
      uniqueKeysWithValues: (model.featureSets.first?.aspects ?? []).map { ($0.name, $0.scaleMaximum) })
    guard let prediction = model.predict(features: features, text: text) else {
      return Outcome(aspects: [:], points: 0, confidence: 0, needsHuman: true, reason: "the model has no feature set")
    }
    var aspects = prediction.aspects
    if item.type.isReadAloud, let coverage = features["ref_coverage"], let c = aspects["completeness"] {
      aspects["completeness"] = min(c, max(0, min(coverage, 1)) * (scale["completeness"] ?? 10))
    }
    let judgement = estimator.judge(prediction, features: features)
    let points = ItemScoring.points(for: item, aspects: aspects, scaleMaximum: scale)
    let confidence = (judgement.confidence * 1000).rounded() / 1000
    var reasons: [String] = []
    if item.type.needsHumanContentMark { reasons.append("open answer: content needs a person") }
    if confidence < estimator.threshold {
      reasons.append(
        "low confidence \(confidence)"
          + (judgement.reasons.isEmpty ? "" : " (" + judgement.reasons.joined(separator: "; ") + ")"))
    }
    let needsHuman = !reasons.isEmpty
    let reason = (needsHuman ? reasons : ["confident"]) + judgement.notes
    return Outcome(
      aspects: aspects, points: points, confidence: confidence, needsHuman: needsHuman,
      reason: reason.joined(separator: "; "))
  }
}
