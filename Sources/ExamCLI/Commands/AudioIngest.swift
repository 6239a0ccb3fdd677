import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Ingest

extension ExamCommand.Audio {
  struct AudioIngest: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "ingest",
      abstract: "Ingest a centre's batch of recorded answers exactly once, refusing and quarantining bad files.",
      discussion: """
        PATH is a folder or .zip holding manifest.csv (candidate,item,file,seat,recorded_at,sha256), the audio
        files, and optionally answers.csv (candidate,item,choice,answered_at) with the listening answers.
        Every file is checked (checksum, allocation to this centre/session, item and its answer window, audio
        readable, not truncated, at least 8 kHz), converted to 16 kHz mono 16-bit FLAC, and stored with its
        original bytes in the content store beside the database (with --db postgres://…, the shared one given by
        --store). Refused files are copied to quarantine/<batch>/ beside the database (beside the shared content
        store) with their reason. Silent, clipped and zero-run recordings are
        accepted but flagged. Running the same batch again adds nothing; a different recording for the same
        candidate and item is kept as a new version. Safe to interrupt: re-run the same command.

        Exit codes: 0 all accepted, 65 something was refused (see the report), 64/1 as usual.

        Example:
          exam audio ingest uploads/T01-AM.zip --centre T01 --session AM
          exam audio ingest uploads/T02/ --centre T02 --json > T02.report.json
        """)

    @OptionGroup var global: GlobalOptions
    static let runsOnPostgres = true
    @Argument(help: "The batch folder or .zip.") var path: String
    @Option(help: "Centre the batch comes from (candidates must be allocated there).") var centre: String
    @Option(help: "Session the batch belongs to (candidates must sit in it).") var session: String?
    @Option(help: "Exam id (default: the only exam in the store).") var exam: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Files converted at once (default: number of CPUs).") var jobs: Int?
    @Option(help: .hidden) var commitEvery: Int = 256
    @Option(help: .hidden) var killAfterCommits: Int?

    func validate() throws {
      if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1 (got \(jobs)).") }
    }

    var auditArguments: [String] {
      [path, "--centre", centre] + (session.map { ["--session", $0] } ?? []) + (exam.map { ["--exam", $0] } ?? [])
    }

    func run(_ context: CommandContext) async throws {
      let database = context.answerStore
      var request = IngestRequest(
        path: path, centreId: centre, sessionId: session, examId: exam, jobs: jobs ?? ProcessInfoCPU.count,
        store: context.contentStore, quarantineRoot: context.quarantineDirectory, commitEvery: commitEvery,
        showProgress: !context.quiet && !json, operatorName: context.operatorName, arguments: context.arguments)
      request.account = context.account
      request.killAfterCommitted = killAfterCommits
      let report = try await AudioIngester(database: database).ingest(request)
      context.say(json ? report.json : report.text)
      if report.refusedCount > 0 { throw ExitCode(65) }
    }
  }
}

/// Online processors, for the default number of parallel jobs.
enum ProcessInfoCPU {
  static var count: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

extension CommandContext {
  /// `quarantine/` beside the database (beside the shared content store of a PostgreSQL store): refused files, one
  /// folder per batch.
  var quarantineDirectory: String {
    let beside = PostgresStore.isPostgresURL(databasePath) ? contentStore.root : databasePath
    return AtomicFile.parentOf(beside).isEmpty ? "quarantine" : AtomicFile.parentOf(beside) + "/quarantine"
  }
}
