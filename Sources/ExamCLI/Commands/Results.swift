import ArgumentParser
import ExamCore
import ExamStorage
import Scoring

extension ExamCommand {
  struct Results: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Finalise candidates' results and export them.",
      discussion: """
        Example:
          exam results finalise --exam E2026
          exam results export --exam E2026 --format csv --out results.csv
        """,
      subcommands: [Finalise.self, Export.self])
  }
}

extension ExamCommand.Results {
  struct Finalise: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Total every candidate's marks; refuses while any spoken answer lacks a final mark.",
      discussion: """
        Listening items score against the key; spoken items take their final mark (an item without a recording is
        0). Section scores sum their items; total = listening + speaking. Level: A ≥ 85% of the exam's points,
        B ≥ 70%, C ≥ 60%, D below. Running it again replaces the results with the same numbers.

        Example:
          exam results finalise --exam E2026
        """)
    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam (default: the only one in the store).") var exam: String?
    @Flag(help: "Print the results as JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func run(_ context: CommandContext) async throws {
      let store = context.markingStore
      let exam = context.examId
      let now = Timestamp.now()
      let results = try await ResultFinaliser(store: store).compute(examId: exam, finalisedAt: now)
      let levels = Dictionary(grouping: results, by: \.level).mapValues(\.count)
      try await store.saveResults(
        results,
        audit: context.audit("finalised \(results.count) result(s) of exam \(exam)", arguments: ["--exam", exam]))
      if json { print(ResultsExport.json(results), terminator: ""); return }
      print(
        "finalised \(results.count) candidate(s) of \(exam): "
          + levels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
  }

  struct Export: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Export finalised results as CSV or JSON.",
      discussion: """
        Example:
          exam results export --exam E2026 --format csv --out results.csv
          exam results export --exam E2026 --format json
        """)
    enum Format: String, ExpressibleByArgument { case csv, json }
    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam (default: every exam).") var exam: String?
    @Option(help: "csv or json.") var format: Format = .csv
    @Option(help: "File to write (default: standard output).") var out: String?

    func run(_ context: CommandContext) async throws {
      let store = context.markingStore
      let results = try await store.results(examId: exam)
      if let exam, results.isEmpty {
        throw ExamError(
          .state, location: "exam \(exam)", "no finalised results",
          fix: "run `exam results finalise --exam \(exam)` first")
      }
      var sectionIds: [String] = []
      for id in Set(results.map(\.examId)).sorted() {
        for s in try await store.requireExam(id: id).sections where !sectionIds.contains(s.id) {
          sectionIds.append(s.id)
        }
      }
      let text = format == .csv ? ResultsExport.csv(results, sectionIds: sectionIds) : ResultsExport.json(results)
      if let out {
        try PrivateOutputFile.writeAtomically(text, to: out)
        print("wrote \(results.count) result(s) to \(out)")
      } else {
        print(text, terminator: "")
      }
    }
  }
}
