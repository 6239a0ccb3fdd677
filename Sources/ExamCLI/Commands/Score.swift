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
      subcommands: [Calibrate.self, Evaluate.self, Batch.self, Run.self])
  }
}

/// Options shared by the scoring commands that measure many files.
struct JobsOption: ParsableArguments {
  @Option(help: "Answers analysed at once (default: the number of CPUs).")
  var jobs: Int?

  var count: Int { jobs ?? ScoringCLI.processorCount }

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1 (got \(jobs)).") }
  }
}

enum ScoringCLI {
  /// The exam a command is about: `given`, else the only exam in the store.
  static func examId(_ given: String?, _ database: ExamDatabase) throws -> String {
    if let given { return given }
    let ids = try database.examIds()
    guard ids.count == 1 else {
      throw ExamError(.usage, "the store holds \(ids.count) exams (\(ids.joined(separator: ", ")))",
        fix: "name one with --exam ID")
    }
    return ids[0]
  }

  static var processorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Measures a manifest's answers with a progress bar; prints each failure as a warning.
  /// With `featuresPath` (a table written by `exam score batch`), reads the features from it instead.
  static func measure(_ entries: [ManifestEntry], jobs: Int, context: CommandContext, featuresPath: String? = nil) async throws -> (
    samples: [CalibrationSample], failures: [ManifestFeatures.Failure]
  ) {
    if let featuresPath {
      let table = try FeatureTable.load(path: featuresPath)
      var samples: [CalibrationSample] = []
      var failures: [ManifestFeatures.Failure] = []
      for e in entries {
        if let f = table[e.id] {
          samples.append(CalibrationSample(id: e.id, speaker: e.speaker, text: e.text, features: f))
        } else {
          failures.append(.init(entry: e, error: ExamError(.notFound, file: featuresPath, "no features for '\(e.id)'")))
        }
      }
      return (samples, failures)
    }
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

  static func fixed(_ x: Double, _ digits: Int = 3) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = (x * p).rounded() / p
    var s = String(v)
    if let dot = s.firstIndex(of: ".") {
      let decimals = s.distance(from: dot, to: s.endIndex) - 1
      if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    } else {
      s += "." + String(repeating: "0", count: digits)
    }
    return s
  }
}
