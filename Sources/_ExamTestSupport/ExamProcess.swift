import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The debug `exam` executable run as a process of its own: the queue workers of the scale-out tests, which must be
/// killed, restarted and run side by side like the workers on many machines.
public enum ExamProcess {
  /// Built by `swift build --build-tests`.
  public static var binary: String { SharedData.repositoryRoot + "/.build/debug/exam" }

  /// Whether worker processes can run here: the PostgreSQL test cluster is there and `exam` is built (a note says
  /// why not).
  public static var canRunWorkers: Bool {
    guard TestPostgres.isAvailable else { return false }
    let built = FileManager.default.isExecutableFile(atPath: binary)
    if !built { print("note: \(binary) is not built; the worker-process tests are skipped (run swift build)") }
    return built
  }

  /// Starts `exam ARGUMENTS`, its standard output and error written to `log`.
  public static func start(_ arguments: [String], log: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    FileManager.default.createFile(atPath: log, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
  }

  /// Waits for `process` to exit (at most `seconds`, then kills it and throws); its exit status.
  public static func wait(_ process: Process, seconds: Double = 600) async throws -> Int32 {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while process.isRunning {
      if ContinuousClock.now > deadline {
        kill(process.processIdentifier, SIGKILL)
        throw TestPostgresError(message: "a worker did not finish within \(seconds) s")
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    return process.terminationStatus
  }
}
