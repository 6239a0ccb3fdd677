import ArgumentParser
import ExamCore
import ExamStorage
import Proctoring

extension IncidentDecision.Action: ExpressibleByArgument {}

extension ExamCommand {
  struct ProctorResolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "resolve",
      abstract: "Decide on an incident: dismiss, confirm, extra-time, void-item or reseat.",
      discussion: """
        Every decision is kept with who (--operator, else $USER), when and why, and audited. An incident
        can be decided again (e.g. confirmed after review); its status follows the newest decision.
        reseat moves the candidate's allocation to --seat (SEAT in the incident's room, or
        CENTRE/ROOM/SEAT), or to the room's first free reserve seat.

        Example:
          exam proctor resolve 12 --action reseat --reason "machine 04 froze" --operator "Li Wei"
          exam proctor resolve 13 --action dismiss --reason "heartbeat lost, candidate unaffected"
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident's number (see `exam proctor incidents`).") var id: Int64
    @Option(help: "dismiss, confirm, extra-time, void-item or reseat.") var action: IncidentDecision.Action
    @Option(help: "Why (kept in the record and the report).") var reason: String
    @Option(help: "For reseat: the seat to move the candidate to.") var seat: String?

    func validate() throws {
      if reason.trimmingSpaces().isEmpty { throw ValidationError("'--reason' must say why (got an empty reason).") }
      if seat != nil && action != .reseat { throw ValidationError("'--seat' goes with '--action reseat' only.") }
    }

    func run() async throws {
      let context = CommandContext(global)
      let database = try context.openExistingDatabase()
      var arguments = [String(id), "--action", action.rawValue, "--reason", reason]
      if let seat { arguments += ["--seat", seat] }
      let decision = try IncidentDesk(database: database).resolve(id: id, action: action, reason: reason,
        operator: context.operatorName, seat: seat,
        audit: context.auditEntry(command: "proctor resolve", arguments: arguments, summary: "incident \(id): \(action.rawValue)"))
      context.say("incident #\(id): \(decision.action.rawValue) by \(decision.operator) at \(decision.at) — \(decision.reason) (now \(decision.resultingStatus.rawValue))")
    }
  }
}
