import ExamCore
import ExamStorage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shared state a subcommand gets ready-made: the store (opened once), the exam it works on (resolved once),
/// the operator, and the command and arguments its audit lines record.
public struct CommandContext: Sendable {
  public let databasePath: String
  /// `--store`: the shared content store of a PostgreSQL store.
  let storeOption: String?
  /// The name the person gave (`--operator`, else $USER, else the account), control characters replaced and at
  /// most 64 characters: recorded beside the account, never instead of it.
  public let operatorName: String
  /// The OS account running the command, from the process's user id (not from the environment).
  public let account: String
  public let quiet: Bool
  /// The command's words in the audit trail, e.g. `allocate reseat`.
  public let command: String
  /// The options and arguments the audit trail records.
  public let arguments: [String]
  private let store: ExamDatabase?
  private let postgres: PostgresStore?
  private let exam: String?

  public init(_ global: GlobalOptions) {
    databasePath = global.db ?? CommandContext.environment("EXAM_DB") ?? "exam.sqlite"
    storeOption = global.store
    account = CommandContext.loginName() ?? "uid \(getuid())"
    operatorName = CommandContext.cleanName(global.operatorName ?? CommandContext.environment("USER") ?? account)
    quiet = global.quiet
    command = ""
    arguments = []
    store = nil
    postgres = nil
    exam = nil
  }

  /// The context of `subcommand`: opens the store as it asks (a SQLite file, or a PostgreSQL database for the
  /// commands that run on either), and resolves its exam. Close it with `close()`.
  /// - Throws: `ExamError` when the store cannot be opened (or does not exist) or the exam cannot be chosen.
  static func open(_ subcommand: some ExamSubcommand) async throws -> CommandContext {
    let base = CommandContext(subcommand.global)
    let access = type(of: subcommand).storeAccess
    let command = type(of: subcommand).auditName
    var sqlite: ExamDatabase? = nil
    var postgres: PostgresStore? = nil
    if let store = base.storeOption, !PostgresStore.isPostgresURL(base.databasePath) {
      throw ExamError(
        .usage, location: "--store \(store)", "a SQLite store keeps its content store beside its file",
        fix: "leave out --store, or give a PostgreSQL store with --db postgres://…")
    }
    if access != .none, PostgresStore.isPostgresURL(base.databasePath) {
      guard type(of: subcommand).runsOnPostgres else { throw Self.sqliteOnly("`exam \(command)`") }
      postgres = try await PostgresStore.connect(url: base.databasePath, migrate: access == .createIfMissing)
    } else {
      switch access {
      case .none: break
      case .existing: sqlite = try base.openExistingDatabase()
      case .createIfMissing: sqlite = try base.openDatabase()
      }
    }
    do {
      var exam: String? = nil
      if case .given(let given) = subcommand.examOption {
        if let sqlite { exam = try sqlite.resolveExamId(given) }
        if let postgres { exam = try await postgres.resolveExamId(given) }
      }
      return CommandContext(base, command: command, arguments: subcommand.auditArguments, sqlite, postgres, exam)
    } catch {
      await postgres?.close()
      throw error
    }
  }

  private init(
    _ base: CommandContext, command: String, arguments: [String], _ store: ExamDatabase?, _ postgres: PostgresStore?,
    _ exam: String?
  ) {
    databasePath = base.databasePath
    storeOption = base.storeOption
    operatorName = base.operatorName
    account = base.account
    quiet = base.quiet
    self.command = command
    self.arguments = arguments
    self.store = store
    self.postgres = postgres
    self.exam = exam
  }

  /// Closes the PostgreSQL store's connections (nothing to do for SQLite).
  func close() async { await postgres?.close() }

  /// The SQLite store, opened once for the command.
  public var database: ExamDatabase {
    guard let store else { preconditionFailure("\(command) declares that it does not use the SQLite store") }
    return store
  }

  /// The store of a command that runs on either backend (`runsOnPostgres`): PostgreSQL or SQLite, as --db says.
  public var sitting: any SittingStore { answerStore }

  /// The store of a command that takes answers on either backend (`runsOnPostgres`).
  public var answerStore: any AnswerStore { proctoringStore }

  /// The store of a proctoring command on either backend (`runsOnPostgres`).
  public var proctoringStore: any ProctoringStore { markingStore }

  /// The store of a scoring, marking or results command on either backend (`runsOnPostgres`).
  public var markingStore: any MarkingStore { recordsStore }

  /// The store of a records command on either backend (`runsOnPostgres`).
  public var recordsStore: any RecordsStore { serverStore }

  /// The store of `exam serve`, `exam raters` and `exam centres tokens` on either backend (`runsOnPostgres`).
  public var serverStore: any ServerStore {
    if let postgres { return postgres }
    return database
  }

  /// The PostgreSQL store, when --db names one.
  public var postgresStore: PostgresStore? { postgres }

  /// The names of the store's applied migrations, oldest first.
  func schemaMigrations() async throws -> [String] {
    if let postgres { return try await postgres.appliedMigrations() }
    return try database.appliedMigrations()
  }

  /// The exam the command works on: its `--exam`, else the only exam in the store.
  public var examId: String {
    guard let exam else { preconditionFailure("\(command) declares that it works on no exam") }
    return exam
  }

  /// This command's audit line, stamped now, by this operator.
  /// - Parameter arguments: what the line records when it is not the command's `auditArguments` (a batch of one exam).
  public func audit(_ summary: String, arguments: [String]? = nil) -> AuditEntry {
    auditEntry(command: command, arguments: arguments ?? self.arguments, summary: summary)
  }

  /// Opens the SQLite store, creating and migrating it if needed.
  /// - Throws: `ExamError.usage` for a PostgreSQL URL (a command that works on the SQLite file alone).
  public func openDatabase() throws(ExamError) -> ExamDatabase {
    guard !PostgresStore.isPostgresURL(databasePath) else {
      throw Self.sqliteOnly(command.isEmpty ? "this command" : "`exam \(command)`")
    }
    return try ExamDatabase(path: databasePath)
  }

  /// The refusal of a PostgreSQL `--db` by a command that does not declare `runsOnPostgres` (every command that
  /// opens the store does: `ExamSubcommandTests.everyCommandThatOpensTheStoreRunsOnPostgres`).
  static func sqliteOnly(_ what: String) -> ExamError {
    ExamError(
      .usage, location: "--db", "\(what) works on the SQLite store only",
      fix: "give it the office's SQLite store (--db exam.sqlite); see docs/scale-out.md for what runs where")
  }

  /// Opens the store, refusing when it does not exist yet (so a typo in --db is not a new empty store).
  public func openExistingDatabase() throws(ExamError) -> ExamDatabase {
    guard PostgresStore.isPostgresURL(databasePath) || access(databasePath, F_OK) == 0 else {
      throw ExamError(
        .notFound, file: databasePath, "there is no exam store here",
        fix: "run `exam init` first, or point --db (or $EXAM_DB) at the store")
    }
    return try openDatabase()
  }

  /// The content store beside the database (`store/`); for a PostgreSQL store, the shared one every machine mounts
  /// (`--store`, else `$EXAM_STORE`, else `./store`).
  public var contentStore: ContentStore {
    if PostgresStore.isPostgresURL(databasePath) {
      return ContentStore(root: storeOption ?? CommandContext.environment("EXAM_STORE") ?? "store")
    }
    return ContentStore(
      root: AtomicFile.parentOf(databasePath).isEmpty ? "store" : AtomicFile.parentOf(databasePath) + "/store")
  }

  /// An audit line for `command` with `arguments`, stamped now, by this operator.
  public func auditEntry(command: String, arguments: [String], summary: String) -> AuditEntry {
    AuditEntry(
      at: Timestamp.now(), operator: operatorName, command: command,
      arguments: arguments.joined(separator: " "), summary: summary, account: account)
  }

  /// Prints a line on standard output.
  public func say(_ text: String) { print(text) }

  /// A progress reporter on standard error (silent with --quiet).
  public func progress(_ label: String, total: Int) -> ProgressReporter {
    ProgressReporter(label: label, total: total, enabled: !quiet)
  }

  /// `name` with control characters (new lines, escapes) replaced by `?` and cut to 64 characters, so a typed name
  /// cannot forge a second line in `exam audit` or flood it.
  static func cleanName(_ name: String) -> String {
    let cleaned = String(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    let trimmed = cleaned.trimmingSpaces()
    return trimmed.isEmpty ? "unknown" : String(trimmed.prefix(64))
  }

  /// The account running the process, from its user id (the kernel's word, unlike $USER).
  static func loginName() -> String? {
    guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
  }

  static func environment(_ name: String) -> String? {
    guard let value = getenv(name), value.pointee != 0 else { return nil }
    return String(cString: value)
  }
}
