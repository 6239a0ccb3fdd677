import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Ingest

extension ExamCommand.Audio {
  struct Expected: ExamSubcommand {
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

    var examOption: ExamOption { .given(exam) }
    static let runsOnPostgres = true

    func run(_ context: CommandContext) async throws {
      for answer in try await ExpectedAnswer.list(
        examId: context.examId, centreId: centre, sessionId: session, store: context.sitting)
      {
        if json {
          context.say(JSONOutput.string(answer))
        } else {
          let window =
            answer.spoken
            ? " \(answer.minSeconds.map { "\($0)" } ?? "-")…\(answer.maxSeconds.map { "\($0)" } ?? "-") s" : ""
          context.say(
            "\(answer.centre) \(answer.candidate)  \(answer.session) \(answer.room)/\(answer.seat)  \(answer.item) \(answer.type)\(window)"
          )
        }
      }
    }
  }
}
