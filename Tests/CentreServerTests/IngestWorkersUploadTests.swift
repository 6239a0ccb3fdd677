import ExamCore
import ExamStorage
import Foundation
import Ingest
import Testing
import _ExamTestSupport

@testable import CentreServer

/// `exam serve --ingest-workers` on PostgreSQL: a finished upload goes to the ingest workers' queue, a worker (here
/// in the test's process, as `exam audio ingest --worker` runs it) takes it in, and the centre gets its report from
/// the server as if the server had ingested it.
@Suite("CentreServer: uploads ingested by the queue's workers", .serialized)
struct IngestWorkersUploadTests {
  @Test(.enabled(if: TestPostgres.isAvailable)) func aFinishedUploadIsIngestedByAWorkerAndReportedToTheCentre()
    async throws
  {
    try await ServerFixture.on(.postgres) { f in
      let postgres = try #require(f.serverStore as? PostgresStore)
      let zip = try f.makeBatchZip("T1", candidates: [1, 2])
      let notZip = f.dir.file("notes.txt")
      try AtomicFile.write(text: "these are not recordings\n", to: notZip)
      try await f.withServer(ingestOnWorkers: true) { server in
        // The server only queues: nothing is ingested until a worker runs.
        var client = f.client(server, centre: "T1")
        client.reportWaitSeconds = 60
        async let outcome = client.upload(zip: zip, sessionId: "AM")
        async let refused = f.client(server, centre: "T1").upload(zip: notZip)
        var queued: [UploadRecord] = []
        for _ in 0..<200 where queued.count < 2 {
          try await Task.sleep(for: .milliseconds(50))
          queued = try await f.serverStore.uploads(centreId: "T1", states: [.ingesting])
        }
        #expect(queued.count == 2)
        #expect(try await f.serverStore.recordings(examId: "E1", currentOnly: true).isEmpty)

        var worker = QueueIngestWorker(
          store: postgres, contentStore: f.store, quarantineRoot: f.dir.file("quarantine"), jobs: 2)
        worker.untilEmpty = true
        let summary = try await worker.run { _, _ in }
        #expect(summary.batches == 2 && summary.recordingsAdded == 4 && summary.batchesRefused == 1)

        let report = try #require(try await outcome.report)
        #expect(report.added.count == 4 && report.centreId == "T1" && report.sessionId == "AM")
        let failed = try await refused
        #expect(failed.status == 422 && failed.json.contains("unsupportedFormat"))
        #expect(!failed.json.contains(f.store.root), "the refusal names the server's path: \(failed.json)")
      }
      let uploads = try await f.serverStore.uploads(centreId: "T1", states: [.done, .failed])
      #expect(uploads.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.done, .failed])
      #expect(try await f.serverStore.recordings(examId: "E1", currentOnly: true).count == 4)
      #expect(f.uploadFiles().isEmpty)
      #expect(
        try await f.serverStore.auditTrail(limit: nil).contains {
          $0.summary.contains("queued for the ingest workers") && $0.operator.hasPrefix("centre T1")
        })
    }
  }
}
