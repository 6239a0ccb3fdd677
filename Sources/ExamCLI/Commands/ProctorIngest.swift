import ArgumentParser
import ExamCore
import ExamStorage
import Proctoring

extension ExamCommand {
  struct ProctorIngest: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "ingest",
      abstract: "Store seat-machine event logs (JSON Lines) and raise incidents from them.",
      discussion: """
        Bad lines are reported (file, line, why) and skipped; the rest is kept. An event is identified by
        (exam, machine, seq), so ingesting the same log twice adds nothing. After storing, the event rules
        run over the rooms in these logs (wrong seat, machine down, timing, identity, mic check) unless
        --no-rules; `exam proctor scan --events` re-runs them over every room (a candidate seen on two seats
        in different rooms' logs ingested separately is found there).
        Exits 65 when any line was bad (the good lines are stored) or a log holds no events at all.

        Example:
          exam proctor ingest --exam SH-2026-EL logs/T01-R01.jsonl logs/T01-R02.jsonl
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam the logs belong to.") var exam: String
    @Flag(help: "Only store the events; do not evaluate the rules.") var noRules = false
    @Flag(help: "Print the summary as JSON.") var json = false
    @Argument(help: "Event logs (JSON Lines).") var logs: [String] = []

    func validate() throws {
      guard !logs.isEmpty else { throw ValidationError("Give at least one event log to ingest.") }
    }

    var auditArguments: [String] { ["--exam", exam] + logs }

    func run(_ context: CommandContext) async throws {
      let store = context.proctoringStore
      _ = try await store.requireExam(id: exam)
      let total = logs.reduce(0) { $0 + (FileSystem.size($1) ?? 0) }
      let progress = ProgressTracker(label: "events", enabled: !context.quiet)
      let ingester = EventLogIngester(store: store, examId: exam)
      let summary = try await ingester.ingest(
        paths: logs,
        audit: { s in
          context.audit("\(s.parsed) events read from \(s.files) log(s), \(s.lines - s.parsed) bad line(s)")
        }, progress: { bytes in progress.update(completed: bytes, total: total) })
      var scan: ProctorScanner.Outcome?
      if !noRules {
        let scanner = ProctorScanner(store: store, examId: exam)
        scan = try await scanner.scanEvents(
          rooms: summary.rooms, raisedBy: context.operatorName,
          audit: context.audit("event rules raised new incidents", arguments: ["--exam", exam]))
      }
      if json {
        print(
          JSONOutput.string(
            ProctorIngestReport(summary: summary, incidentsFound: scan?.found, incidentsAdded: scan?.added.count)))
      } else {
        for bad in summary.badLines { ProgressReporter.writeError("warning: \(bad)\n") }
        context.say(
          "\(summary.parsed) events read from \(summary.files) log(s) in \(proctorDecimal(summary.seconds)) s: \(summary.added) new, \(summary.parsed - summary.added) already stored, \(summary.lines - summary.parsed) bad line(s) skipped"
        )
        if let scan {
          context.say(
            "event rules: \(scan.found) finding(s) in \(scan.roomsScanned) room(s), \(scan.added.count) new incident(s)"
          )
        }
      }
      if summary.lines > summary.parsed || summary.emptyLogs > 0 { throw ExitCode(65) }
    }
  }

  struct ProctorIngestReport: Encodable {
    var files: Int, lines: Int, parsed: Int, added: Int, badLines: [String], seconds: Double
    var incidentsFound: Int?, incidentsAdded: Int?
    init(summary: EventIngestSummary, incidentsFound: Int?, incidentsAdded: Int?) {
      (files, lines, parsed, added, seconds) = (
        summary.files, summary.lines, summary.parsed, summary.added, summary.seconds
      )
      badLines = summary.badLines.map(\.description)
      self.incidentsFound = incidentsFound
      self.incidentsAdded = incidentsAdded
    }
  }
}

/// One decimal place, for proctoring messages.
func proctorDecimal(_ value: Double) -> String {
  let tenths = Int((value * 10).rounded())
  return "\(tenths / 10).\(abs(tenths % 10))"
}
