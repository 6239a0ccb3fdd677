import ExamCore
import ExamStorage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Shared state a subcommand gets ready-made: the store, the operator, and how to record an audit line.
public struct CommandContext: Sendable {
  public let databasePath: String
  public let operatorName: String
  public let quiet: Bool

  public init(_ global: GlobalOptions) {
    databasePath = global.db ?? CommandContext.environment("EXAM_DB") ?? "exam.sqlite"
    operatorName = global.operatorName ?? CommandContext.environment("USER") ?? CommandContext.loginName() ?? "unknown"
    quiet = global.quiet
  }

  /// Opens the store, creating and migrating it if needed.
  public func openDatabase() throws(ExamError) -> ExamDatabase {
    try ExamDatabase(path: databasePath)
  }

  /// Opens the store, refusing when it does not exist yet (so a typo in --db is not a new empty store).
  public func openExistingDatabase() throws(ExamError) -> ExamDatabase {
    guard access(databasePath, F_OK) == 0 else {
      throw ExamError(.notFound, file: databasePath, "there is no exam store here",
        fix: "run `exam init` first, or point --db (or $EXAM_DB) at the store")
    }
    return try openDatabase()
  }

  /// The content store beside the database (`store/`).
  public var contentStore: ContentStore {
    ContentStore(root: AtomicFile.parentOf(databasePath).isEmpty ? "store" : AtomicFile.parentOf(databasePath) + "/store")
  }

  /// An audit line for `command` with `arguments`, stamped now, by this operator.
  public func auditEntry(command: String, arguments: [String], summary: String) -> AuditEntry {
    AuditEntry(at: Timestamp.now(), operator: operatorName, command: command,
      arguments: arguments.joined(separator: " "), summary: summary)
  }

  /// Prints a line on standard output.
  public func say(_ text: String) { print(text) }

  /// A progress reporter on standard error (silent with --quiet).
  public func progress(_ label: String, total: Int) -> ProgressReporter {
    ProgressReporter(label: label, total: total, enabled: !quiet)
  }

  /// The account running the process, when $USER is not set (cron jobs, CI, containers).
  static func loginName() -> String? {
    guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return nil }
    return String(cString: name)
  }

  static func environment(_ name: String) -> String? {
    guard let value = getenv(name), value.pointee != 0 else { return nil }
    return String(cString: value)
  }
}
