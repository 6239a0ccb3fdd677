import ArgumentParser
import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The root of the `exam` command tree. It only lists subcommands; each lives in `Commands/<Verb>.swift`.
public struct ExamCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "exam",
    abstract: "Run a computer-based English listening and speaking test, from exam packs to admission records.",
    discussion: """
      The store is a SQLite file: --db PATH, else $EXAM_DB, else ./exam.sqlite. Start with `exam init`.

      Exit codes: 0 success, 64 usage error, 65 bad input data, 1 other failure.
      Errors are printed as `error: <file>:<where>: <what> — <how to fix>`.
      """,
    subcommands: [
      Init.self, Keys.self, Pack.self, Candidates.self, Centres.self, Allocate.self, Audio.self, Score.self,
      Marking.self, Results.self, Proctor.self, RecordsCommand.self, Audit.self, Serve.self, Upload.self, Raters.self,
      Db.self,
    ])

  public init() {}

  /// Parses the process arguments, runs the command, and maps errors to messages and exit codes.
  public static func runAsMain(_ arguments: [String]? = nil) async {
    var failure: (any Error)?
    do {
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      failure = error
    }
    // A signal's handler may have taken a folder away under the command: its exit status and message stand.
    InterruptCleanup.yieldToInterrupt()
    switch failure {
    case nil:
      return
    case let error as ExamError:
      ProgressReporter.writeError("error: \(error)\n")
      Self.exit(withError: ExitCode(error.exitCode))
    case let errors as ExamErrors:
      for error in errors.errors { ProgressReporter.writeError("error: \(error)\n") }
      ProgressReporter.writeError("\(errors.errors.count) error(s); nothing was changed.\n")
      Self.exit(withError: ExitCode(errors.exitCode))
    case let error?:
      exit(withError: error)
    }
  }
}
