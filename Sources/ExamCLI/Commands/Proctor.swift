import ArgumentParser

extension ExamCommand {
  /// `exam proctor …`: incidents from seat-machine logs and recordings, decisions, and the report.
  struct Proctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Smart proctoring: incidents from seat-machine event logs and from the recordings.",
      discussion: """
        Workflow (the log format is docs/schemas/seat-event.schema.json):
          exam proctor ingest --exam SH-2026-EL logs/*.jsonl
          exam proctor scan --exam SH-2026-EL
          exam proctor incidents --open
          exam proctor resolve 12 --action confirm --reason "seen on camera"
          exam proctor report --exam SH-2026-EL --format html --out report/
        """,
      subcommands: [
        ProctorIngest.self, ProctorScan.self, ProctorIncidents.self, ProctorResolve.self, ProctorReport.self,
      ])
  }
}
