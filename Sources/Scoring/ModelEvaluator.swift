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
  /// With cross-validation: machine error of the least confident tenth of answers against the rest.
  public var confidence: ConfidenceCheck?
  /// Machine–human r per aspect within bands of the experts' total (and of age, when the manifest has it), so a
  /// model that only works on the easy part shows.
  public var bands: [Band]? = nil

  public struct Band: Sendable, Codable, Equatable {
    public var name: String
    public var answers: Int
    /// Aspect → Pearson r of machine and human mean within the band.
    public var pearson: [String: Double]
    /// Aspect → each rater against the mean of the others within the band, averaged: how far the raters
    /// themselves agree there (a narrow band's scores vary little, and every r in it falls).
    public var humanVersusRest: [String: Double]? = nil
  }

  public struct ConfidenceCheck: Sendable, Codable, Equatable {
    public struct Errors: Sendable, Codable, Equatable {
      /// Mean |machine − human mean| on the 0–10 scale.
      public var lowestDecile: Double
      public var rest: Double
    }
    public var threshold: Double
    /// Answers under the routing threshold (they would go to people).
    public var underThreshold: Int
    /// The highest confidence within the lowest tenth.
    public var lowestDecileMaximum: Double
    public var meanAbsoluteError: [String: Errors]
  }
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
    crossValidated(samples, ratings: ratings).predictions
  }

  /// Out-of-fold predictions and, per sample, the confidence the fold's model gives it and the answer's relative
  /// leverage (which orders answers of equal confidence).
  public func crossValidated(
    _ samples: [CalibrationSample], ratings: HumanRatings,
    estimator: ConfidenceEstimator = ConfidenceEstimator()
  ) -> (predictions: [String: [Double]], confidence: [Double], leverage: [Double]) {
    let foldOf = SpeakerFolds.assign(speakers: samples.map(\.speaker), folds: folds)
    var out: [String: [Double]] = [:]
    var confidence = [Double](repeating: 0, count: samples.count)
    var leverage = [Double](repeating: 0, count: samples.count)
    for a in ratings.aspects { out[a] = [Double](repeating: 0, count: samples.count) }
    for k in Set(foldOf).sorted() {
      let train = samples.indices.filter { foldOf[$0] != k }.map { samples[$0] }
      let model = calibrator.fit(
        train, targets: targets(train, ratings), scaleMaximum: ratings.scaleMaximum,
        aspects: ratings.aspects, source: "fold \(k)", createdAt: "")
      for i in samples.indices where foldOf[i] == k {
        guard let p = model.predict(features: samples[i].features, text: samples[i].text) else { continue }
        for a in ratings.aspects { out[a]?[i] = p.aspects[a] ?? 0 }
        confidence[i] = estimator.judge(p, features: samples[i].features).confidence
        leverage[i] = p.relativeLeverage
      }
    }
    return (out, confidence, leverage)
  }

  /// How machine error differs between the least confident answers and the rest, per aspect: the check that
  /// confidence is worth routing by. Answers are ranked by confidence, ties by leverage (higher is less sure).
  public func confidenceCheck(
    _ samples: [CalibrationSample], predictions: [String: [Double]], confidence: [Double],
    leverage: [Double], ratings: HumanRatings, threshold: Double
  ) -> EvaluationReport.ConfidenceCheck {
    let order = confidence.indices.sorted { (confidence[$0], -leverage[$0]) < (confidence[$1], -leverage[$1]) }
    let lowest = Set(order.prefix(max(1, samples.count / 10)))
    var errors: [String: EvaluationReport.ConfidenceCheck.Errors] = [:]
    for a in ratings.aspects {
      var low: [Double] = [], rest: [Double] = []
      for (i, s) in samples.enumerated() {
        guard let h = ratings.mean(s.id, a), let p = predictions[a]?[i] else { continue }
        let e = abs(p - h) * 10 / (ratings.scaleMaximum[a] ?? 10)
        if lowest.contains(i) { low.append(e) } else { rest.append(e) }
      }
      func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
      errors[a] = .init(lowestDecile: mean(low), rest: mean(rest))
    }
    return .init(
      threshold: threshold, underThreshold: confidence.filter { $0 < threshold }.count,
      lowestDecileMaximum: order.prefix(max(1, samples.count / 10)).last.map { confidence[$0] } ?? 0,
      meanAbsoluteError: errors)
  }

  /// Human means per aspect for `samples`.
  public func targets(_ samples: [CalibrationSample], _ ratings: HumanRatings) -> [String: [Double?]] {
    var t: [String: [Double?]] = [:]
    for a in ratings.aspects { t[a] = samples.map { ratings.mean($0.id, a) } }
    return t
  }

  /// The report for `predictions` (per aspect, in `samples` order) against `ratings`.
  public func report(
    _ samples: [CalibrationSample], predictions: [String: [Double]], ratings: HumanRatings,
    method: String, failedAnswers: Int
  ) -> EvaluationReport {
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
      aspects.append(
        .init(
          aspect: a, machine: AgreementMetrics.agreement(machine, human, scaleMaximum: maximum),
          humanVersusRest: AgreementMetrics.oneVersusRestMean(raw, scaleMaximum: maximum), raters: ratings.raterCount(a)
        ))
    }
    return EvaluationReport(
      method: method, answers: samples.count, speakers: Set(samples.map(\.speaker)).count,
      failedAnswers: failedAnswers, aspects: aspects, confidence: nil,
      bands: bands(samples, predictions: predictions, ratings: ratings))
  }
}
