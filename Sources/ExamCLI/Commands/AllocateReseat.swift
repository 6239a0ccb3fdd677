import Allocation
import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct AllocateReseat: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "reseat",
      abstract: "Move a candidate off a failed seat to a free reserve seat (same room, else same centre).",
      discussion: """
        Nobody else moves. The failed seat is logged and never used again in that session, so if the reserve
        seat fails too, report it the same way and the candidate moves again. Reporting the same seat twice
        changes nothing. Audit-logged. --list shows the failures of the exam.

        Example:
          exam allocate reseat --session D1-AM --room R101 --seat 07 --reason "headset dead"
          exam allocate reseat --list
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam id (default: the only exam in the store).") var exam: String?
    @Option(help: "Session id.") var session: String?
    @Option(help: "Centre id (only needed when several centres have a room of this name).") var centre: String?
    @Option(help: "Room id.") var room: String?
    @Option(help: "The failed seat's id.") var seat: String?
    @Option(help: "Why the seat failed (kept in the log).") var reason: String?
    @Flag(help: "List the seat failures instead.") var list = false
    @Flag(help: "Print as JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func validate() throws {
      guard !list else { return }
      let missing = [("--session", session), ("--room", room), ("--seat", seat), ("--reason", reason)]
        .filter { $0.1?.isEmpty ?? true }.map(\.0)
      if !missing.isEmpty { throw ValidationError("Give \(missing.joined(separator: ", ")) (or --list).") }
    }

    var auditArguments: [String] { ["--session", session ?? "", "--room", room ?? "", "--seat", seat ?? ""] }

    func run(_ context: CommandContext) async throws {
      let database = context.sitting
      let examId = context.examId
      if list {
        let failures = try await database.seatFailures(examId: examId)
        if json { print(JSONOutput.string(failures)); return }
        for f in failures {
          let moved =
            f.candidateId.map { c in "\(c) → \(f.toCentreId ?? "?")/\(f.toRoomId ?? "?")/\(f.toSeatId ?? "?")" }
            ?? "empty seat"
          context.say("\(f.at)  \(f.sessionId)  \(f.centreId)/\(f.roomId)/\(f.seatId)  \(moved)  (\(f.reason))")
        }
        return
      }
      let outcome = try await Reseater(database: database).reseat(
        examId: examId, sessionId: session!, centreId: centre,
        roomId: room!, seatId: seat!, reason: reason!
      ) { summary in
        context.audit(summary)
      }
      let f = outcome.failure
      if json { print(JSONOutput.string(f)); return }
      switch outcome {
      case .moved:
        context.say(
          "candidate \(f.candidateId!) moved from \(f.centreId)/\(f.roomId)/\(f.seatId) to \(f.toCentreId!)/\(f.toRoomId!)/\(f.toSeatId!)"
        )
      case .emptySeatLogged:
        context.say("seat \(f.centreId)/\(f.roomId)/\(f.seatId) was empty; logged as failed for session \(f.sessionId)")
      case .alreadyReported:
        context.say(
          "seat \(f.centreId)/\(f.roomId)/\(f.seatId) was already reported failed at \(f.at); nothing changed"
            + (f.candidateId.map {
              " (candidate \($0) is at \(f.toCentreId ?? "?")/\(f.toRoomId ?? "?")/\(f.toSeatId ?? "?"))"
            } ?? ""))
      }
    }
  }
}
