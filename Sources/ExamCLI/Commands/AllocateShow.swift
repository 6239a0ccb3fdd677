import Allocation
import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct AllocateShow: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a candidate's seat, or the quality report of the stored plan.",
      discussion: """
        Without --candidate, measures the stored plan again (hard rules and soft objectives with their
        lower bounds), including any reseats made since.

        Example:
          exam allocate show --candidate 2026010001
          exam allocate show --exam SH-2026-EL --json
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam id (default: the only exam in the store).") var exam: String?
    @Option(help: "Candidate (admission) number.") var candidate: String?
    @Flag(help: "Print as JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func run(_ context: CommandContext) async throws {
      let database = context.sitting
      let service = RoomsService(database: database)
      let examId = context.examId
      guard let candidate else {
        let quality = try await service.quality(examId: examId)
        if json { print(JSONOutput.string(quality)) } else { quality.reportLines.forEach { context.say($0) } }
        return
      }
      let t = try await AdmissionTicket.one(examId: examId, candidateId: candidate, database: database)
      if json {
        print(JSONOutput.string(t))
        return
      }
      context.say("\(t.candidate) \(t.name) (\(t.school))")
      context.say("  session \(t.session): \(t.date) \(t.start)–\(t.end)")
      context.say("  centre  \(t.centre) \(t.centreName), \(t.address)")
      context.say(
        "  room \(t.room), seat \(t.seat) (row \(t.row), column \(t.col))\(t.machine.map { ", machine \($0)" } ?? ""), form \(t.form)"
      )
      if !t.accommodations.isEmpty { context.say("  accommodations: \(t.accommodations.joined(separator: ", "))") }
      if let from = t.movedFrom { context.say("  moved from \(from) after a machine failure") }
    }
  }
}
