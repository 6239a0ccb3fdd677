import ArgumentParser
import ExamCore
import ExamStorage
import Scoring

extension ExamCommand.Score {
  struct Run: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Score every ingested answer in the store that has no machine score yet.",
      discussion: """
        Analyses the stored 16 kHz FLAC of each current recording (read-aloud answers also against the item's
        reference reading; read-aloud answers are also aligned with their text for pronunciation when the
        English acoustic model is installed), scores it with the model, and stores features, aspect scores, rubric points, confidence
        and the model version per answer. Open answers and answers under --min-confidence go to human marking;
        confident read-aloud answers get their final mark. Resumable: kill it and run it again — nothing is scored
        twice and nothing is lost. Without --model, the model stored by the last run is used.

        With --worker and --db postgres://… (or $EXAM_DB), it is one of many workers on many machines: it claims
        answers published by `exam score publish` from the PostgreSQL queue, reads their audio from the shared
        content store (--store, verified by SHA-256), scores them with the published model and writes each batch
        with the completion of its jobs in one transaction. SIGTERM or Ctrl-C finishes the answers in hand and gives
        back the rest; a killed worker's jobs go to others when its lease expires (docs/scale-out.md).

        Example:
          exam score run --exam E2026 --model model.json --jobs 2
          exam score run --worker --db postgres://exam:secret@db1/exam --store /mnt/exam/store --jobs 16
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this exam (default: every exam).") var exam: String?
    @Option(help: "Scoring model (MODEL.json); default: the model the last run stored.") var model: String?
    @Option(help: "Answers under this confidence (0–1) go to human marking.") var minConfidence = 0.6
    @OptionGroup var jobs: JobsOption
    @OptionGroup var pronunciation: PronunciationOptions
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var worker: WorkerOptions

    static let storeAccess = StoreAccess.none

    func validate() throws {
      if !(0...1).contains(minConfidence) {
        throw ValidationError("'--min-confidence' must be between 0 and 1 (got \(minConfidence)).")
      }
    }

    var auditArguments: [String] {
      (exam.map { ["--exam", $0] } ?? []) + (model.map { ["--model", $0] } ?? []) + [
        "--min-confidence", "\(minConfidence)",
      ]
    }

    func run(_ context: CommandContext) async throws {
      let isPostgres = PostgresStore.isPostgresURL(context.databasePath)
      if worker.worker || isPostgres {
        guard worker.worker && isPostgres else {
          throw ExamError(
            .usage, location: "--db",
            worker.worker
              ? "--worker claims work from a PostgreSQL queue, but --db (or $EXAM_DB) is not a postgres:// URL"
              : "a PostgreSQL store is scored by workers",
            fix: worker.worker
              ? "give --db postgres://USER:PASSWORD@HOST:PORT/DATABASE" : "add --worker (docs/scale-out.md)")
        }
        if model != nil || exam != nil {
          throw ExamError(
            .usage, location: model != nil ? "--model" : "--exam",
            "workers score every published answer with the published model",
            fix: "leave it out; choose the exam and model with `exam score publish`")
        }
        try await worker.run(
          context: context, jobs: jobs.count, minConfidence: minConfidence,
          extractor: try pronunciation.extractor(), json: json)
        return
      }
      let database = try context.openExistingDatabase()
      let scoringModel: ScoringModel
      if let model {
        scoringModel = try ScoringModel.load(path: model)
      } else if let stored = try database.scoringModelJSON() {
        scoringModel = try ScoringModel.decode(stored, source: "the store's last scoring model")
      } else {
        throw ExamError(
          .usage, "no scoring model is stored yet",
          fix: "give one with --model MODEL.json (from `exam score calibrate`)")
      }
      let runner = StoreScoringRun(
        store: database, contentStore: context.contentStore,
        scorer: AnswerScorer(model: scoringModel, estimator: ConfidenceEstimator(threshold: minConfidence)),
        extractor: try pronunciation.extractor(), jobs: jobs.count)
      let progress = ProgressTracker(label: "scoring", enabled: !context.quiet)
      let summary = try await runner.run(
        examId: exam, progress: { done, total in progress.update(completed: done, total: total) }
      ) { count in
        context.audit("scored \(count) answer(s) with model \(scoringModel.version)")
      }
      if json {
        print(JSONOutput.string(summary))
        return
      }
      print(
        "scored \(summary.scored) answer(s) with model \(summary.modelVersion): \(summary.confident) confident,"
          + " \(summary.toHumans) to human marking, \(summary.failed) unreadable (to human marking);"
          + " \(summary.alreadyScored) scored before")
    }
  }
}
