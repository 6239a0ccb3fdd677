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

/// Whether and how answers with a prompt text are aligned with the English acoustic model.
struct PronunciationOptions: ParsableArguments {
  @Flag(help: "Do not measure pronunciation (timing, pauses and pitch only, as before the acoustic model).")
  var noPronunciation = false
  @Option(
    help: ArgumentHelp(
      "Extra pronunciation lexicon (WORD then ARPAbet phones per line, e.g. speechocean762's lexicon.txt), on top of CMUdict; repeatable.",
      discussion: "Without it, a lexicon.txt beside the manifest is used (a corpus's own pronunciations)."))
  var lexicon: [String] = []

  /// The extra lexicons: those given with `--lexicon`, else a `lexicon.txt` beside `manifest` — where a corpus keeps
  /// its own pronunciations, as speechocean762 does: its phone marks and the standard models were made with them,
  /// and answers aligned without them measure worse (docs/accuracy.md, "Calibrating on the training answers").
  func lexicons(besideManifest manifest: String?) -> [String] {
    guard lexicon.isEmpty, let manifest else { return lexicon }
    let beside = URL(fileURLWithPath: manifest).deletingLastPathComponent().appendingPathComponent("lexicon.txt").path
    return FileManager.default.fileExists(atPath: beside) ? [beside] : []
  }

  /// The extractor: SpeechDSP plus pronunciation when the model is installed (a note on stderr when it is not),
  /// with `lexicons(besideManifest:)` on top of CMUdict (a note on stderr when one is found beside the manifest).
  func extractor(manifest: String? = nil) throws -> AnswerExtractor {
    if noPronunciation { return .withoutPronunciation }
    let extra = lexicons(besideManifest: manifest)
    if lexicon.isEmpty, let found = extra.first {
      ProgressReporter.writeError(
        "note: using \(found), beside the manifest, as an extra lexicon (--lexicon to choose)\n")
    }
    let extractor = try AnswerExtractor.standard(extraLexicons: extra)
    if let reason = extractor.unavailable { ProgressReporter.writeError("note: \(reason)\n") }
    return extractor
  }
}

enum ScoringCLI {
  /// Measures a manifest's answers with a progress bar; prints each failure as a warning.
  /// With `featuresPath` (a table written by `exam score batch`), reads the features from it instead.
  static func measure(
    _ entries: [ManifestEntry], manifest: String, jobs: Int, context: CommandContext, featuresPath: String? = nil,
    pronunciation: PronunciationOptions
  ) async throws -> (
    samples: [CalibrationSample], failures: [ManifestFeatures.Failure]
  ) {
    if let featuresPath {
      var loaded = try ManifestFeatures.load(entries, fromTable: featuresPath)
      if pronunciation.noPronunciation {  // the same table, as if measured without the acoustic model
        for i in loaded.samples.indices {
          loaded.samples[i].features = loaded.samples[i].features.filter { !$0.key.hasPrefix("pron_") }
        }
      }
      return loaded
    }
    var progress = context.progress("measuring", total: entries.count)
    let extractor = try pronunciation.extractor(manifest: manifest)
    let result = await ManifestFeatures.measure(entries, extractor: extractor, jobs: jobs) { _ in progress.advance() }
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
