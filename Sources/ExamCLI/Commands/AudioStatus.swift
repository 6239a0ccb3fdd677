import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand.Audio {
  struct Status: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Show the ingest queue: batches left, leases held, each worker's progress and the time left.",
      discussion: """
        For a PostgreSQL store (--db postgres://… or $EXAM_DB) whose centres' batches were queued with
        `exam audio ingest PATH --centre C --enqueue` and are taken in by `exam audio ingest --worker`. Throughput is
        the batches finished over the last minute; the estimate divides the batches left by it. A worker whose
        `seen` keeps growing has stopped renewing its lease (killed, or its machine lost): its batch returns to
        the queue when the lease expires, and another worker takes it again.

        Example:
          exam audio status --db postgres://exam:secret@db1/exam
        """)

    static let storeAccess = StoreAccess.none
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the status as JSON.") var json = false

    func run(_ context: CommandContext) async throws {
      try await ExamCommand.Score.Status.show(
        kind: PostgresStore.ingestKind, things: "batches", did: "taken in", context, json: json)
    }
  }
}
