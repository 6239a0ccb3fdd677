import ExamCore
import Foundation
import GRDB

/// The exam store: the only type in ExamKit that sees SQL.
///
/// Wraps a GRDB writer (a `DatabasePool` in WAL mode for files, a `DatabaseQueue` in memory for tests),
/// migrates it on open, and exposes intention-named methods, grouped by capability in
/// `ExamDatabase+<Capability>.swift`. Every method that changes several rows does so in one transaction.
/// A PostgreSQL backend would re-implement these methods; no other module writes SQL.
public struct ExamDatabase: Sendable {
  let writer: any DatabaseWriter
  /// The file the store lives in, or nil in memory.
  public let path: String?
  /// Exam definitions decoded already (`exam(id:)`), shared by the copies of this handle.
  let examCache = ExamDefinitionCache()

  /// Opens (creating if needed) the store at `path` and brings its schema up to date.
  /// - Throws: `ExamError.io` when the file cannot be opened or is not an exam store.
  public init(path: String) throws(ExamError) {
    do {
      var configuration = Configuration()
      configuration.foreignKeysEnabled = true
      configuration.busyMode = .timeout(30)
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      let pool = try DatabasePool(path: path, configuration: configuration)
      try self.init(pool, path: path)
    } catch let error as ExamError {
      throw error
    } catch {
      throw ExamError(
        .io, file: path, "cannot open the exam store",
        fix: "check that the path is writable and is an ExamKit database (or choose another with --db)",
        underlying: "\(error)")
    }
  }

  /// Wraps an existing writer (tests pass `DatabaseQueue()` for an in-memory store) and migrates it.
  public init(_ writer: any DatabaseWriter, path: String? = nil) throws {
    self.writer = writer
    self.path = path
    try Schema.migrator.migrate(writer)
  }

  /// An empty in-memory store, for tests and dry runs.
  public static func inMemory() throws -> ExamDatabase {
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    return try ExamDatabase(DatabaseQueue(configuration: configuration))
  }

  /// The folder beside the database that holds content-addressed files (`store/`).
  public var contentStoreDirectory: String? {
    guard let path else { return nil }
    return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("store").path
  }

  /// Names of the migrations applied, oldest first.
  public func appliedMigrations() throws -> [String] {
    try writer.read { db in try Schema.migrator.appliedMigrations(db) }
  }

  /// Runs `body` in one write transaction; for capability files of this module only.
  func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
    try writer.write(body)
  }

  func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
    try writer.read(body)
  }

  /// Runs `body` on a reader without a transaction around it: each SELECT is one consistent read of its own (SQLite
  /// runs a lone statement in its own implicit transaction), so `body` must not rely on two statements agreeing. For
  /// the hot one-statement reads of the marking desk, where the BEGIN/COMMIT of `read` cost more than the query.
  func readOne<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
    try writer.unsafeRead(body)
  }

  /// The first row of `sql`, from the connection's statement cache (prepared, and checked by GRDB's authorizer, once
  /// per connection instead of once per call).
  static func cachedRow(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Row? {
    try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
  }

  /// Every row of `sql`, from the connection's statement cache.
  static func cachedRows(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [Row] {
    try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
  }
}
