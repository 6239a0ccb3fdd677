import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Db: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Manage the store's schema (SQLite file or PostgreSQL database).",
      discussion: """
        Example:
          exam db migrate --db postgres://exam:secret@db1:5432/exam
        """,
      subcommands: [Migrate.self])
  }
}

extension ExamCommand.Db {
  struct Migrate: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Create the store's tables or bring them up to this release's schema.",
      discussion: """
        A PostgreSQL store (--db postgres://USER:PASSWORD@HOST:PORT/DATABASE, or $EXAM_DB) gets the scale-out
        schema: the work queue and the scoring tables (docs/scale-out.md). Run it once per release from any one
        machine; workers and other commands refuse a database of an older schema until it has run. A SQLite
        path is migrated like `exam init` does.

        Example:
          exam db migrate --db postgres://exam:secret@db1:5432/exam
        """)

    @OptionGroup var global: GlobalOptions
    static let storeAccess = StoreAccess.none

    func run(_ context: CommandContext) async throws {
      guard PostgresStore.isPostgresURL(context.databasePath) else {
        let database = try context.openDatabase()
        context.say(
          "exam store ready: \(context.databasePath) (schema: \(try database.appliedMigrations().last ?? "none"))")
        return
      }
      let store = try await PostgresStore.connect(url: context.databasePath, migrate: true)
      let version = try await store.schemaVersion()
      await store.close()
      context.say(
        "PostgreSQL store ready: \(store.redactedURL) (schema version \(version), ExamKit \(ExamKitRelease.version))")
    }
  }
}
