import ArgumentParser
import ExamCore
import ExamStorage

/// How a subcommand uses the exam store.
enum StoreAccess: Sendable {
  /// It never opens the store (pack tools, keys, scoring on manifests).
  case none
  /// It opens the store at `--db`, refusing when there is none (so a typo is not a new empty store).
  case existing
  /// It creates the store when it is missing (`exam init`).
  case createIfMissing
}

/// Whether a subcommand works on one exam.
enum ExamOption: Sendable {
  case notUsed
  /// The `--exam` given, or nil for the only exam in the store.
  case given(String?)
}

/// A subcommand of `exam`: the store, the resolved exam and the audit line's command and arguments are built
/// once from `GlobalOptions` into a `CommandContext` it gets ready-made (STYLE.md §3).
protocol ExamSubcommand: AsyncParsableCommand {
  var global: GlobalOptions { get }
  /// How the command uses the store (default: an existing store).
  static var storeAccess: StoreAccess { get }
  /// Whether it runs on a PostgreSQL store too, through `context.sitting` (default: SQLite only).
  static var runsOnPostgres: Bool { get }
  /// The command's words in the audit trail (default: its path in the command tree, e.g. `allocate reseat`).
  static var auditName: String { get }
  /// The options and arguments its audit lines record (default: none).
  var auditArguments: [String] { get }
  /// `.given(exam)` when the command works on one exam (default: it does not).
  var examOption: ExamOption { get }
  func run(_ context: CommandContext) async throws
}

extension ExamSubcommand {
  static var storeAccess: StoreAccess { .existing }
  static var runsOnPostgres: Bool { false }
  static var auditName: String { ExamCommand.path(to: Self.self).joined(separator: " ") }
  var auditArguments: [String] { [] }
  var examOption: ExamOption { .notUsed }

  func run() async throws {
    let context = try await CommandContext.open(self)
    do { try await run(context) } catch {
      await context.close()
      throw error
    }
    await context.close()
  }
}

extension ExamCommand {
  /// The words that call `command` from the root (`["allocate", "reseat"]`); a default subcommand adds none.
  static func path(to command: any ParsableCommand.Type, from root: any ParsableCommand.Type = ExamCommand.self)
    -> [String]
  {
    func search(_ parent: any ParsableCommand.Type) -> [String]? {
      let configuration = parent.configuration
      for sub in configuration.subcommands {
        let isDefault = configuration.defaultSubcommand.map { ObjectIdentifier($0) == ObjectIdentifier(sub) } ?? false
        let word = isDefault ? [] : [sub._commandName]
        if ObjectIdentifier(sub) == ObjectIdentifier(command) { return word }
        if let rest = search(sub) { return word + rest }
      }
      return nil
    }
    return search(root) ?? [command._commandName]
  }
}
