import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Scoring

extension ExamCommand {
  struct Score: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Score spoken answers: calibrate a model on human ratings, evaluate it, score manifests or the store.",
      discussion: """
        Example:
          exam score calibrate --manifest ../shared/data/speechocean762/scores.csv \\
            --human ../shared/data/speechocean762/scores.csv -o model.json
          exam score run --exam E2026 --model model.json
        """,
      subcommands: [Calibrate.self, Evaluate.self, Batch.self, Run.self, Publish.self, Status.self, Collect.self])
  }
}

/// Options shared by the scoring commands that measure many files.
struct JobsOption: ParsableArguments {
  @Option(help: "Answers analysed at once (default: the number of CPUs).")
  var jobs: Int?

  var count: Int { jobs ?? ProcessInfoCPU.count }

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1 (got \(jobs)).") }
  }
}

enum ScoringCLI {
  /// Measures a manifest's answers with a progress bar; prints each failure as a warning.
  /// With `featuresPath` (a table written by `exam score batch`), reads the features from it instead.
  static func measure(_ entries: [ManifestEntry], jobs: Int, context: CommandContext, featuresPath: String? = nil) async throws -> (
    samples: [CalibrationSample], failures: [ManifestFeatures.Failure]
  ) {
    if let featuresPath { return try ManifestFeatures.load(entries, fromTable: featuresPath) }
    var progress = context.progress("measuring", total: entries.count)
    let result = await ManifestFeatures.measure(entries, extractor: SpeechDSPExtractor(), jobs: jobs) { _ in progress.advance() }
    for f in result.failures { ProgressReporter.writeError("warning: \(f.error)\n") }
    return result
  }

  /// Aspect scores mapped onto 0–10 (× 10 / the aspect's scale maximum).
  static func onTenPointScale(_ aspects: [String: Double], _ model: ScoringModel?) -> [String: Double] {
    var out = aspects
    for a in model?.featureSets.first?.aspects ?? [] where a.scaleMaximum > 0 {
      if let v = aspects[a.name] { out[a.name] = v * 10 / a.scaleMaximum }
    }
    return out
  }
}
