import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Scoring

extension ExamCommand.Marking {
  struct Arbitrate: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "List answers waiting for arbitration, or record arbiters' marks.",
      discussion: """
        Without marks, prints the queue (answer, item, the two marks, the machine's mark, audio). Record a decision
        with --answer, --arbiter and --points, or many with --file (answer_id,rater_id,points). The arbiter must be on
        the rater list, be neither of the two raters, and not be from the candidate's school. The final mark then
        follows the item rubric's resolution (mean-of-closest or arbiter-decides).

        Example:
          exam marking arbitrate --exam E2026
          exam marking arbitrate --exam E2026 --answer 17 --arbiter R09 --points 3.5
        """)
    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam (default: the only one in the store).") var exam: String?
    @Option(help: "Answer id to decide.") var answer: Int64?
    @Option(help: "The arbiter's rater id.") var arbiter: String?
    @Option(help: "The arbiter's mark, in points.") var points: Double?
    @Option(help: "CSV of arbiters' marks (answer_id,rater_id,points).") var file: String?
    @Option(help: "Write the queue as a CSV worksheet here (with an empty points column).") var queueOut: String?
    @Flag(help: "Print JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    var auditArguments: [String] {
      var arguments = exam.map { ["--exam", $0] } ?? []
      if let answer, let arbiter, let points {
        arguments += ["--answer", String(answer), "--arbiter", arbiter, "--points", "\(points)"]
      }
      if let file { arguments += ["--file", file] }
      if let queueOut { arguments += ["--queue-out", queueOut] }
      return arguments
    }

    func validate() throws {
      let single = [answer != nil, arbiter != nil, points != nil]
      if single.contains(true) && single.contains(false) {
        throw ValidationError("Give --answer, --arbiter and --points together.")
      }
      if file != nil && single.contains(true) {
        throw ValidationError("Give either --file or --answer/--arbiter/--points.")
      }
    }

    func run(_ context: CommandContext) async throws {
      let exam = context.examId
      let desk = MarkingDesk(store: context.markingStore, contentStore: context.contentStore)
      let audit = context.audit("")
      var decisions: [MarkingDesk.IncomingMark] = []
      if let answer, let arbiter, let points {
        decisions = [.init(answerId: answer, raterId: arbiter, points: points, source: "exam marking arbitrate")]
      } else if let file {
        decisions = try await desk.readMarks(path: file, text: try InputFile.text(file), examId: exam, kind: .arbiter)
          .marks
      }
      if !decisions.isEmpty {
        let finalised = try await desk.arbitrate(examId: exam, decisions: decisions, audit: audit)
        print("recorded \(decisions.count) arbiter mark(s); \(finalised) answer(s) final")
        return
      }
      let queue = try await desk.arbitrationQueue(examId: exam)
      if let queueOut {
        var writer = CSVWriter(header: [
          "answer_id", "rater_id", "item_id", "max_points", "marks", "machine_points", "audio", "points",
        ])
        for c in queue {
          writer.append([
            String(c.answerId), "", c.itemId, String(c.maxPoints),
            c.marks.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
            c.machinePoints.map { String($0) } ?? "", c.audio, "",
          ])
        }
        try PrivateOutputFile.writeAtomically(writer.text, to: queueOut)
      }
      if json {
        for c in queue { print(JSONOutput.string(c)) }
        return
      }
      print("\(queue.count) answer(s) waiting for arbitration")
      for c in queue {
        let marks = c.marks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(
          "  answer \(c.answerId)  item \(c.itemId)  marks \(marks)  (tolerance \(c.tolerance), machine \(c.machinePoints.map { String($0) } ?? "–"))  \(c.audio)"
        )
      }
    }
  }
}
