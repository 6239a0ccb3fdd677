import ArgumentParser

extension ExamCommand {
  /// `exam proctor …`: incidents from seat-machine logs and recordings, decisions, and the report.
  struct Proctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Smart proctoring: incidents from seat-machine event logs and from the recordings.",
      discussion: """
        Workflow:
          exam proctor ingest --exam SH-2026-EL logs/*.jsonl   # store events, raise event incidents
          exam proctor scan --exam SH-2026-EL                  # analyse recordings, raise recording incidents
          exam proctor incidents --open                        # review
          exam proctor resolve 12 --action confirm --reason "seen on camera"
          exam proctor report --exam SH-2026-EL --format html --out report/
        The log format is docs/schemas/seat-event.schema.json.
        """,
      subcommands: [ProctorIngest.self, ProctorScan.self, ProctorIncidents.self, ProctorResolve.self, ProctorReport.self])
  }
}
