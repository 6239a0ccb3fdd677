import ArgumentParser
import ExamCore
import Scoring

extension ExamCommand.Score {
  struct Evaluate: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Machine–human agreement per aspect (Pearson r, quadratic weighted kappa, exact and adjacent agreement).",
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
    @OptionGroup var pronunciation: PronunciationOptions
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    static let storeAccess = StoreAccess.none

    func validate() throws {
      if folds < 2 { throw ValidationError("'--folds' must be at least 2 (got \(folds)).") }
    }

    func run(_ context: CommandContext) async throws {
      let entries = try ScoringManifest.load(path: manifest)
      let ratings = try HumanRatings.load(path: human)
      let loadedModel = try model.map { (p) throws(ExamError) in try ScoringModel.load(path: p) }
      let (measured, failures) = try await ScoringCLI.measure(
        entries, manifest: manifest, jobs: jobs.count, context: context, featuresPath: features,
        pronunciation: pronunciation)
      let (samples, _) = ManifestFeatures.rated(measured, ratings)
      var evaluator = ModelEvaluator()
      evaluator.folds = folds
      let report = evaluator.evaluate(samples, ratings: ratings, model: loadedModel, failedAnswers: failures.count)
      if json {
        print(JSONOutput.string(report))
        return
      }
      print(
        "\(report.answers) answers, \(report.speakers) speakers, \(report.failedAnswers) unreadable; \(report.method)")
      print(
        "aspect        raters  machine–human: r      QWK    exact  adjacent | human–human (one vs rest): r      QWK    exact  adjacent"
      )
      for a in report.aspects {
        let m = a.machine
        var line =
          "\(a.aspect.padding(12))  \(String(a.raters).padding(6))  "
          + "\(NumberText.fixed(m.pearson))  \(NumberText.fixed(m.quadraticKappa))  \(NumberText.fixed(m.exact))  \(NumberText.fixed(m.adjacent))"
        if let h = a.humanVersusRest {
          line +=
            "     |                       \(NumberText.fixed(h.pearson))  \(NumberText.fixed(h.quadraticKappa))  "
            + "\(NumberText.fixed(h.exact))  \(NumberText.fixed(h.adjacent))"
        }
        print(line)
      }
      if let bands = report.bands, !bands.isEmpty {
        let names = report.aspects.map(\.aspect).joined(separator: " / ")
        print("r by band: " + names + " — machine–human | one rater vs the rest")
        for band in bands {
          let cells = report.aspects.map { a in band.pearson[a.aspect].map { NumberText.fixed($0) } ?? "—" }
          var line =
            "  \(band.name.padding(12))  n \(String(band.answers).padding(5))  " + cells.joined(separator: " / ")
          if let human = band.humanVersusRest {
            line +=
              "  |  "
              + report.aspects.map { a in human[a.aspect].map { NumberText.fixed($0) } ?? "—" }
              .joined(separator: " / ")
          }
          print(line)
        }
      }
      if let c = report.confidence {
        print(
          "confidence: \(c.underThreshold) answer(s) under \(c.threshold) (to people); mean |error| (0–10) of the least"
            + " confident tenth (confidence ≤ \(NumberText.fixed(c.lowestDecileMaximum, decimals: 2)), then highest leverage) vs the rest:"
        )
        for a in report.aspects.map(\.aspect) {
          guard let e = c.meanAbsoluteError[a] else { continue }
          print(
            "  \(a.padding(12))  \(NumberText.fixed(e.lowestDecile, decimals: 2)) vs \(NumberText.fixed(e.rest, decimals: 2))"
          )
        }
      }
    }
  }
}
