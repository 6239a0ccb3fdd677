import Allocation
import ArgumentParser
import ExamCore
import ExamStorage

extension PlanExporter.Format: ExpressibleByArgument {}

extension ExamCommand {
  struct AllocateExport: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract: "Write the seat plan: seats.csv, admission tickets, per-room seat plans and door lists.",
      discussion: """
        Writes DIR/seats.csv (header session,centre,room,seat,row,col,candidate,school,district,form),
        DIR/tickets.csv, and per room and session DIR/rooms/<session>/<centre>-<room>.csv|.html (seat grid)
        and DIR/doors/<session>/<centre>-<room>.csv|.html (door list). --format csv writes the CSV sheets,
        html the printable pages, all both.

        Example:
          exam allocate export --exam SH-2026-EL --format html --out plans/
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam id (default: the only exam in the store).") var exam: String?
    @Option(help: "csv, html or all.") var format: PlanExporter.Format = .csv
    @Option(help: "Folder to write into (created if needed).") var out: String
    @Flag(help: "List the files written as JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func run(_ context: CommandContext) async throws {
      let database = context.sitting
      let examId = context.examId
      let files = try await PlanExporter(database: database).export(examId: examId, format: format, to: out)
      if json {
        print(JSONOutput.string(files))
      } else {
        context.say("wrote \(files.count) files to \(out) (seats.csv, tickets.csv, \(files.count - 2) room sheets)")
      }
    }
  }
}
