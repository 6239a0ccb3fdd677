import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Init: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Create the exam store (or bring an existing one up to date).",
      discussion: """
        Creates the SQLite store and the content store folder beside it. Safe to run again: an existing
        store is only migrated.

        Example:
          exam init --db /srv/exam/exam.sqlite
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions

    static let storeAccess = StoreAccess.createIfMissing

    func run(_ context: CommandContext) async throws {
      let store = context.sitting
      let migrations = try await context.schemaMigrations()
      try await store.appendAudit(context.audit("store ready, \(migrations.count) migrations"))
      context.say("exam store ready: \(store.location) (schema: \(migrations.last ?? "none"))")
    }
  }
}
