import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create the exam store (or bring an existing one up to date).",
      discussion: """
        Creates the SQLite store and the content store folder beside it. Safe to run again: an existing
        store is only migrated.

        Example:
          exam init --db /srv/exam/exam.sqlite
        """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
      let context = CommandContext(global)
      let database = try context.openDatabase()
      let migrations = try database.appliedMigrations()
      try database.appendAudit(
        context.auditEntry(command: "init", arguments: [], summary: "store ready, \(migrations.count) migrations"))
      context.say("exam store ready: \(context.databasePath) (schema: \(migrations.last ?? "none"))")
    }
  }
}
