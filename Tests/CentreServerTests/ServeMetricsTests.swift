import ExamCore
import Foundation
import Testing

@testable import CentreServer

/// `exam serve`'s metrics: every request by route pattern and status, the upload's bytes, the batch and its
/// recordings, as Prometheus text.
@Suite struct ServeMetricsTests {
  @Test func anUploadAndARefusedRequestAreCounted() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    let zip = try f.makeBatchZip("T1", candidates: [1, 2])
    let size = try #require(FileSystem.size(zip))
    let metrics = ServeMetrics()
    try await f.withServer(metrics: metrics) { server in
      let reply = try await HTTP(server: server).send("POST", "/uploads", token: nil, headers: ["Upload-Length": "100"])
      #expect(reply.status == 401)
      let report = try #require(try await f.client(server, centre: "T1").upload(zip: zip, sessionId: "AM").report)
      #expect(report.added.count == 4)
    }
    let text = metrics.text()
    let lines = text.split(separator: "\n").map(String.init)
    func value(_ prefix: String) -> Double? {
      lines.first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
    #expect(value(#"examkit_serve_requests_total{route="/uploads",method="POST",status="401"}"#) == 1, "\(text)")
    #expect(value(#"examkit_serve_requests_total{route="/uploads",method="POST",status="201"}"#) == 1)
    #expect((value(#"examkit_serve_requests_total{route="/uploads/{id}",method="PATCH",status="204"}"#) ?? 0) >= 1)
    #expect(value("examkit_serve_upload_bytes_total") == Double(size))
    #expect(value(#"examkit_serve_batches_total{outcome="ingested"}"#) == 1)
    #expect(value(#"examkit_serve_recordings_total{outcome="added"}"#) == 4)
    #expect(value(#"examkit_serve_recordings_total{outcome="refused"}"#) == 0)
    #expect(value("examkit_serve_ingests_running") == 0)
    #expect(value("examkit_serve_ingest_seconds_count") == 1)
    // the path's id never becomes a label: one series per route pattern
    let uploadRoutes = lines.filter { $0.contains(#"route="/uploads/"#) }
    #expect(!uploadRoutes.isEmpty && uploadRoutes.allSatisfy { $0.contains(#"route="/uploads/{id}"#) })
  }
}
