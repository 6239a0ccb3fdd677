import ArgumentParser
import ExamCore
import ExamStorage
import Scoring

extension ExamCommand.Score {
  struct Publish: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Put unscored answers on the PostgreSQL queue for scoring workers.",
      discussion: """
        Copies the exams, the current recordings that have no machine score (their rows: the audio stays in the
        shared content store, read by SHA-256), their candidates and the scoring model from the office's SQLite
        store (--from) to the PostgreSQL store (--db postgres://… or $EXAM_DB), and queues one scoring job per
        answer, a page of 4,096 answers per transaction. Publishing again adds only what is new. Workers started
        with `exam score run --worker` pick the jobs up at once; `exam score collect` brings the scores back.

        Without --from, the sitting lives in the PostgreSQL store itself (its answers taken in with
        `exam audio ingest --db postgres://…`): the model given by --model is stored, and every current answer
        without a machine score is queued (a batch taken in by `exam audio ingest --worker` queues its own).

        Example:
          exam score publish --from /srv/exam/exam.sqlite --model model.json --db postgres://exam:secret@db1/exam
          exam score publish --model model.json --db postgres://exam:secret@db1/exam
        """)

    @OptionGroup var global: GlobalOptions
    @Option(
      help: ArgumentHelp(
        "The office's SQLite store the answers are in.",
        discussion: "Leave it out for a sitting whose answers are in the PostgreSQL store itself (ingested there)."))
    var from: String?
    @Option(help: "Only this exam (default: every exam).") var exam: String?
    @Option(help: "Scoring model (MODEL.json); default: the model the office store holds last.") var model: String?

    static let storeAccess = StoreAccess.none
    var auditArguments: [String] {
      (from.map { ["--from", $0] } ?? []) + (exam.map { ["--exam", $0] } ?? []) + (model.map { ["--model", $0] } ?? [])
    }

    func run(_ context: CommandContext) async throws {
      guard let from else { return try await queueTheStoresOwn(context) }
      let office = try ScoringCLI.sqliteStore(from, option: "--from")
      let scoringModel: ScoringModel
      if let model {
        scoringModel = try ScoringModel.load(path: model)
      } else if let stored = try office.scoringModelJSON() {
        scoringModel = try ScoringModel.decode(stored, source: "\(from)'s last scoring model")
      } else {
        throw ExamError(
          .usage, file: from, "the office store holds no scoring model", fix: "give one with --model MODEL.json")
      }
      if let exam { _ = try office.requireExam(id: exam) }
      let postgres = try await ScoringCLI.postgresStore(context)
      do {
        var published = 0, afterId: Int64 = 0
        while true {
          let page = try office.unscoredRecordings(examId: exam, afterId: afterId, limit: 4096)
          guard let last = page.last?.id else { break }
          afterId = last
          let exams = try Set(page.map(\.examId)).sorted().map { try office.requireExam(id: $0) }
          let candidates = try office.candidates(ids: Set(page.map(\.candidateId)))
          published += try await postgres.publishForScoring(
            exams: exams, candidates: candidates, recordings: page,
            model: (scoringModel.version, scoringModel.jsonText()),
            audit: context.audit("published \(page.count) answer(s) for scoring with model \(scoringModel.version)"))
        }
        let status = try await postgres.scoringStatus()
        await postgres.close()
        context.say(
          "published \(published) answer(s) for scoring with model \(scoringModel.version);"
            + " the queue holds \(status.total - status.done) of \(status.total) not yet scored")
      } catch {
        await postgres.close()
        throw error
      }
    }

    /// The answers are in the PostgreSQL store (`exam audio ingest` into it): store the model and queue every
    /// current answer without a machine score.
    func queueTheStoresOwn(_ context: CommandContext) async throws {
      guard let model else {
        throw ExamError(
          .usage, location: "--model", "a sitting in PostgreSQL needs the scoring model to publish",
          fix: "give it with --model MODEL.json (or --from STORE.sqlite for answers in an office store)")
      }
      let scoringModel = try ScoringModel.load(path: model)
      let postgres = try await ScoringCLI.postgresStore(context)
      do {
        if let exam { _ = try await postgres.requireExam(id: exam) }
        let queued = try await postgres.queueUnscored(
          examId: exam, model: (scoringModel.version, scoringModel.jsonText()),
          audit: context.audit("queued the store's unscored answers for scoring with model \(scoringModel.version)"))
        let status = try await postgres.scoringStatus()
        await postgres.close()
        context.say(
          "queued \(queued) answer(s) for scoring with model \(scoringModel.version);"
            + " the queue holds \(status.total - status.done) of \(status.total) not yet scored")
      } catch {
        await postgres.close()
        throw error
      }
    }
  }

  struct Collect: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy the workers' machine scores from PostgreSQL back into the office's SQLite store.",
      discussion: """
        Every machine score in the PostgreSQL store (--db postgres://… or $EXAM_DB) goes into --into with its
        machine mark, and confident read-aloud answers get their final mark — exactly what `exam score run`
        writes in one process, so human marking and results continue there. Answers the office store has already
        scored are left as they are; collecting twice adds nothing.

        Example:
          exam score collect --db postgres://exam:secret@db1/exam --into /srv/exam/exam.sqlite
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The office's SQLite store to write the scores into.") var into: String
    @Option(help: "Only this exam (default: every exam).") var exam: String?

    static let storeAccess = StoreAccess.none
    var auditArguments: [String] { ["--into", into] + (exam.map { ["--exam", $0] } ?? []) }

    func run(_ context: CommandContext) async throws {
      let office = try ScoringCLI.sqliteStore(into, option: "--into")
      let postgres = try await ScoringCLI.postgresStore(context)
      let scores: [MachineScore]
      let models: [String: String]
      do {
        scores = try await postgres.allMachineScores(examId: exam)
        var found: [String: String] = [:]
        for version in Set(scores.map(\.modelVersion)) {
          found[version] = try await postgres.scoringModelJSON(version: version)
        }
        models = found
        await postgres.close()
      } catch {
        await postgres.close()
        throw error
      }
      for (version, json) in models.sorted(by: { $0.key < $1.key }) {
        try office.saveScoringModel(
          version: version, json: json, audit: context.audit("stored scoring model \(version)"))
      }
      var added = 0
      for start in stride(from: 0, to: scores.count, by: 1024) {
        let chunk = Array(scores[start..<min(start + 1024, scores.count)])
        let finals = Set(chunk.filter { $0.points != nil && !$0.needsHuman }.map(\.recordingId))
        added += try office.saveMachineScores(
          chunk, finalRecordingIds: finals,
          audit: context.audit("collected \(chunk.count) machine score(s) from the scoring workers"))
      }
      context.say("collected \(added) machine score(s) into \(into); \(scores.count - added) were there already")
    }
  }
}

extension ScoringCLI {
  /// The office's SQLite store named by `--from`/`--into`, which must exist.
  static func sqliteStore(_ path: String, option: String) throws -> ExamDatabase {
    guard !PostgresStore.isPostgresURL(path) else {
      throw ExamError(
        .usage, location: option, "\(option) names the office's SQLite store, not a PostgreSQL URL",
        fix: "give the path of exam.sqlite; the PostgreSQL store goes in --db")
    }
    guard FileSystem.exists(path) else {
      throw ExamError(
        .notFound, file: path, "there is no exam store here", fix: "point \(option) at the office's exam.sqlite")
    }
    return try ExamDatabase(path: path)
  }

  /// The PostgreSQL store named by --db (or $EXAM_DB), which must be a postgres:// URL.
  static func postgresStore(_ context: CommandContext) async throws -> PostgresStore {
    guard PostgresStore.isPostgresURL(context.databasePath) else {
      throw ExamError(
        .usage, location: "--db", "this command works on the PostgreSQL store of the scoring workers",
        fix: "give --db postgres://USER:PASSWORD@HOST:PORT/DATABASE (or set $EXAM_DB)")
    }
    return try await PostgresStore.connect(url: context.databasePath)
  }
}
