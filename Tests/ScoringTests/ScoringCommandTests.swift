import ArgumentParser
import Testing

@testable import ExamCLI

@Suite struct ScoringCommandTests {
  struct BadInput: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(arguments: [
    BadInput(
      arguments: ["score", "evaluate", "--manifest", "m.csv", "--human", "m.csv", "--folds", "1"],
      message: "'--folds' must be at least 2 (got 1)."),
    BadInput(
      arguments: ["score", "run", "--min-confidence", "2"],
      message: "'--min-confidence' must be between 0 and 1 (got 2.0)."),
    BadInput(
      arguments: ["score", "batch", "--manifest", "m.csv", "--out", "o.csv", "--jobs", "0"],
      message: "'--jobs' must be at least 1 (got 0)."),
    BadInput(
      arguments: ["marking", "arbitrate", "--answer", "3"], message: "Give --answer, --arbiter and --points together."),
    BadInput(arguments: ["marking", "import"], message: "Missing expected argument"),
  ])
  func rejectsBadInput(_ c: BadInput) {
    do {
      _ = try ExamCommand.parseAsRoot(c.arguments)
      Issue.record("accepted \(c.arguments)")
    } catch {
      #expect(ExamCommand.message(for: error).hasPrefix(c.message))
    }
  }

  @Test func everyCommandHelpHasAnExample() {
    let commands: [(String, any ParsableCommand.Type)] = [
      ("score calibrate", ExamCommand.Score.Calibrate.self), ("score evaluate", ExamCommand.Score.Evaluate.self),
      ("score batch", ExamCommand.Score.Batch.self), ("score run", ExamCommand.Score.Run.self),
      ("marking export", ExamCommand.Marking.Export.self), ("marking import", ExamCommand.Marking.Import.self),
      ("marking arbitrate", ExamCommand.Marking.Arbitrate.self), ("marking status", ExamCommand.Marking.Status.self),
      ("results finalise", ExamCommand.Results.Finalise.self), ("results export", ExamCommand.Results.Export.self),
      ("score publish", ExamCommand.Score.Publish.self), ("score status", ExamCommand.Score.Status.self),
      ("score collect", ExamCommand.Score.Collect.self), ("db migrate", ExamCommand.Db.Migrate.self),
    ]
    for (name, type) in commands {
      let help = type.helpMessage()
      #expect(help.contains("Example"), "\(name)")
      #expect(help.contains("exam " + name), "\(name)")
    }
  }
}
