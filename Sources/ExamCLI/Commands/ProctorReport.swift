import ArgumentParser
import ExamCore
import ExamStorage
import Proctoring

extension ExamCommand {
  struct ProctorReport: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Write the irregularity report (CSV) and a timeline page per room (HTML).",
      discussion: """
        csv: irregularities.csv with date, author, candidate, category, subcategory, comment (the columns
        proctoring platforms export), then incident number, severity, status, place, evidence, decisions.
        html: index.html and room-CENTRE-ROOM.html — a timeline of the room's seats and incidents; static,
        no scripts. Give --format twice for both.

        Example:
          exam proctor report --exam SH-2026-EL --format csv --format html --out report/
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam to report on.") var exam: String
    @Option(help: "csv or html (repeat for both).") var format: [ReportFormat] = [.csv, .html]
    @Option(help: "Folder to write into (created if needed).") var out: String
    @Flag(help: "Print the files written as JSON.") var json = false

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case csv, html }

    func run(_ context: CommandContext) async throws {
      let store = context.proctoringStore
      _ = try await store.requireExam(id: exam)
      let written = try await IrregularityReport.write(
        store: store, examId: exam, formats: Set(format.map(\.rawValue)), to: out)
      if json {
        print(JSONOutput.string(written))
      } else {
        for path in written { context.say(path) }
      }
    }
  }
}
