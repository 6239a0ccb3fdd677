import ExamCore
import Foundation
import Scoring
import Testing
import _ExamTestSupport

/// Synthetic answers whose fluency depends on known features, from 40 speakers.
func syntheticSamples(count: Int, seed: UInt64) -> (samples: [CalibrationSample], ratings: HumanRatings) {
  var rng = SplitMix64(seed: seed)
  var samples: [CalibrationSample] = []
  var ratings: [String: [String: [Double?]]] = [:]
  for i in 0..<count {
    let speaker = "S\(i % 40)"
    let skill = Double.random(in: 0...1, using: &rng)
    let syllables = Double(Int.random(in: 4...14, using: &rng))
    let rate = 2 + 3 * skill + Double.random(in: -0.3...0.3, using: &rng)
    let pauses = Double(Int((1 - skill) * 4 + Double.random(in: 0...1, using: &rng)))
    let speech = syllables / rate
    let features: [String: Double] = [
      "duration_s": speech + 0.4 * pauses + 0.6, "speech_s": speech,
      "speech_ratio": speech / (speech + 0.4 * pauses + 0.6),
      "speech_rate_syl_s": syllables / (speech + 0.4 * pauses + 0.6), "articulation_rate_syl_s": rate,
      "pause_count": pauses, "pause_total_s": 0.4 * pauses, "pause_longest_s": pauses > 0 ? 0.5 : 0,
      "leading_silence_s": 0.3, "trailing_silence_s": 0.3, "syllable_count": syllables, "snr_db": 30,
      "f0_iqr_st": 2 + 2 * skill + Double.random(in: -0.5...0.5, using: &rng), "voiced_fraction": 0.5,
    ]
    let id = "a\(i)"
    let text = Array(repeating: "ba", count: Int(syllables)).joined(separator: " ")
    samples.append(CalibrationSample(id: id, speaker: speaker, text: text, features: features))
    let truth = 3 + 6 * skill
    ratings[id] = [
      "fluency": (0..<3).map { _ in (truth + Double.random(in: -1...1, using: &rng)).rounded() },
      "total": (0..<3).map { _ in truth + Double.random(in: -1.5...1.5, using: &rng) },
    ]
  }
  return (
    samples, HumanRatings(ratings: ratings, aspects: ["fluency", "total"], scaleMaximum: ["fluency": 10, "total": 10])
  )
}

@Suite struct ModelTests {
  @Test func ridgeRecoversKnownCoefficients() {
    var rng = SplitMix64(seed: 1)
    let x = (0..<400).map { _ in (0..<3).map { _ in Double.random(in: -1...1, using: &rng) } }
    let y = x.map { 2 + 1.5 * $0[0] - 0.5 * $0[1] + 0 * $0[2] }
    let fit = RidgeRegression.fit(x, y, lambda: 1e-9)
    #expect(abs(fit.intercept - 2) < 1e-6)
    #expect(
      abs(fit.coefficients[0] - 1.5) < 1e-6 && abs(fit.coefficients[1] + 0.5) < 1e-6 && abs(fit.coefficients[2]) < 1e-6)
    let shrunk = RidgeRegression.fit(x, y, lambda: 1)
    #expect(abs(shrunk.coefficients[0]) < 1.5)
  }

  @Test func choleskyInverseTimesMatrixIsIdentity() throws {
    let a = [4.0, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]
    let inv = try #require(RidgeRegression.inverse(a, size: 3))
    for i in 0..<3 {
      for j in 0..<3 {
        let v = (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * inv[$1 * 3 + j] }
        #expect(abs(v - (i == j ? 1 : 0)) < 1e-12)
      }
    }
    #expect(RidgeRegression.inverse([1, 2, 2, 1], size: 2) == nil)  // not positive definite
  }

  @Test func speakerFoldsKeepEverySpeakerInOneFold() {
    let speakers = (0..<200).map { "S\($0 % 37)" }
    let folds = SpeakerFolds.assign(speakers: speakers, folds: 5)
    for s in Set(speakers) {
      #expect(Set(speakers.indices.filter { speakers[$0] == s }.map { folds[$0] }).count == 1)
    }
    let sizes = Dictionary(grouping: Set(speakers), by: { s in folds[speakers.firstIndex(of: s) ?? 0] }).mapValues(
      \.count)
    #expect(sizes.count == 5 && sizes.values.allSatisfy { $0 == 7 || $0 == 8 })
  }

  @Test func calibratedModelPredictsHeldOutSpeakers() {
    let (samples, ratings) = syntheticSamples(count: 400, seed: 11)
    let evaluator = ModelEvaluator()
    let predictions = evaluator.crossValidatedPredictions(samples, ratings: ratings)
    let report = evaluator.report(samples, predictions: predictions, ratings: ratings, method: "cv", failedAnswers: 0)
    let fluency = report.aspects.first { $0.aspect == "fluency" }
    #expect((fluency?.machine.pearson ?? 0) > 0.8)
    #expect((fluency?.humanVersusRest?.pearson ?? 0) > 0.5)
    #expect(report.speakers == 40)
  }

  /// Each band reports the raters' own agreement within it beside the machine's: where the raters do not agree
  /// (here the "children", whose ratings are noise), a low machine r is not the machine's alone.
  @Test func bandsCarryTheRatersOwnAgreement() throws {
    var (samples, ratings) = syntheticSamples(count: 400, seed: 12)
    var rng = SplitMix64(seed: 5)
    for i in samples.indices {
      samples[i].ageYears = i % 2 == 0 ? 10 : 30
      if i % 2 == 0 {
        ratings.ratings[samples[i].id]?["fluency"] = (0..<3).map { _ in Double(Int.random(in: 3...9, using: &rng)) }
      }
    }
    let evaluator = ModelEvaluator()
    let predictions = evaluator.crossValidatedPredictions(samples, ratings: ratings)
    let report = evaluator.report(samples, predictions: predictions, ratings: ratings, method: "cv", failedAnswers: 0)
    let children = try #require(report.bands?.first { $0.name == "age < 13" })
    let adults = try #require(report.bands?.first { $0.name == "age ≥ 18" })
    #expect(children.answers == 200 && adults.answers == 200)
    let childRaters = try #require(children.humanVersusRest?["fluency"])
    let adultRaters = try #require(adults.humanVersusRest?["fluency"])
    #expect(abs(childRaters) < 0.25, "raters of noise agree at \(childRaters)")
    #expect(adultRaters > 0.6, "\(adultRaters)")
    #expect((adults.pearson["fluency"] ?? 0) > 0.8)
  }

  @Test func modelJSONRoundTripsAndRefusesEdits() throws {
    let (samples, ratings) = syntheticSamples(count: 120, seed: 3)
    let model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, ratings),
      scaleMaximum: ratings.scaleMaximum, aspects: ratings.aspects, source: "synthetic",
      createdAt: "2026-01-01T00:00:00Z")
    #expect(model.featureSets.map(\.name) == ["with-text", "audio-only"])
    #expect(model.featureSets[0].features.contains("log_s_per_expected_syl"))
    let text = model.jsonText()
    let back = try ScoringModel.decode(text, source: "m.json")
    #expect(back == model)
    let edited = text.replacingOccurrences(of: "\"intercept\" : ", with: "\"intercept\" : 1")
    #expect { _ = try ScoringModel.decode(edited, source: "m.json") } throws: { ($0 as? ExamError)?.code == .integrity }
    #expect { _ = try ScoringModel.decode("{}", source: "m.json") } throws: {
      ($0 as? ExamError)?.code == .invalidInput
    }
  }

  @Test func confidenceFallsForSilenceNoiseAndUnusualAnswers() throws {
    let (samples, ratings) = syntheticSamples(count: 200, seed: 5)
    let model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, ratings),
      scaleMaximum: ratings.scaleMaximum, aspects: ratings.aspects, source: "synthetic", createdAt: "")
    let estimator = ConfidenceEstimator()
    let typical = samples[0]
    let p = try #require(model.predict(features: typical.features, text: typical.text))
    #expect(estimator.judge(p, features: typical.features).confidence > 0.9)
    var noisy = typical.features
    noisy["snr_db"] = 4
    #expect(
      estimator.judge(try #require(model.predict(features: noisy, text: typical.text)), features: noisy).confidence
        <= 0.5)
    var silent = typical.features
    silent["speech_s"] = 0.1
    silent["speech_ratio"] = 0.02
    #expect(
      estimator.judge(try #require(model.predict(features: silent, text: typical.text)), features: silent).confidence
        < 0.3)
    var odd = typical.features
    odd["articulation_rate_syl_s"] = 40
    odd["pause_count"] = 60
    let oddPrediction = try #require(model.predict(features: odd, text: typical.text))
    #expect(oddPrediction.relativeLeverage > 3)
    #expect(estimator.judge(oddPrediction, features: odd).confidence < 0.6)
  }

  @Test func rubricPointsFollowCriteria() {
    let item = ItemDefinition(
      id: "S1", type: .readSentence, points: 4,
      rubric: Rubric(
        criteria: [
          .init(name: "pronunciation", points: 2), .init(name: "fluency", points: 1), .init(name: "content", points: 1),
        ], tolerance: 1))
    let points = ItemScoring.points(
      for: item, aspects: ["accuracy": 5, "fluency": 10, "total": 8],
      scaleMaximum: ["accuracy": 10, "fluency": 10, "total": 10])
    #expect(points == 2.8)  // 2·0.5 + 1·1 + 1·0.8
    let choice = ItemDefinition(id: "L1", type: .choice, points: 1, answerKey: "B")
    #expect(ItemScoring.listeningPoints(for: choice, choice: " b ") == 1)
    #expect(ItemScoring.listeningPoints(for: choice, choice: "C") == 0)
    #expect(ItemScoring.listeningPoints(for: choice, choice: nil) == 0)
  }

  @Test func finalMarkRuleFollowsTheRubric() {
    let mean = Rubric(criteria: [], tolerance: 1, resolution: .meanOfClosest)
    #expect(
      FinalMarkRule.resolve(3, 4, arbiter: nil, rubric: mean)
        == .final(points: 3.5, method: "mean of two marks within tolerance 1.0", uses: [0, 1]))
    #expect(FinalMarkRule.resolve(1, 4, arbiter: nil, rubric: mean) == .needsArbitration(difference: 3))
    #expect(
      FinalMarkRule.resolve(1, 4, arbiter: 3, rubric: mean)
        == .final(points: 3.5, method: "arbitrated: mean-of-closest", uses: [1, 2]))
    let arbiter = Rubric(criteria: [], tolerance: 1, resolution: .arbiterDecides)
    #expect(
      FinalMarkRule.resolve(1, 4, arbiter: 2, rubric: arbiter)
        == .final(points: 2, method: "arbitrated: arbiter-decides", uses: [2]))
  }

  @Test func levelBandsFollowTheWrittenRule() {
    #expect(LevelBands.level(points: 85, of: 100) == "A")
    #expect(LevelBands.level(points: 84.9, of: 100) == "B")
    #expect(LevelBands.level(points: 60, of: 100) == "C")
    #expect(LevelBands.level(points: 10, of: 100) == "D")
  }
}
