import ArgumentParser
import ExamCLI
import ExamStorage
import Testing
import _ExamTestSupport

@Suite struct CommandTests {
  struct BadInput: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(arguments: [
    BadInput(arguments: ["audit", "--last", "0"], message: "'--last' must be at least 1 (got 0)."),
    BadInput(arguments: ["nonsense"], message: "Unexpected argument 'nonsense'"),
    BadInput(
      arguments: ["proctor", "scan", "--exam", "E", "--min-voice-score", "nan"],
      message: "'--min-voice-score' must be a number (got nan)"),
  ])
  func rejectsBadInput(_ c: BadInput) {
    do {
      _ = try ExamCommand.parseAsRoot(c.arguments)
      Issue.record("accepted \(c.arguments)")
    } catch {
      #expect(ExamCommand.message(for: error).hasPrefix(c.message))
    }
  }

  @Test func initCreatesTheStoreAndAuditsIt() async throws {
    try await withTemporaryDirectory { dir in
      var command = try ExamCommand.parseAsRoot(["init", "--db", dir.file("exam.sqlite"), "--operator", "wang"])
      if var a = command as? AsyncParsableCommand { try await a.run() } else { try command.run() }
      let database = try ExamDatabase(path: dir.file("exam.sqlite"))
      let trail = try database.auditTrail()
      #expect(trail.count == 1)
      #expect(trail.first?.operator == "wang")
      #expect(trail.first?.command == "init")
    }
  }
}
