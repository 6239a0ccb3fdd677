import ExamCore
import Foundation
import Logging
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, parsed once, with the checks that turn a
/// wrong URL, an unreachable server or a refused password into an `ExamError` that says what to fix.
///
/// `?host=/path/to/socket-dir` connects over a unix socket instead; `sslmode` is `disable`, `prefer` (default) or
/// `require`. The password may also come from `$PGPASSWORD`.
struct PostgresURL: Sendable {
  var host: String
  var port: Int
  var socketDirectory: String?
  var user: String
  var password: String?
  var database: String
  var sslMode: String
  let redacted: String

  init(_ text: String) throws(ExamError) {
    let usage = { (why: String) in
      ExamError(
        .usage, location: "--db", "'\(PostgresURL.redact(text))' is not a PostgreSQL URL: \(why)",
        fix: "write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE (e.g. postgres://exam:secret@db1:5432/exam)")
    }
    guard PostgresStore.isPostgresURL(text), let components = URLComponents(string: text) else {
      throw usage("it cannot be parsed")
    }
    let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
    socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
    host = components.host ?? ""
    if host.isEmpty && socketDirectory == nil { throw usage("it names no host") }
    port = components.port ?? Int(query["port"] ?? "") ?? 5432
    user = components.user ?? ""
    if user.isEmpty { throw usage("it names no user") }
    password =
      components.password
      ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
    database = String(components.path.drop(while: { $0 == "/" }))
    if database.isEmpty { throw usage("it names no database") }
    sslMode = query["sslmode"] ?? "prefer"
    guard ["disable", "prefer", "require"].contains(sslMode) else {
      throw usage("sslmode '\(sslMode)' is not one of disable, prefer, require")
    }
    redacted = Self.redact(text)
  }

  /// The URL with its password replaced by `***`.
  static func redact(_ text: String) -> String {
    guard var components = URLComponents(string: text), components.password != nil else { return text }
    components.password = "***"
    return components.string ?? text
  }

  var clientConfiguration: PostgresClient.Configuration {
    if let socketDirectory {
      return .init(
        unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
        database: database)
    }
    let tls: PostgresClient.Configuration.TLS
    switch sslMode {
    case "disable": tls = .disable
    case "require": tls = .require(.makeClientConfiguration())
    default: tls = .prefer(.makeClientConfiguration())
    }
    return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
  }

  /// Opens one connection and closes it: the place where a wrong host, password or database is named.
  /// - Parameter waitSeconds: how long to keep trying while the server is restarting (SQLSTATE 57P03, "starting
  ///   up or shutting down") or not answering at all; 0 fails at once. A worker waits (a database restart must not
  ///   end it); a command at the office does not (a wrong URL is said at once).
  func probe(waitSeconds: Double = 0) async throws(ExamError) {
    try await PostgresStore.withBackoff(
      "connect", limitSeconds: waitSeconds, firstDelaySeconds: 0.2,
      // 57P03: the server is starting up or shutting down; no SQLSTATE: nothing answered (refused, timed out)
      isRetryable: { ["57P03", ""].contains(($0 as? PSQLError)?.serverInfo?[.sqlState] ?? "") },
      note: { explain($0).message }, failure: explain
    ) { try await probeOnce() }
  }

  /// One try: an `ExamError` for a local set-up fault, PostgresNIO's error for anything the server said or did.
  private func probeOnce() async throws {
    var configuration: PostgresConnection.Configuration
    if let socketDirectory {
      configuration = .init(
        unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password,
        database: database)
    } else {
      do {
        let tls: PostgresConnection.Configuration.TLS =
          switch sslMode {
          case "disable": .disable
          case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
          default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
          }
        configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
      } catch {
        throw ExamError(.io, file: redacted, "cannot set up TLS for PostgreSQL", underlying: "\(error)")
      }
    }
    configuration.options.connectTimeout = .seconds(10)
    let connection = try await PostgresConnection.connect(
      on: PostgresConnection.defaultEventLoopGroup.next(), configuration: configuration, id: 0,
      logger: PostgresStore.quietLogger
    ).get()
    try? await connection.close()
  }

  /// The connection failure as an `ExamError` saying which part of the URL to check.
  func explain(_ error: any Error) -> ExamError {
    let detail = PostgresStore.summary(error)
    let state = (error as? PSQLError)?.serverInfo?[.sqlState] ?? ""
    let endpoint = socketDirectory.map { "the unix socket in \($0)" } ?? "\(host):\(port)"
    switch state {
    case "28P01", "28000":
      return ExamError(
        .io, file: redacted, "PostgreSQL refused the password of user '\(user)'",
        fix: "check the user and password in the URL (or $PGPASSWORD)", underlying: detail)
    case "3D000":
      return ExamError(
        .notFound, file: redacted, "there is no database '\(database)' on \(endpoint)",
        fix: "create it (`createdb \(database)`), then run `exam db migrate --db URL`", underlying: detail)
    case "57P03":
      return ExamError(
        .io, file: redacted, "the PostgreSQL server at \(endpoint) is starting up or shutting down",
        fix: "wait a moment and run the command again", underlying: detail)
    case "":
      return ExamError(
        .io, file: redacted, "cannot reach a PostgreSQL server at \(endpoint)",
        fix: "check the host and port in the URL, that the server runs (`pg_isready -h HOST -p PORT`) and that a"
          + " firewall lets this machine through", underlying: detail)
    default:
      return ExamError(.io, file: redacted, "PostgreSQL refused the connection", underlying: detail)
    }
  }
}
