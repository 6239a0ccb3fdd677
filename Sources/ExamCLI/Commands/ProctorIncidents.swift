import ArgumentParser
import ExamCore
import ExamStorage
import Proctoring

extension ExamCommand {
  struct ProctorIncidents: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "incidents",
      abstract: "List proctoring incidents, with their decisions.",
      discussion: """
        Example:
          exam proctor incidents --room R01 --open
          exam proctor incidents --exam SH-2026-EL --json
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this exam.") var exam: String?
    @Option(help: "Only this room (any centre).") var room: String?
    @Flag(help: "Only incidents with no decision yet.") var open = false
    @Flag(help: "One JSON object per incident, with its decisions.") var json = false

    func run(_ context: CommandContext) async throws {
      let store = context.proctoringStore
      let incidents = try await store.incidents(examId: exam, roomId: room, openOnly: open)
      let decisions = Dictionary(grouping: try await store.incidentDecisions(incidentId: nil), by: \.incidentId)
      if json {
        for i in incidents {
          print(JSONOutput.string(ProctorIncidentLine(incident: i, decisions: decisions[i.id ?? -1] ?? [])))
        }
        return
      }
      if incidents.isEmpty {
        context.say("no incidents")
        return
      }
      for i in incidents {
        let place = [i.centreId, i.roomId, i.seatId].compactMap { $0 }.joined(separator: "/")
        let time = i.at.map(SittingContext.clock) ?? "--:--:--"
        context.say(
          "#\(i.id ?? 0)  \(time)  \(i.severity.rawValue.padding(6))  \(i.status.rawValue.padding(9))  \(place.padding(14))  \(i.candidateId ?? "-")  \(i.category.rawValue)/\(i.subcategory): \(i.comment)"
        )
        if let s = i.suggestion, i.status == .open { context.say("      → \(s)") }
        for d in decisions[i.id ?? -1] ?? [] {
          context.say("      \(d.at) \(d.operator): \(d.action.rawValue) — \(d.reason)")
        }
      }
      let open = incidents.filter { $0.status == .open }.count
      context.say("\(incidents.count) incident(s), \(open) open")
    }
  }

  struct ProctorIncidentLine: Encodable {
    var incident: Incident
    var decisions: [IncidentDecision]
  }
}
