import ExamCore

extension ModelEvaluator {
  /// `exam score evaluate`: the agreement report of `model` scoring `samples` as it is, or, when `model` is nil,
  /// of speaker-disjoint cross-validation (`folds` folds) on them, with its confidence check.
  /// - Parameter failedAnswers: answers of the manifest that could not be measured (named in the report).
  public func evaluate(_ samples: [CalibrationSample], ratings: HumanRatings, model: ScoringModel?, failedAnswers: Int)
    -> EvaluationReport
  {
    guard let model else {
      let cv = crossValidated(samples, ratings: ratings)
      var report = report(
        samples, predictions: cv.predictions, ratings: ratings,
        method: "\(folds)-fold speaker-disjoint cross-validation", failedAnswers: failedAnswers)
      report.confidence = confidenceCheck(
        samples, predictions: cv.predictions, confidence: cv.confidence,
        leverage: cv.leverage, ratings: ratings, threshold: ConfidenceEstimator().threshold)
      return report
    }
    var predictions: [String: [Double]] = [:]
    for s in samples {
      let p = model.predict(features: s.features, text: s.text)
      for a in ratings.aspects { predictions[a, default: []].append(p?.aspects[a] ?? 0) }
    }
    return report(
      samples, predictions: predictions, ratings: ratings, method: "model \(model.version) as it is",
      failedAnswers: failedAnswers)
  }
}
