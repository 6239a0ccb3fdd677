import ArgumentParser
import ExamCore
import ExamStorage
import Foundation

extension ExamCommand.Score {
  struct Status: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Show the scoring queue: work left, leases held, each worker's progress, throughput and time left.",
      discussion: """
        For a PostgreSQL store (--db postgres://… or $EXAM_DB). Throughput is the answers completed over the last
        minute; the estimate divides the work left by it. A worker whose `seen` keeps growing has stopped
        renewing its leases (killed, or its machine lost): its answers return to the queue when the lease expires.

        Example:
          exam score status --db postgres://exam:secret@db1/exam
        """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the status as JSON.") var json = false
    static let storeAccess = StoreAccess.none

    func run(_ context: CommandContext) async throws {
      try await Self.show(kind: PostgresStore.scoringKind, things: "answers", did: "scored", context, json: json)
    }

    /// Prints the status of the queue of `kind` in the PostgreSQL store --db names (`exam score status`,
    /// `exam audio status`).
    static func show(kind: String, things: String, did: String, _ context: CommandContext, json: Bool) async throws {
      let postgres = try await ScoringCLI.postgresStore(context)
      let status: ScoringQueueStatus
      do {
        status = try await postgres.queueStatus(kind: kind)
        await postgres.close()
      } catch {
        await postgres.close()
        throw error
      }
      print(json ? JSONOutput.string(status) : render(status, things: things, did: did))
    }

    /// The status of a queue of `things` (answers, batches) that workers `did` (scored, took in).
    static func render(_ s: ScoringQueueStatus, things: String = "answers", did: String = "scored") -> String {
      var lines = [
        "\(things): \(s.done) of \(s.total) \(did), \(s.ready) waiting, \(s.leased) leased"
          + " (\(s.expiredLeases) expired), \(s.retried) claimed more than once"
      ]
      let eta =
        s.etaSeconds.map { " — about \(duration($0)) left" }
        ?? (s.done < s.total ? " — no worker is completing \(things)" : "")
      lines.append(String(format: "throughput: %.2f \(things)/s over the last minute", s.answersPerSecond) + eta)
      lines.append("workers:")
      for w in s.workers {
        lines.append(
          "  \(w.id)  \(w.stopped ? "stopped" : "running")  release \(w.release)  \(w.completed) done"
            + "  \(w.leasesHeld) lease(s)  seen \(Int(w.secondsSinceSeen.rounded())) s ago")
      }
      if s.workers.isEmpty { lines.append("  (none has started)") }
      return lines.joined(separator: "\n")
    }

    /// `2 h 05 min`, `4 min 10 s`, `12 s`.
    static func duration(_ seconds: Double) -> String {
      let total = Int(seconds.rounded())
      if total >= 3600 { return "\(total / 3600) h \(String(format: "%02d", total % 3600 / 60)) min" }
      if total >= 60 { return "\(total / 60) min \(total % 60) s" }
      return "\(total) s"
    }
  }
}
