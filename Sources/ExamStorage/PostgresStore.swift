import ExamCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL store of a scale-out sitting (docs/scale-out.md): the scoring work queue and what scoring needs
/// (exams, recordings, models, machine scores and marks), shared by workers on many machines.
///
/// Wraps postgres-nio's pooled `PostgresClient`. Every operation retries with back-off while the server is
/// unreachable (a restart, a fail-over), up to `retryLimitSeconds`; every write is one transaction and idempotent,
/// so a retry after a lost reply changes nothing. Like `ExamDatabase`, it is the only place that sees this SQL.
public final class PostgresStore: Sendable {
  let client: PostgresClient
  private let runTask: Task<Void, Never>
  let logger: Logger
  /// The URL without its password, for messages.
  public let redactedURL: String
  /// How long an operation keeps retrying while the server is unreachable.
  public let retryLimitSeconds: Double
  /// How long one attempt of an operation may wait for its reply before it is dropped and retried.
  public let callTimeoutSeconds: Double
  private let retries = Atomic<Int>(0)
  /// Exam definitions decoded once and kept while their row's pack digest and import time stay the same.
  let examCache = ExamDefinitionCache()
  /// Attempts retried so far (lost connections, restarts, calls past their deadline), for metrics.
  public var retriesSoFar: Int { retries.load(ordering: .relaxed) }

  /// Whether `location` (a `--db` value) names a PostgreSQL store rather than a SQLite file.
  public static func isPostgresURL(_ location: String) -> Bool {
    location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
  }

  /// Connects to the store at `url` and checks its schema.
  /// - Parameter migrate: bring the schema up to date (`exam db migrate`) instead of refusing an older one.
  /// - Throws: `ExamError` for a malformed URL (`.usage`), an unreachable server or a refused login (`.io`),
  ///   and a database without the ExamKit schema, of an older schema, or of a newer release (`.state`).
  public static func connect(
    url: String, migrate: Bool = false, retryLimitSeconds: Double = 120, callTimeoutSeconds: Double = 60,
    maximumConnections: Int = 8, waitForServerSeconds: Double = 0
  ) async throws(ExamError) -> PostgresStore {
    let store = try await open(
      url: url, retryLimitSeconds: retryLimitSeconds, callTimeoutSeconds: callTimeoutSeconds,
      maximumConnections: maximumConnections, waitForServerSeconds: waitForServerSeconds)
    do {
      if migrate {
        try await store.migrate()
      } else {
        try await store.checkSchema()
      }
    } catch {
      await store.close()
      throw error
    }
    return store
  }

  /// Connects without looking at the schema (`connect`, and tests of the migrations themselves).
  static func open(
    url: String, retryLimitSeconds: Double = 120, callTimeoutSeconds: Double = 60, maximumConnections: Int = 8,
    waitForServerSeconds: Double = 0
  ) async throws(ExamError) -> PostgresStore {
    let target = try PostgresURL(url)
    // One plain connection first, so a wrong URL or password is a clear error instead of a pool that retries;
    // a worker waits up to `waitForServerSeconds` for a server that is restarting or not answering yet.
    try await target.probe(waitSeconds: waitForServerSeconds)
    var configuration = target.clientConfiguration
    configuration.options.maximumConnections = maximumConnections
    configuration.options.connectTimeout = .seconds(10)
    let store = PostgresStore(
      client: PostgresClient(configuration: configuration, backgroundLogger: Self.quietLogger),
      redactedURL: target.redacted, retryLimitSeconds: retryLimitSeconds, callTimeoutSeconds: callTimeoutSeconds)
    return store
  }

  init(client: PostgresClient, redactedURL: String, retryLimitSeconds: Double, callTimeoutSeconds: Double) {
    self.client = client
    self.redactedURL = redactedURL
    self.retryLimitSeconds = retryLimitSeconds
    self.callTimeoutSeconds = callTimeoutSeconds
    logger = Self.quietLogger
    runTask = Task { await client.run() }
  }

  /// Closes the pool (after the operations in flight).
  public func close() async {
    runTask.cancel()
    await runTask.value
  }

  static let quietLogger = Logger(label: "examkit.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

  // MARK: - Retries

  /// Runs `body`, retrying with exponential back-off (0.1 s doubling to 5 s) while the failure is the server
  /// being unreachable or restarting, or an attempt had no reply within `timeoutSeconds` (default
  /// `callTimeoutSeconds`; `.infinity` for none); other errors, and the limit, end it with an `ExamError`.
  func retrying<T: Sendable>(
    _ what: String, timeoutSeconds: Double? = nil, _ body: @escaping @Sendable () async throws -> T
  ) async throws(ExamError) -> T {
    let attemptSeconds = timeoutSeconds ?? callTimeoutSeconds
    return try await Self.withBackoff(
      what, limitSeconds: retryLimitSeconds, firstDelaySeconds: 0.1, isRetryable: Self.isTransient,
      note: { error in
        self.retries.add(1, ordering: .relaxed)
        return Self.summary(error)
      }, failure: { Self.examError($0, while: what, url: redactedURL) }
    ) {
      do {
        return try await Self.withDeadline(seconds: attemptSeconds, body)
      } catch let error as PostgresTransactionError where error.closureError is ExamError {
        throw error.closureError as! ExamError  // a guard inside the transaction (rolled back)
      }
    }
  }

  /// The one back-off loop of the PostgreSQL store: runs `body` until it succeeds, waiting `firstDelaySeconds`,
  /// doubling to 5 s, while `isRetryable` says so and `limitSeconds` have not passed (each retry printed with
  /// `note`). An `ExamError` from `body` ends it as it is; any other failure through `failure`.
  static func withBackoff<T>(
    _ what: String, limitSeconds: Double, firstDelaySeconds: Double, isRetryable: (any Error) -> Bool,
    note: (any Error) -> String, failure: (any Error) -> ExamError, _ body: () async throws -> T
  ) async throws(ExamError) -> T {
    let deadline = ContinuousClock.now + .milliseconds(Int(limitSeconds * 1000))
    var delaySeconds = firstDelaySeconds
    while true {
      do {
        return try await body()
      } catch let error as ExamError {
        throw error
      } catch {
        guard isRetryable(error), ContinuousClock.now < deadline else { throw failure(error) }
        ProgressReporter.writeError("postgres: \(what): \(note(error)); retrying in \(delaySeconds) s\n")
        try? await Task.sleep(for: .milliseconds(Int(delaySeconds * 1000)))
        if Task.isCancelled { throw ExamError(.state, "\(what) was cancelled") }
        delaySeconds = min(delaySeconds * 2, 5)
      }
    }
  }

  /// Whether `error` means "the server is (momentarily) not there": worth retrying.
  static func isTransient(_ error: any Error) -> Bool {
    if error is CallTimedOut { return true }
    if let t = error as? PostgresTransactionError {
      let inner: (any Error)? = t.beginError ?? t.commitError ?? t.closureError
      return inner.map(isTransient) ?? false
    }
    if let p = error as? PSQLError {
      switch p.code {
      case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
        return true
      case .server:
        let state = p.serverInfo?[.sqlState] ?? ""
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08… connection exceptions,
        // 40001 serialization failure, 40P01 deadlock, 53300 too many connections.
        return ["57P01", "57P02", "57P03", "40001", "40P01", "53300"].contains(state) || state.hasPrefix("08")
      default:
        return false
      }
    }
    let typeName = String(reflecting: type(of: error))
    return typeName.contains("ConnectionPoolError") || typeName.contains("ChannelError") || typeName.contains("IOError")
      || typeName.contains("NIOConnectionError")
  }

  /// A one-line description of a postgres-nio error (its server message when there is one).
  static func summary(_ error: any Error) -> String {
    if let t = error as? PostgresTransactionError, let inner = t.beginError ?? t.closureError ?? t.commitError {
      return summary(inner)
    }
    if let p = error as? PSQLError {
      if let message = p.serverInfo?[.message] {
        return "\(message) (SQLSTATE \(p.serverInfo?[.sqlState] ?? "?"))"
      }
      return "\(p.code)" + (p.underlying.map { ": \($0)" } ?? "")
    }
    return "\(error)"
  }

  static func examError(_ error: any Error, while what: String, url: String) -> ExamError {
    if isTransient(error) {
      return ExamError(
        .io, file: url, "lost the PostgreSQL server while trying to \(what)",
        fix:
          "check that the server runs (`pg_isready -d URL`) and is reachable from this machine; then run the command again",
        underlying: summary(error))
    }
    return ExamError(.state, file: url, "PostgreSQL refused to \(what)", underlying: summary(error))
  }
}
