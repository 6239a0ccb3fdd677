import ArgumentParser
import ExamCore
import Records

extension ExamCommand.RecordsCommand {
  struct Import: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Import schools' record entries from CSV or JSON (all rows or none; the same file twice adds nothing).",
      discussion: """
        CSV header (UTF-8): national_id,student_number,name,school,district,class,cohort,dimension,type,title,date,status \
        and optionally indicator,hours,score,grade,source,evidence. dimension: character|academic|health|innovation or \
        the Chinese name; type: course-grade, social-practice, volunteer-service (needs hours), research-project, \
        award, physical-test, art-activity, school-indicator, other; status: entered|confirmed|approved. \
        JSON: an array of objects with the same keys, or {"entries": [...]}. \
        Every bad row is reported with its line (or index), field and why, and nothing is imported.

        Example:
          exam records import ExamPacks/sample-sitting/records.csv
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A .csv or .json file of record entries.") var file: String
    @Flag(help: "Print the counts as JSON.") var json = false

    var auditArguments: [String] { [file] }

    func run(_ context: CommandContext) async throws {
      let summary = try await RecordsImporter.importFile(
        file, store: context.recordsStore,
        audit: context.audit(""), showProgress: !context.quiet)
      if json {
        print(JSONOutput.string(summary))
      } else {
        print(
          """
          \(file): students \(summary.studentsInserted) new, \(summary.studentsUpdated) updated; \
          entries \(summary.entriesInserted) new, \(summary.entriesUpdated) updated, \(summary.entriesUnchanged) unchanged
          """)
      }
    }
  }
}
