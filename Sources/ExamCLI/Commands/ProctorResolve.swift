import ArgumentParser
import ExamCore
import ExamStorage
import Proctoring

extension IncidentDecision.Action: ExpressibleByArgument {}

extension ExamCommand {
  struct ProctorResolve: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "resolve",
      abstract: "Decide on an incident: dismiss, confirm, extra-time, void-item or reseat.",
      discussion: """
        Every decision is kept with who (--operator, else $USER), when and why, and audited. An incident
        can be decided again (e.g. confirmed after review); its status follows the newest decision.
        reseat moves the candidate off their seat (logged failed for the session, as `exam allocate reseat`
        does) to --seat (SEAT in the incident's room, or CENTRE/ROOM/SEAT), or to the best free reserve seat
        by the allocation's rule: same room first, else the centre; an accessible room when needed; never a
        failed seat or one another candidate logged in at.

        Example:
          exam proctor resolve 12 --action reseat --reason "machine 04 froze" --operator "Li Wei"
          exam proctor resolve 13 --action dismiss --reason "heartbeat lost, candidate unaffected"
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident's number (see `exam proctor incidents`).") var id: Int64
    @Option(help: "dismiss, confirm, extra-time, void-item or reseat.") var action: IncidentDecision.Action
    @Option(help: "Why (kept in the record and the report).") var reason: String
    @Option(help: "For reseat: the seat to move the candidate to.") var seat: String?

    func validate() throws {
      if reason.trimmingSpaces().isEmpty { throw ValidationError("'--reason' must say why (got an empty reason).") }
      if seat != nil && action != .reseat { throw ValidationError("'--seat' goes with '--action reseat' only.") }
    }

    var auditArguments: [String] {
      [String(id), "--action", action.rawValue, "--reason", reason] + (seat.map { ["--seat", $0] } ?? [])
    }

    func run(_ context: CommandContext) async throws {
      let decision = try await IncidentDesk(store: context.proctoringStore).resolve(
        id: id, action: action, reason: reason,
        operator: context.operatorName, seat: seat,
        audit: context.audit("incident \(id): \(action.rawValue)"))
      context.say(
        "incident #\(id): \(decision.action.rawValue) by \(decision.operator) at \(decision.at) — \(decision.reason) (now \(decision.resultingStatus.rawValue))"
      )
    }
  }
}
