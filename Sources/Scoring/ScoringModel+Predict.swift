/// A model's scores for one answer, with what is needed to judge them.
public struct ModelPrediction: Sendable, Equatable {
  /// Aspect scores on each aspect's scale, clipped to `0…scaleMaximum`.
  public var aspects: [String: Double]
  /// Half width of the 95% prediction interval per aspect, on the aspect's scale.
  public var intervalHalfWidth: [String: Double]
  /// Leverage zᵀ(ZᵀZ + I)⁻¹z; `relativeLeverage` = n·h/p is about 1 for a typical training answer.
  public var relativeLeverage: Double
  /// Inputs the model uses that this answer lacked (replaced by their training mean).
  public var missingInputs: [String]
  public var featureSet: String
}

extension ScoringModel.FeatureSet {
  /// Standardised inputs in `features` order; missing ones are 0 (the training mean).
  func standardise(_ inputs: [String: Double]) -> (z: [Double], missing: [String]) {
    var z = [Double](repeating: 0, count: features.count)
    var missing: [String] = []
    for (i, name) in features.enumerated() {
      if let x = inputs[name], x.isFinite {
        z[i] = (x - means[i]) / standardDeviations[i]
      } else {
        missing.append(name)
      }
    }
    return (z, missing)
  }
}

extension ScoringModel {
  /// Scores an answer from its measured features (SpeechDSP keys) and prompt text.
  public func predict(features: [String: Double], text: String?) -> ModelPrediction? {
    let inputs = ModelFeatures.derive(features, text: text)
    let hasText = text.map { !$0.isEmpty } ?? false
    guard let set = featureSet(hasText: hasText, hasPronunciation: ModelFeatures.hasPronunciation(features)) else {
      return nil
    }
    let (z, missing) = set.standardise(inputs)
    let p = z.count
    var h = 0.0
    for i in 0..<p {
      var row = 0.0
      for j in 0..<p { row += set.leverageMatrix[i * p + j] * z[j] }
      h += z[i] * row
    }
    let relative = p == 0 ? 0 : h * Double(max(training.answers, 1)) / Double(p)
    var aspects: [String: Double] = [:]
    var widths: [String: Double] = [:]
    for a in set.aspects {
      var s = a.intercept
      for (c, x) in zip(a.coefficients, z) { s += c * x }
      aspects[a.name] = min(max(s, 0), a.scaleMaximum)
      widths[a.name] = 1.96 * a.residualStandardDeviation * (1 + h).squareRoot()
    }
    return ModelPrediction(
      aspects: aspects, intervalHalfWidth: widths, relativeLeverage: relative,
      missingInputs: missing, featureSet: set.name)
  }
}
