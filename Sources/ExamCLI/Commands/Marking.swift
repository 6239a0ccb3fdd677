import ArgumentParser
import ExamCore
import ExamStorage
import Scoring

extension ExamCommand {
  struct Marking: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Double marking by people: rater worksheets, importing marks, arbitration.",
      discussion: """
        Answers that need people (open answers, low machine confidence, unreadable audio) go to two raters each,
        never from the candidate's school. Two marks within the item rubric's tolerance give the final mark (their
        mean); further apart, the answer waits for an arbiter and the rubric's resolution decides.

        Example:
          exam marking export --exam E2026 --raters raters.csv --out worksheets/
          exam marking import --exam E2026 worksheets/rater-R01.csv
          exam marking arbitrate --exam E2026
        """,
      subcommands: [Export.self, Import.self, Arbitrate.self, Status.self])
  }
}

extension ExamCommand.Marking {
  struct Status: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "How many answers are final, waiting for marks, or waiting for arbitration.",
      discussion: "Example:\n  exam marking status --exam E2026 --json")
    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam (default: the only one in the store).") var exam: String?
    @Flag(help: "Print JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func run(_ context: CommandContext) async throws {
      let exam = context.examId
      let s = try await MarkingDesk(store: context.markingStore, contentStore: context.contentStore).status(
        examId: exam)
      if json { print(JSONOutput.string(s)); return }
      print(
        "\(s.answers) spoken answers: \(s.final) final, \(s.awaitingMarks) waiting for marks, \(s.awaitingArbitration) waiting for arbitration, \(s.unscored) not scored; \(s.needHumans) need people"
      )
    }
  }

  struct Export: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Write rater worksheets (one CSV per rater) for the answers that need people.",
      discussion: """
        The rater list is a CSV with `rater_id` (or `id`), `name`, `school`. Each answer that needs people gets two
        raters not from the candidate's school, balancing the load; earlier assignments are kept. Each worksheet
        lists the answer id, item, audio path and prompt text with an empty `points` column to fill in.

        Example:
          exam marking export --exam E2026 --raters raters.csv --out worksheets/
        """)
    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam (default: the only one in the store).") var exam: String?
    @Option(help: "Rater list CSV (rater_id,name,school).") var raters: String
    @Option(help: "Folder for the worksheets.") var out: String
    @Flag(help: "Print JSON (worksheet path → answers).") var json = false

    var examOption: ExamOption { .given(exam) }

    func run(_ context: CommandContext) async throws {
      let exam = context.examId
      let list = try RaterList.load(path: raters)
      let desk = MarkingDesk(store: context.markingStore, contentStore: context.contentStore)
      let plan = try await desk.plan(
        examId: exam, raters: list,
        audit: context.audit("", arguments: ["--exam", exam, "--raters", raters, "--out", out]))
      let paths = try MarkingWorksheets.write(plan, to: out)
      let counts = Dictionary(uniqueKeysWithValues: zip(paths, plan.sorted { $0.key < $1.key }.map(\.value.count)))
      if json { print(JSONOutput.string(counts)); return }
      print(
        "wrote \(paths.count) worksheet(s) in \(out): \(plan.values.reduce(0) { $0 + $1.count }) open marking task(s)")
    }
  }

  struct Import: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Import human marks (a filled-in worksheet, or answer_id,rater_id,points rows).",
      discussion: """
        Every row is checked (answer exists, rater known and assigned to it, points within the item's range); one
        bad row and nothing is stored. Rows with empty points are skipped. Importing the same file again changes
        nothing.

        Example:
          exam marking import --exam E2026 worksheets/rater-R01.csv
        """)
    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam (default: the only one in the store).") var exam: String?
    @Argument(help: "Marks CSV files.") var files: [String]
    @Flag(help: "Print JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func validate() throws {
      if files.isEmpty { throw ValidationError("Give at least one marks CSV.") }
    }

    func run(_ context: CommandContext) async throws {
      let exam = context.examId
      let desk = MarkingDesk(store: context.markingStore, contentStore: context.contentStore)
      for file in files {
        let s = try await desk.importMarks(path: file, examId: exam, audit: context.audit("", arguments: [file]))
        if json { print(JSONOutput.string(s)); continue }
        print(
          "\(file): \(s.imported) mark(s) imported, \(s.blank) blank; \(s.finalised) answer(s) final, \(s.toArbitration) to arbitration"
        )
      }
    }
  }
}
