import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Audit: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Show the audit trail: who changed what, when, with which command.",
      discussion: """
        Example:
          exam audit --last 20
          exam audit --json
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Option(help: "Show only the newest N lines.") var last: Int?
    @Flag(help: "One JSON object per line.") var json = false

    func validate() throws {
      if let last, last < 1 { throw ValidationError("'--last' must be at least 1 (got \(last)).") }
    }

    func run(_ context: CommandContext) async throws {
      for entry in try await context.sitting.auditTrail(limit: last) {
        if json {
          print(JSONOutput.string(entry))
        } else {
          let who =
            entry.account.map { $0 == entry.operator ? $0 : "\(entry.operator) [account \($0)]" } ?? entry.operator
          print("\(entry.at)  \(who)  \(entry.command) \(entry.arguments)  — \(entry.summary)")
        }
      }
    }
  }
}
