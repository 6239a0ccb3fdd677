import ArgumentParser
import ExamCore
import Records

extension ExamCommand.RecordsCommand {
  struct Sync: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "File an exam's finalised results in the students' academic dimension (matched by national ID).",
      discussion: """
        Each sitting is kept with its date, total, section scores and level; when a student sat more than once the \
        best sitting is marked as counted. Running it again changes nothing. Candidates with a result but no \
        student record are listed: import their records, then sync again.

        Example:
          exam records sync --exam 2026-SH-ELS
          exam records sync --all
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam whose finalised results to file (repeatable).") var exam: [String] = []
    @Flag(help: "Every exam in the store that has finalised results.") var all = false
    @Flag(help: "Print the summary as JSON.") var json = false

    func validate() throws {
      if exam.isEmpty && !all { throw ValidationError("Give --exam ID (or --all).") }
    }

    func run(_ context: CommandContext) async throws {
      let store = context.recordsStore
      var ids = exam
      if all {
        for id in try await store.examIds() where !exam.contains(id) {
          if try await !store.results(examId: id).isEmpty { ids.append(id) }
        }
      }
      if ids.isEmpty { print("no exam has finalised results yet (run `exam results finalise --exam ID` first)") }
      for id in ids {
        let summary = try await RecordsSync.sync(
          examId: id, store: store,
          audit: context.audit("filed finalised results of \(id) in the academic dimension", arguments: ["--exam", id]))
        if json {
          print(JSONOutput.string(summary))
          continue
        }
        print("\(id): \(summary.results) result(s); \(summary.inserted) sitting(s) filed, \(summary.updated) updated")
        if !summary.unmatchedCandidates.isEmpty {
          let shown = summary.unmatchedCandidates.prefix(10).joined(separator: ", ")
          print(
            "  \(summary.unmatchedCandidates.count) candidate(s) have no student record (by national ID): \(shown)"
              + (summary.unmatchedCandidates.count > 10 ? ", …" : "") + " — import their records, then sync again")
        }
      }
    }
  }
}
