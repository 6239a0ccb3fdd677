import ArgumentParser
import ExamCore
import Scoring

extension ExamCommand.Score {
  struct Calibrate: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Fit a transparent scoring model (ridge regression per aspect over named features) to human ratings.",
      discussion: """
        The manifest lists answers (`utt` or `id`, `audio` relative to the CSV's folder, optional `text`, `speaker`,
        `reference`); the ratings file has per-aspect columns ASPECT_r1 … ASPECT_rN (or ASPECT). One file may be both,
        as speechocean762's scores.csv is. The model, its feature list, coefficients and training summary go to
        MODEL.json.

        Example:
          exam score calibrate --manifest ../shared/data/speechocean762/scores.csv \\
            --human ../shared/data/speechocean762/scores.csv -o model.json

        Read-aloud prompts are aligned with CMUdict plus `--lexicon`, or without it the `lexicon.txt` beside the
        manifest (speechocean762 keeps its own there).

        The predicted phone marks (`pron_mark_…`), the learners' frame classifier (`pron_learner_…`) and the speech
        encoder's phone classifier (`pron_encoder_…`) come from models trained on speechocean762's answers. Measured with those models, their own training answers would look
        better than a new speaker's, so each of them is measured with the models of the fold that left its speaker
        out (`CrossFittedModels`): calibrating on speechocean762 gives the model a new speaker needs, and the same
        as `--features` with the table of `pron-eval --features-csv` (Benchmarks/PronunciationEval).
        """)

    @Option(help: "Manifest CSV of the answers.") var manifest: String
    @Option(help: "Ratings CSV (may be the manifest).") var human: String
    @Option(name: [.short, .customLong("output")], help: "Where to write MODEL.json.") var output: String
    @Option(help: "Features per answer from `exam score batch` (default: measure the audio).") var features: String?
    @OptionGroup var jobs: JobsOption
    @OptionGroup var pronunciation: PronunciationOptions
    @Flag(help: "Print the training summary as JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    static let storeAccess = StoreAccess.none

    func run(_ context: CommandContext) async throws {
      let entries = try ScoringManifest.load(path: manifest)
      let ratings = try HumanRatings.load(path: human)
      let (measured, failures) = try await ScoringCLI.measure(
        entries, manifest: manifest, jobs: jobs.count, context: context, featuresPath: features,
        pronunciation: pronunciation)
      let (samples, unrated) = ManifestFeatures.rated(measured, ratings)
      guard samples.count >= 10 else {
        throw ExamError(
          .invalidInput, file: human, "only \(samples.count) measured answers have ratings; at least 10 are needed",
          fix: "check that the ids of the manifest and the ratings match")
      }
      let evaluator = ModelEvaluator()
      let model = ModelCalibrator().fit(
        samples, targets: evaluator.targets(samples, ratings), scaleMaximum: ratings.scaleMaximum,
        aspects: ratings.aspects, source: manifest, createdAt: Timestamp.now(), failedAnswers: failures.count)
      try model.write(to: output)
      if json {
        print(JSONOutput.string(model.training))
        return
      }
      print(
        "wrote \(output): model \(model.version) on \(samples.count) answers of \(model.training.speakers) speakers"
          + " (\(failures.count) unreadable, \(unrated) unrated)")
      for set in model.featureSets {
        print("  \(set.name): \(set.features.count) inputs")
        for a in set.aspects {
          print(
            "    \(a.name.padding(12))  cross-validated r \(NumberText.fixed(a.crossValidatedPearson))  λ \(a.lambda)"
              + "  residual SD \(NumberText.fixed(a.residualStandardDeviation, decimals: 2))")
        }
      }
    }
  }
}

extension String {
  /// The string padded with spaces to `width` characters.
  func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
