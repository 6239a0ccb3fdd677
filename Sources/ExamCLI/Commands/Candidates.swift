import Allocation
import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Candidates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "candidates",
      abstract: "Manage the candidate roster.",
      subcommands: [CandidatesImport.self])
  }

  struct CandidatesImport: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import the candidate roster from a CSV file (UTF-8 or GB18030).",
      discussion: """
        Header: candidate,name,national_id,school,district,accommodations
        accommodations is optional; values separated by ';': accessible-seat, separate-room, extra-time.
        The encoding is detected: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (Excel's CSV on
        Chinese Windows). National IDs are checked (ISO 7064 MOD 11-2 check character and birth date).
        Every bad row is reported (line, column, value, why) and nothing is imported, unless --skip-bad.
        Re-importing the same file changes nothing.

        Example:
          exam candidates import ExamPacks/sample-sitting/roster.csv
          exam candidates import roster-gbk.csv --skip-bad --json
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The roster CSV file.") var file: String
    @Flag(help: "Import the good rows and report the bad ones, instead of importing nothing.") var skipBad = false
    @Flag(help: "Print the outcome as JSON.") var json = false

    struct Report: Encodable {
      var file: String
      var encoding: String
      var rows: Int
      var inserted: Int
      var updated: Int
      var unchanged: Int
      var skipped: [String]
      /// Bad values in all (`skipped` lists the first ones).
      var skippedCount: Int
      var skippedRows: Int
    }

    var auditArguments: [String] { [file] + (skipBad ? ["--skip-bad"] : []) }

    func run(_ context: CommandContext) async throws {
      let service = RoomsService(database: context.sitting)
      let year = Int(Timestamp.now().prefix(4)) ?? 2100
      let outcome = try await service.importRoster(path: file, skipBad: skipBad, latestBirthYear: year) {
        context.audit($0)
      }
      if !json {
        for error in outcome.skipped { ProgressReporter.writeError("skipped: \(error)\n") }
        if outcome.skippedCount > outcome.skipped.count {
          ProgressReporter.writeError(
            "skipped: … and \(outcome.skippedCount - outcome.skipped.count) more bad values\n")
        }
      }
      let s = outcome.summary
      if json {
        print(
          JSONOutput.string(
            Report(
              file: file, encoding: outcome.encoding.rawValue, rows: outcome.rows,
              inserted: s.inserted, updated: s.updated, unchanged: s.unchanged,
              skipped: outcome.skipped.map(\.description),
              skippedCount: outcome.skippedCount, skippedRows: outcome.skippedRows)))
      } else {
        context.say(
          "\(file) (\(outcome.encoding.rawValue)): \(outcome.rows) rows; \(s.inserted) new, \(s.updated) updated, \(s.unchanged) unchanged"
            + (outcome.skippedCount == 0
              ? "" : "; \(outcome.skippedRows) bad rows (\(outcome.skippedCount) bad values) skipped"))
      }
    }
  }
}
