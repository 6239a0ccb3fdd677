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
        store) with their reason. Silent, clipped and zero-run recordings are accepted but flagged. Running the same batch again adds nothing; a different recording for the same
        candidate and item is kept as a new version. Safe to interrupt: re-run the same command.

        Exit codes: 0 all accepted, 65 something was refused (see the report), 64/1 as usual.

        On a PostgreSQL store (--db postgres://…), centres' batches on the shared disk can be taken in by many
        machines at once: --enqueue puts PATH on the queue instead of taking it in here, and --worker takes queued
        batches in one after the other (a batch whose worker died is taken again by another once its lease
        expires, and adds only what was not stored). A finished batch queues the scoring of its answers for
        `exam score run --worker` in the same transaction.

        Example:
          exam audio ingest uploads/T01-AM.zip --centre T01 --session AM
          exam audio ingest uploads/T02/ --centre T02 --json > T02.report.json
          exam audio ingest /mnt/exam/batches/T03-AM.zip --centre T03 --session AM --enqueue --db postgres://…
          exam audio ingest --worker --store /mnt/exam/store --db postgres://…
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The batch folder or .zip (not with --worker).") var path: String?
    @Option(help: "Centre the batch comes from (candidates must be allocated there).") var centre: String?
    @Option(help: "Session the batch belongs to (candidates must sit in it).") var session: String?
    @Option(help: "Exam id (default: the only exam in the store).") var exam: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Files converted at once (default: number of CPUs).") var jobs: Int?
    @Option(help: .hidden) var commitEvery: Int = 256
    @Option(help: .hidden) var killAfterCommits: Int?

    @Flag(help: "Put the batch on the PostgreSQL queue for `--worker`s instead of taking it in here.")
    var enqueue = false
    @Flag(help: "Take queued batches in from the PostgreSQL queue given by --db (one of many workers).")
    var worker = false
    @Flag(help: "With --worker: exit when no queued batch is left instead of waiting for more.")
    var untilEmpty = false
    @Option(help: "With --worker: seconds a claimed batch stays this worker's without a heartbeat (default 300).")
    var leaseSeconds = 300.0

    func validate() throws {
      if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1 (got \(jobs)).") }
      if worker {
        if enqueue { throw ValidationError("'--worker' and '--enqueue' are two different runs; give one.") }
        if path != nil || centre != nil || session != nil || exam != nil {
          throw ValidationError(
            "'--worker' takes the batches, with their centre and session, from the queue; leave out PATH, '--centre',"
              + " '--session' and '--exam'.")
        }
        if !(leaseSeconds >= 10) {
          throw ValidationError("'--lease-seconds' must be at least 10 (got \(leaseSeconds)).")
        }
      } else {
        if path == nil { throw ValidationError("Missing expected argument '<path>' (or give '--worker').") }
        if centre == nil { throw ValidationError("Missing expected argument '--centre <centre>'.") }
      }
    }

    var auditArguments: [String] {
      (path.map { [$0] } ?? []) + (centre.map { ["--centre", $0] } ?? []) + (session.map { ["--session", $0] } ?? [])
        + (exam.map { ["--exam", $0] } ?? []) + (enqueue ? ["--enqueue"] : []) + (worker ? ["--worker"] : [])
    }

    func run(_ context: CommandContext) async throws {
      if enqueue || worker {
        guard let postgres = context.postgresStore else {
          throw ExamError(
            .usage, location: enqueue ? "--enqueue" : "--worker", "the ingest queue is in a PostgreSQL store",
            fix: "give --db postgres://… (docs/scale-out.md), or leave the flag out to take the batch in here")
        }
        if worker { return try await runWorker(context, postgres) }
        let path = URL(fileURLWithPath: self.path!).standardizedFileURL.path
        let added = try await postgres.enqueueIngest(
          [IngestJob(path: path, centreId: centre!, sessionId: session, examId: exam)],
          audit: context.audit("batch \(path) of centre \(centre!) queued for ingest"))
        context.say(added == 0 ? "\(path) is on the queue already" : "queued \(path) for the ingest workers")
        return
      }
      let database = context.answerStore
      var request = IngestRequest(
        path: path!, centreId: centre!, sessionId: session, examId: exam, jobs: jobs ?? ProcessInfoCPU.count,
        store: context.contentStore, quarantineRoot: context.quarantineDirectory, commitEvery: commitEvery,
        showProgress: !context.quiet && !json, operatorName: context.operatorName, arguments: context.arguments)
      request.account = context.account
      request.killAfterCommitted = killAfterCommits
      let report = try await AudioIngester(database: database).ingest(request)
      context.say(json ? report.json : report.text)
      if report.refusedCount > 0 { throw ExitCode(65) }
    }

    func runWorker(_ context: CommandContext, _ postgres: PostgresStore) async throws {
      let store = context.contentStore
      guard access(store.root, F_OK) == 0 else {
        throw ExamError(
          .notFound, file: store.root, "the shared content store is not here",
          fix: "mount the shared store/ folder on this machine and pass it with --store (docs/scale-out.md)")
      }
      var runner = QueueIngestWorker(
        store: postgres, contentStore: store, quarantineRoot: context.quarantineDirectory,
        jobs: jobs ?? ProcessInfoCPU.count)
      runner.leaseSeconds = leaseSeconds
      runner.untilEmpty = untilEmpty
      runner.commitEvery = commitEvery
      runner.killAfterCommitted = killAfterCommits
      runner.operatorName = context.operatorName
      runner.account = context.account
      let signals = WorkerOptions.stopOnSignals(runner.stopFlag)
      defer { signals.forEach { $0.cancel() } }
      let quiet = context.quiet || json
      if !quiet { ProgressReporter.writeError("ingest worker \(runner.worker.id) started\n") }
      let summary = try await runner.run { outcome, _ in
        guard !quiet else { return }
        switch outcome {
        case .ingested(let batch, let report, let queued):
          ProgressReporter.writeError(
            "\(batch.path) (centre \(batch.centreId)): \(report.added.count) added, \(report.alreadyStored.count) already"
              + " stored, \(report.refusedCount) refused; \(queued) answers queued for scoring\n")
        case .refused(let batch, let error):
          ProgressReporter.writeError("\(batch.path) (centre \(batch.centreId)) refused: \(error)\n")
        }
      }
      if json {
        print(JSONOutput.string(summary))
      } else {
        context.say(
          "worker \(summary.worker): \(summary.batches) batches (\(summary.batchesRefused) refused as a whole),"
            + " \(summary.recordingsAdded) recordings added, \(summary.alreadyStored) already stored,"
            + " \(summary.filesRefused) files refused; \(summary.scoringQueued) answers queued for scoring"
            + (summary.leasesReturned > 0 ? "; \(summary.leasesReturned) lease(s) given back" : ""))
      }
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
