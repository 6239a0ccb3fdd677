import ArgumentParser
import ExamCore
import ExamStorage
import Foundation

extension ExamCommand.Audio {
  struct Expected: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "expected",
      abstract: "List the answers each centre's batch should hold: its allocated candidates × the exam's items.",
      discussion: """
        One line per candidate and item: the seat, whether the item is spoken (a recording in manifest.csv)
        or listening (a choice in answers.csv), and a spoken item's answer window in seconds. Seat machines and
        the demo's batch maker use it; --json gives one object per line.

        Example:
          exam audio expected --centre T01 --session AM
          exam audio expected --json            (every centre)
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this centre's candidates (default: every centre).") var centre: String?
    @Option(help: "Only candidates in this session.") var session: String?
    @Option(help: "Exam id (default: the only exam in the store).") var exam: String?
    @Flag(help: "One JSON object per line.") var json = false

    struct Line: Encodable {
      var centre: String
      var candidate: String
      var session: String
      var room: String
      var seat: String
      var item: String
      var type: String
      var spoken: Bool
      var minSeconds: Double?
      var maxSeconds: Double?
      var referenceText: String?
      var promptText: String?
    }

    func run() async throws {
      let context = CommandContext(global)
      let database = try context.openExistingDatabase()
      let examId: String
      if let exam {
        examId = exam
      } else {
        let ids = try database.examIds()
        guard ids.count == 1 else {
          throw ExamError(.usage, location: "--exam", "the store holds \(ids.count) exams", fix: "name one with --exam")
        }
        examId = ids[0]
      }
      let definition = try database.requireExam(id: examId)
      let seats = try database.allocation(examId: examId).filter {
        (centre == nil || $0.centreId == centre) && (session == nil || $0.sessionId == session)
      }
      for seat in seats {
        for item in definition.items {
          let line = Line(centre: seat.centreId, candidate: seat.candidateId, session: seat.sessionId, room: seat.roomId, seat: seat.seatId,
            item: item.id, type: item.type.rawValue, spoken: item.type.isSpoken, minSeconds: item.minAnswerSeconds,
            maxSeconds: item.maxAnswerSeconds, referenceText: item.referenceText, promptText: item.promptText)
          if json {
            context.say(JSONOutput.string(line))
          } else {
            let window = item.type.isSpoken ? " \(item.minAnswerSeconds.map { "\($0)" } ?? "-")…\(item.maxAnswerSeconds.map { "\($0)" } ?? "-") s" : ""
            context.say("\(seat.centreId) \(seat.candidateId)  \(seat.sessionId) \(seat.roomId)/\(seat.seatId)  \(item.id) \(item.type.rawValue)\(window)")
          }
        }
      }
    }
  }
}
