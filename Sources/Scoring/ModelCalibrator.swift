/// One answer with measured features, for calibration or evaluation.
public struct CalibrationSample: Sendable, Equatable {
  public var id: String
  public var speaker: String
  public var text: String?
  public var features: [String: Double]
  /// The speaker's age, when the manifest has it (agreement by age band only; never a model input).
  public var ageYears: Int?
  public init(id: String, speaker: String, text: String?, features: [String: Double], ageYears: Int? = nil) {
    self.ageYears = ageYears
    self.id = id
    self.speaker = speaker
    self.text = text
    self.features = features
  }
}

/// Fits a `ScoringModel` to answers with human ratings: per feature set and aspect, a ridge regression whose
/// penalty is chosen by speaker-disjoint cross-validation on the training answers.
public struct ModelCalibrator: Sendable {
  /// Ridge penalties tried (per sample, on standardised inputs).
  public var lambdas: [Double] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
  /// Folds of the inner cross-validation that chooses λ.
  public var folds = 5
  /// An input is used only when at least this share of training answers has it.
  public var minimumCoverage = 0.9

  public init() {}

  /// Fits every feature set (with prompt text when the samples have it, and without) and aspect.
  /// - Parameter targets: per aspect, the human mean per sample (nil where unrated); `scaleMaximum` per aspect.
  public func fit(
    _ samples: [CalibrationSample], targets: [String: [Double?]], scaleMaximum: [String: Double],
    aspects: [String], source: String, createdAt: String, failedAnswers: Int = 0
  ) -> ScoringModel {
    var sets: [ScoringModel.FeatureSet] = []
    let withText = samples.contains { ($0.text ?? "").isEmpty == false }
    let hasReference = samples.contains { $0.features["ref_distance"] != nil }
    let base = ModelFeatures.audioOnly + (hasReference ? ModelFeatures.withReference : [])
    // Read-aloud answers that were aligned: the same inputs plus pronunciation, fitted on those answers only.
    let texted = samples.filter { ($0.text ?? "").isEmpty == false }.count
    let keep = samples.indices.filter {
      (samples[$0].text ?? "").isEmpty == false && ModelFeatures.hasPronunciation(samples[$0].features)
    }
    if keep.count >= 10, Double(keep.count) >= minimumCoverage * Double(texted) {
      var set = fitSet(
        name: "with-text-pronunciation", requiresText: true,
        candidates: base + ModelFeatures.withText + ModelFeatures.pronunciation, samples: keep.map { samples[$0] },
        targets: targets.mapValues { t in keep.map { $0 < t.count ? t[$0] : nil } }, scaleMaximum: scaleMaximum,
        aspects: aspects)
      set.requiresPronunciation = true
      sets.append(set)
    }
    if withText {
      sets.append(
        fitSet(
          name: "with-text", requiresText: true, candidates: base + ModelFeatures.withText, samples: samples,
          targets: targets, scaleMaximum: scaleMaximum, aspects: aspects))
    }
    sets.append(
      fitSet(
        name: "audio-only", requiresText: false, candidates: base, samples: samples, targets: targets,
        scaleMaximum: scaleMaximum, aspects: aspects))
    let speakers = Set(samples.map(\.speaker)).count
    return ScoringModel(
      createdAt: createdAt,
      training: .init(
        source: source, answers: samples.count, speakers: speakers, folds: folds, failedAnswers: failedAnswers,
        note: "ridge regression per aspect on standardised inputs; λ by \(folds)-fold speaker-disjoint cross-validation"
      ),
      featureSets: sets)
  }

  func fitSet(
    name: String, requiresText: Bool, candidates: [String], samples: [CalibrationSample],
    targets: [String: [Double?]], scaleMaximum: [String: Double], aspects: [String]
  ) -> ScoringModel.FeatureSet {
    let inputs = samples.map { ModelFeatures.derive($0.features, text: requiresText ? $0.text : nil) }
    var features: [String] = []
    var means: [Double] = []
    var deviations: [Double] = []
    for name in candidates {
      let values = inputs.compactMap { $0[name] }.filter(\.isFinite)
      guard Double(values.count) >= minimumCoverage * Double(max(inputs.count, 1)), values.count >= 2 else { continue }
      let mean = values.reduce(0, +) / Double(values.count)
      let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
      guard sd > 1e-9 else { continue }
      features.append(name)
      means.append(mean)
      deviations.append(sd)
    }
    let partial = ScoringModel.FeatureSet(
      name: name, requiresText: requiresText, features: features, means: means,
      standardDeviations: deviations, leverageMatrix: [], aspects: [])
    let z = inputs.map { partial.standardise($0).z }
    let p = features.count
    var gram = RidgeRegression.gramMatrix(z)
    for i in 0..<p { gram[i * p + i] += 1 }
    let leverage = RidgeRegression.inverse(gram, size: p) ?? [Double](repeating: 0, count: p * p)
    let speakerFolds = SpeakerFolds.assign(speakers: samples.map(\.speaker), folds: folds)
    var aspectModels: [ScoringModel.AspectModel] = []
    for aspect in aspects {
      let y = targets[aspect] ?? []
      let rated = y.indices.filter { $0 < z.count && y[$0] != nil }
      let x = rated.map { z[$0] }
      let t = rated.map { y[$0] ?? 0 }
      let f = rated.map { speakerFolds[$0] }
      let maximum = scaleMaximum[aspect] ?? 10
      var best: (lambda: Double, mse: Double, predictions: [Double]) = (lambdas.first ?? 0.1, .infinity, [])
      for lambda in lambdas {
        let predictions = crossValidated(x, t, folds: f, lambda: lambda, maximum: maximum)
        let mse = zip(predictions, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(t.count, 1))
        if mse < best.mse { best = (lambda, mse, predictions) }
      }
      let fit = RidgeRegression.fit(x, t, lambda: best.lambda)
      let fitted = x.map { min(max(fit.predict($0), 0), maximum) }
      aspectModels.append(
        .init(
          name: aspect, scaleMaximum: maximum, lambda: best.lambda, intercept: fit.intercept,
          coefficients: fit.coefficients,
          residualStandardDeviation: best.mse.squareRoot(),
          crossValidatedPearson: AgreementMetrics.pearson(best.predictions, t),
          trainingPearson: AgreementMetrics.pearson(fitted, t)))
    }
    var set = partial
    set.leverageMatrix = leverage
    set.aspects = aspectModels
    return set
  }

  /// Out-of-fold predictions: each fold predicted by a fit on the others.
  func crossValidated(_ x: [[Double]], _ y: [Double], folds: [Int], lambda: Double, maximum: Double) -> [Double] {
    var predictions = [Double](repeating: 0, count: y.count)
    for k in Set(folds) {
      let train = folds.indices.filter { folds[$0] != k }
      let fit = RidgeRegression.fit(train.map { x[$0] }, train.map { y[$0] }, lambda: lambda)
      for i in folds.indices where folds[i] == k { predictions[i] = min(max(fit.predict(x[i]), 0), maximum) }
    }
    return predictions
  }
}
