import ArgumentParser
import ExamCore
import Scoring

extension ExamCommand.Score {
  struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Machine–human agreement per aspect (Pearson r, quadratic weighted kappa, exact and adjacent agreement).",
      discussion: """
        Without --model, models are calibrated and tested by speaker-disjoint cross-validation on the given answers
        (no speaker is ever in both a training and its test fold). With --model, that model scores every answer as
        it is (use answers it was not trained on). With several raters per answer, each rater against the mean of
        the others is printed beside the machine against the mean of all.

        Example:
          exam score evaluate --manifest ../shared/data/speechocean762/scores.csv \\
            --human ../shared/data/speechocean762/scores.csv --folds 5
        """)

    @Option(help: "Manifest CSV of the answers.") var manifest: String
    @Option(help: "Ratings CSV (may be the manifest).") var human: String
    @Option(help: "A model to test as it is (default: cross-validate).") var model: String?
    @Option(help: "Speaker-disjoint folds for cross-validation.") var folds = 5
    @Option(help: "Features per answer from `exam score batch` (default: measure the audio).") var features: String?
    @OptionGroup var jobs: JobsOption
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
      if folds < 2 { throw ValidationError("'--folds' must be at least 2 (got \(folds)).") }
    }

    func run() async throws {
      let context = CommandContext(global)
      let entries = try ScoringManifest.load(path: manifest)
      let ratings = try HumanRatings.load(path: human)
      let loadedModel = try model.map { (p) throws(ExamError) in try ScoringModel.load(path: p) }
      let (measured, failures) = try await ScoringCLI.measure(entries, jobs: jobs.count, context: context, featuresPath: features)
      let (samples, _) = ManifestFeatures.rated(measured, ratings)
      var evaluator = ModelEvaluator()
      evaluator.folds = folds
      let predictions: [String: [Double]]
      var confidence: (values: [Double], leverage: [Double])? = nil
      let method: String
      if let loadedModel {
        var out: [String: [Double]] = [:]
        for s in samples {
          let p = loadedModel.predict(features: s.features, text: s.text)
          for a in ratings.aspects { out[a, default: []].append(p?.aspects[a] ?? 0) }
        }
        predictions = out
        method = "model \(loadedModel.version) as it is"
      } else {
        let cv = evaluator.crossValidated(samples, ratings: ratings)
        predictions = cv.predictions
        confidence = (cv.confidence, cv.leverage)
        method = "\(folds)-fold speaker-disjoint cross-validation"
      }
      var report = evaluator.report(samples, predictions: predictions, ratings: ratings, method: method, failedAnswers: failures.count)
      if let confidence {
        report.confidence = evaluator.confidenceCheck(samples, predictions: predictions, confidence: confidence.values,
          leverage: confidence.leverage, ratings: ratings, threshold: ConfidenceEstimator().threshold)
      }
      if json {
        print(JSONOutput.string(report))
        return
      }
      print("\(report.answers) answers, \(report.speakers) speakers, \(report.failedAnswers) unreadable; \(report.method)")
      print("aspect        raters  machine–human: r      QWK    exact  adjacent | human–human (one vs rest): r      QWK    exact  adjacent")
      for a in report.aspects {
        let m = a.machine
        var line = "\(a.aspect.padding(12))  \(String(a.raters).padding(6))  "
          + "\(ScoringCLI.fixed(m.pearson))  \(ScoringCLI.fixed(m.quadraticKappa))  \(ScoringCLI.fixed(m.exact))  \(ScoringCLI.fixed(m.adjacent))"
        if let h = a.humanVersusRest {
          line += "     |                       \(ScoringCLI.fixed(h.pearson))  \(ScoringCLI.fixed(h.quadraticKappa))  "
            + "\(ScoringCLI.fixed(h.exact))  \(ScoringCLI.fixed(h.adjacent))"
        }
        print(line)
      }
      if let c = report.confidence {
        print("confidence: \(c.underThreshold) answer(s) under \(c.threshold) (to people); mean |error| (0–10) of the least"
          + " confident tenth (confidence ≤ \(ScoringCLI.fixed(c.lowestDecileMaximum, 2)), then highest leverage) vs the rest:")
        for a in report.aspects.map(\.aspect) {
          guard let e = c.meanAbsoluteError[a] else { continue }
          print("  \(a.padding(12))  \(ScoringCLI.fixed(e.lowestDecile, 2)) vs \(ScoringCLI.fixed(e.rest, 2))")
        }
      }
    }
  }
}
