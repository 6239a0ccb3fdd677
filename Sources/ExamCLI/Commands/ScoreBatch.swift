import ArgumentParser
import ExamCore
import Pronunciation
import Scoring
import SpeechDSP

extension ExamCommand.Score {
  struct Batch: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure (and with --model, score) every answer of a manifest into one CSV.",
      discussion: """
        The manifest has `id` (or `utt`), `audio` (relative to the CSV's folder), optional `text` (the prompt of a
        read-aloud answer) and `reference` (a reference reading). The output has per row the id, every feature and,
        with a model, the columns accuracy, fluency, prosodic, completeness, total (0–10; completeness on the
        model's scale). Unreadable answers get an `error` and the command exits 65 after writing the rest.
        Answers with a `text` are also aligned with the English acoustic model (pocketsphinx en-us, when installed):
        the pron_… columns hold their goodness of pronunciation (GOP, nats per frame), phone timing and
        completeness; pron_missing is 0 when measured, else the reason's number (Sources/Pronunciation/README.md).

        Example:
          exam score batch --manifest answers.csv --out scores.csv --model model.json --jobs 2
        """)

    @Option(help: "Manifest CSV of the answers.") var manifest: String
    @Option(help: "Where to write the CSV.") var out: String
    @Option(help: "Scoring model (MODEL.json) to score with.") var model: String?
    @OptionGroup var jobs: JobsOption
    @OptionGroup var pronunciation: PronunciationOptions
    @OptionGroup var global: GlobalOptions

    static let storeAccess = StoreAccess.none

    func run(_ context: CommandContext) async throws {
      let entries = try ScoringManifest.load(path: manifest)
      let loaded = try model.map { (p) throws(ExamError) in try ScoringModel.load(path: p) }
      var progress = context.progress("measuring", total: entries.count)
      let extractor = try pronunciation.extractor(manifest: manifest)
      let results = await FeatureBatch.extract(entries, with: extractor, jobs: jobs.count) { _ in progress.advance() }
      let aspects = loaded?.aspectNames ?? []
      var features: [[String: Double]?] = []
      var scores: [[String: Double]?] = []
      var errors: [String?] = []
      for (entry, result) in zip(entries, results) {
        switch result {
        case .success(let f):
          features.append(f)
          scores.append(
            loaded?.predict(features: f, text: entry.text).map { ScoringCLI.onTenPointScale($0.aspects, loaded) })
          errors.append(nil)
        case .failure(let e):
          features.append(nil)
          scores.append(nil)
          errors.append(e.inFile(entry.audioPath).description)
          ProgressReporter.writeError("warning: \(e.inFile(entry.audioPath))\n")
        }
      }
      let text = FeatureTable.csv(
        ids: entries.map(\.id), features: features,
        featureKeys: SpeechFeatures.numericKeys
          + (pronunciation.noPronunciation ? [] : PronunciationResult.numericKeys),
        aspects: aspects, scores: scores, errors: errors)
      try AtomicFile.write(text: text, to: out)
      let failed = errors.compactMap { $0 }.count
      print(
        "wrote \(out): \(entries.count - failed) answers measured\(loaded.map { ", scored with model \($0.version)" } ?? ""), \(failed) unreadable"
      )
      if failed > 0 { throw ExitCode(65) }
    }
  }
}
