/// Machine–human and human–human agreement per aspect, as `exam score evaluate` reports it.
public struct EvaluationReport: Sendable, Codable, Equatable {
  public struct AspectReport: Sendable, Codable, Equatable {
    public var aspect: String
    /// Machine against the mean of the human raters.
    public var machine: Agreement
    /// Each rater against the mean of the others, averaged (nil with one rater).
    public var humanVersusRest: Agreement?
    /// Raters per answer.
    public var raters: Int
  }
  /// `speaker-disjoint k-fold cross-validation` or `held-out model <version>`.
  public var method: String
  public var answers: Int
  public var speakers: Int
  public var failedAnswers: Int
  public var aspects: [AspectReport]
}

/// Evaluates machine scores against human ratings.
public struct ModelEvaluator: Sendable {
  public var calibrator = ModelCalibrator()
  /// Outer folds of the cross-validation.
  public var folds = 5

  public init() {}

  /// Out-of-fold predictions: for each speaker-disjoint fold, a model calibrated (λ chosen inside) on the other
  /// folds scores the fold's answers. Returns predictions per aspect, in `samples` order.
  public func crossValidatedPredictions(_ samples: [CalibrationSample], ratings: HumanRatings) -> [String: [Double]] {
    let foldOf = SpeakerFolds.assign(speakers: samples.map(\.speaker), folds: folds)
    var out: [String: [Double]] = [:]
    for a in ratings.aspects { out[a] = [Double](repeating: 0, count: samples.count) }
    for k in Set(foldOf).sorted() {
      let train = samples.indices.filter { foldOf[$0] != k }.map { samples[$0] }
      let model = calibrator.fit(train, targets: targets(train, ratings), scaleMaximum: ratings.scaleMaximum,
        aspects: ratings.aspects, source: "fold \(k)", createdAt: "")
      for i in samples.indices where foldOf[i] == k {
        guard let p = model.predict(features: samples[i].features, text: samples[i].text) else { continue }
        for a in ratings.aspects { out[a]?[i] = p.aspects[a] ?? 0 }
      }
    }
    return out
  }

  /// Human means per aspect for `samples`.
  public func targets(_ samples: [CalibrationSample], _ ratings: HumanRatings) -> [String: [Double?]] {
    var t: [String: [Double?]] = [:]
    for a in ratings.aspects { t[a] = samples.map { ratings.mean($0.id, a) } }
    return t
  }

  /// The report for `predictions` (per aspect, in `samples` order) against `ratings`.
  public func report(_ samples: [CalibrationSample], predictions: [String: [Double]], ratings: HumanRatings,
    method: String, failedAnswers: Int) -> EvaluationReport
  {
    var aspects: [EvaluationReport.AspectReport] = []
    for a in ratings.aspects {
      var machine: [Double] = [], human: [Double] = [], raw: [[Double?]] = []
      for (i, s) in samples.enumerated() {
        guard let m = ratings.mean(s.id, a), let p = predictions[a]?[i] else { continue }
        machine.append(p)
        human.append(m)
        raw.append(ratings.ratings[s.id]?[a] ?? [])
      }
      let maximum = ratings.scaleMaximum[a] ?? 10
      aspects.append(.init(
        aspect: a, machine: AgreementMetrics.agreement(machine, human, scaleMaximum: maximum),
        humanVersusRest: AgreementMetrics.oneVersusRestMean(raw, scaleMaximum: maximum), raters: ratings.raterCount(a)))
    }
    return EvaluationReport(method: method, answers: samples.count, speakers: Set(samples.map(\.speaker)).count,
      failedAnswers: failedAnswers, aspects: aspects)
  }
}
