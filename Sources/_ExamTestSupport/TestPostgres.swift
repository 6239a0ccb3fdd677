import Foundation

/// The throw-away PostgreSQL cluster of the tests (`Tools/pg-cluster start DIR` prints its URL; `.ci/run` exports
/// it as `$EXAM_TEST_POSTGRES_URL`). Tests that need it use `.enabled(if: TestPostgres.isAvailable)`, which prints
/// why they skip; each test works in a database of its own, made and dropped here.
public enum TestPostgres {
  public static let url: String? = ProcessInfo.processInfo.environment["EXAM_TEST_POSTGRES_URL"].flatMap {
    $0.isEmpty ? nil : $0
  }

  public static var isAvailable: Bool {
    if url == nil {
      print(
        "note: EXAM_TEST_POSTGRES_URL is unset; the PostgreSQL tests are skipped"
          + " (start a cluster with `Tools/pg-cluster start DIR` and export the URL it prints)")
    }
    return url != nil
  }

  /// A new empty database on the test cluster; its URL. Drop it with `dropDatabase(_:)`.
  public static func makeDatabase(label: String = "t") throws -> String {
    guard let url else { throw TestPostgresError(message: "EXAM_TEST_POSTGRES_URL is unset") }
    let name = "examkit_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
    try psql(url, "CREATE DATABASE \(name)")
    return replacingDatabase(of: url, with: name)
  }

  public static func dropDatabase(_ databaseURL: String) {
    guard let url, let name = URLComponents(string: databaseURL)?.path.dropFirst() else { return }
    try? psql(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }

  /// `url` with its database (path) replaced.
  public static func replacingDatabase(of url: String, with name: String) -> String {
    var components = URLComponents(string: url)!
    components.path = "/" + name
    return components.string!
  }

  /// Runs one statement with `psql` (the cluster's own client); throws with its output when it fails.
  public static func psql(_ url: String, _ statement: String) throws {
    let output = try run("/usr/bin/psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", statement])
    if output.status != 0 { throw TestPostgresError(message: "psql: \(statement): \(output.text)") }
  }

  /// Runs a program to its end; its exit status and output (stdout and stderr together).
  public static func run(
    _ program: String, _ arguments: [String], environment: [String: String] = [:],
    timeoutSeconds: Double = 120
  ) throws
    -> (status: Int32, text: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    // A file, not a pipe: a server the program starts may keep the pipe open long after the program has exited.
    let log = NSTemporaryDirectory() + "/examkit-run-\(UUID().uuidString).log"
    FileManager.default.createFile(atPath: log, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: log) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    // Polled with a deadline: Foundation's `waitUntilExit` was seen not to return after `pg-cluster start`, whose
    // server outlives it.
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning { process.terminate() }
    try? handle.close()
    return (
      process.isRunning ? -1 : process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    )
  }
}

public struct TestPostgresError: Error, CustomStringConvertible {
  public var message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}
