import Crypto
import ExamCore
import ExamStorage
import Foundation
import Ingest
import Testing
import ZIPFoundation
import _ExamTestSupport

@testable import CentreServer

@Suite("CentreServer: uploads into ingest", .serialized)
struct UploadTests {
  @Test(arguments: TestBackend.all) func aFinishedUploadIsIngestedAndTheSameBatchTwiceAddsNothing(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let zip = try f.makeBatchZip("T1", candidates: [1, 2])
      try await f.withServer { server in
        let first = try await f.client(server, centre: "T1").upload(zip: zip, sessionId: "AM")
        #expect(first.status == 200)
        let report = try #require(first.report)
        #expect(
          report.added.count == 4 && report.refusedCount == 0 && report.centreId == "T1" && report.sessionId == "AM")
        let again = try #require(try await f.client(server, centre: "T1").upload(zip: zip, sessionId: "AM").report)
        #expect(again.added.isEmpty && again.alreadyStored.count == 4 && again.ingestedBefore)
        // the report can be fetched again later, by batch id
        let later = try await HTTP(server: server).send(
          "GET", "/batches/\(report.batchId)/report", token: f.tokens["T1"])
        #expect(later.status == 200 && later.body.contains(report.batchId))
        let other = try await HTTP(server: server).send(
          "GET", "/batches/\(report.batchId)/report", token: f.tokens["T2"])
        #expect(other.status == 404)
      }
      #expect(try await f.serverStore.recordings(examId: "E1", currentOnly: true).count == 4)
      #expect(f.uploadFiles().isEmpty)
      let audit = try await f.serverStore.auditTrail(limit: nil)
      #expect(audit.contains { $0.operator.hasPrefix("centre T1") && $0.command == "audio ingest" })
      #expect(audit.contains { $0.operator.hasPrefix("centre T1") && $0.summary.contains("created") })
    }
  }

  @Test(arguments: TestBackend.all) func aCutUploadResumesWithoutSendingAnyByteTwiceBeyondOneChunk(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let zip = try f.makeBatchZip("T1", candidates: [1, 2, 3])
      let size = try #require(FileSystem.size(zip))
      let chunk = 32 << 10
      try await f.withServer { server in
        var first = f.client(server, centre: "T1", chunkBytes: chunk)
        first.stopAfterBytes = Int64(size / 2)
        await #expect(throws: UploadClient.Stopped.self) { _ = try await first.upload(zip: zip) }
        // a connection cut half-way through a chunk: the bytes that arrived are kept (no checksum was asked for)
        let http = HTTP(server: server)
        let state = try #require(try FileManager.default.contentsOfDirectory(atPath: f.dir.file("client-state")).first)
        let stateJSON = try JSONDecoder().decode(
          [String: String].self, from: Data(contentsOf: URL(fileURLWithPath: f.dir.file("client-state/" + state))))
        let path = try #require(URL(string: stateJSON["url"] ?? "")?.path)
        let before = try #require(
          Int(try await http.send("HEAD", path, token: f.tokens["T1"]).header("Upload-Offset") ?? ""))
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: zip)))
        let raw = try RawConnection(port: server.port!)
        raw.send(
          "PATCH \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer \(f.tokens["T1"]!)\r\n"
            + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: \(before)\r\nContent-Length: \(chunk)\r\n\r\n"
        )
        raw.send(Array(bytes[before..<before + chunk / 2]))
        try await Task.sleep(for: .milliseconds(300))
        raw.close()
        var after = before
        for _ in 0..<50 where after == before {
          try await Task.sleep(for: .milliseconds(100))
          after = Int(try await http.send("HEAD", path, token: f.tokens["T1"]).header("Upload-Offset") ?? "") ?? before
        }
        #expect(after == before + chunk / 2)

        let second = try await f.client(server, centre: "T1", chunkBytes: chunk).upload(zip: zip)
        #expect(second.resumedAt == Int64(after))
        #expect(Int(second.bytesSent) == size - after)
        #expect(Int(second.bytesSent) + before <= size + chunk)
        #expect(second.report?.added.count == 6)
      }
      // the stored bytes are the zip's bytes: every recording's original checksum matched the manifest
      #expect(try await f.serverStore.recordings(examId: "E1", currentOnly: true).count == 6)
    }
  }

  @Test(arguments: TestBackend.all) func aWrongOrRevokedTokenGets401AndNothingIsWritten(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let revoked = try await AccessTokens.issue(
        in: f.serverStore, centreId: "T1", label: "lost laptop", operatorName: "test", arguments: [])
      _ = try await f.serverStore.revokeToken(
        id: revoked.token.id, at: Timestamp.now(), by: "test",
        audit: AuditEntry(
          at: Timestamp.now(), operator: "test", command: "centres tokens revoke", arguments: "", summary: "revoked"))
      try await f.withServer { server in
        let http = HTTP(server: server)
        for token in [nil, "exk_" + String(repeating: "0", count: 64), revoked.secret] {
          let reply = try await http.send("POST", "/uploads", token: token, headers: ["Upload-Length": "100"])
          #expect(reply.status == 401)
          #expect(reply.header("WWW-Authenticate") != nil && reply.body.contains("token"))
        }
        // an office token cannot upload, a centre token cannot read the status page
        #expect(
          try await http.send("POST", "/uploads", token: f.tokens["office"], headers: ["Upload-Length": "100"]).status
            == 403)
        #expect(try await http.send("GET", "/status", token: f.tokens["T1"], tus: false).status == 403)
      }
      #expect(
        try await f.serverStore.uploads(centreId: nil, states: [.receiving, .ingesting, .done, .failed, .terminated])
          .isEmpty)
      #expect(f.uploadFiles().isEmpty)
    }
  }

  /// Two servers sharing the upload folder (on PostgreSQL, behind one address): while one writes a chunk of an
  /// upload it holds the file's lock, and the other refuses a PATCH or DELETE of that upload with 409.
  @Test(arguments: TestBackend.all) func aPatchIsRefusedWhileAnotherServerWritesTheUpload(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let bytes = (0..<1000).map { UInt8($0 % 251) }
      try await f.withServer { server in
        let http = HTTP(server: server)
        let path = try await http.create(length: bytes.count, token: f.tokens["T1"]!)
        let id = String(path.split(separator: "/").last ?? "")
        let other = try UploadFile(path: f.store.root + "/.uploads/\(id).upload", create: false)
        #expect(try other.tryLock())  // the other server's PATCH
        let refused = try await http.patch(path, offset: 0, bytes: Array(bytes[0..<600]), token: f.tokens["T1"]!)
        #expect(refused.status == 409 && refused.body.contains("another server"), "\(refused.body)")
        let kept = try await http.send("DELETE", path, token: f.tokens["T1"])
        #expect(kept.status == 409)
        #expect(try await http.send("HEAD", path, token: f.tokens["T1"]).header("Upload-Offset") == "0")
        other.close()
        let sent = try await http.patch(path, offset: 0, bytes: Array(bytes[0..<600]), token: f.tokens["T1"]!)
        #expect(sent.status == 204 && sent.header("Upload-Offset") == "600")
        #expect(try await http.send("DELETE", path, token: f.tokens["T1"]).status == 204)
      }
    }
  }

  @Test(arguments: TestBackend.all) func aChunkWithTheWrongChecksumGets460AndCanBeSentAgain(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let bytes = (0..<1000).map { UInt8($0 % 251) }
      try await f.withServer { server in
        let http = HTTP(server: server)
        let path = try await http.create(length: bytes.count, token: f.tokens["T1"]!)
        let wrong = try await http.patch(
          path, offset: 0, bytes: bytes, token: f.tokens["T1"]!, checksum: [UInt8](repeating: 0, count: 32))
        #expect(wrong.status == 460)
        #expect(try await http.send("HEAD", path, token: f.tokens["T1"]).header("Upload-Offset") == "0")
        let right = try await http.patch(
          path, offset: 0, bytes: Array(bytes[0..<600]), token: f.tokens["T1"]!,
          checksum: Array(SHA256.hash(data: bytes[0..<600])))
        #expect(right.status == 204 && right.header("Upload-Offset") == "600")
        // a chunk at the wrong offset is refused with where the upload stands
        let misplaced = try await http.patch(path, offset: 10, bytes: [1], token: f.tokens["T1"]!)
        #expect(misplaced.status == 409 && misplaced.header("Upload-Offset") == "600")
      }
    }
  }

  @Test func anUploadOverItsLimitGets413BeforeAnythingIsWritten() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    var limits = ServerLimits()
    limits.maximumUploadBytes = 10_000
    limits.centreQuotaBytes = 15_000
    try await f.withServer(limits: limits) { server in
      let http = HTTP(server: server)
      let tooBig = try await http.send("POST", "/uploads", token: f.tokens["T1"], headers: ["Upload-Length": "10001"])
      #expect(tooBig.status == 413 && tooBig.body.contains("limit"))
      #expect(f.uploadFiles().isEmpty)
      let path = try await http.create(length: 9000, token: f.tokens["T1"]!)
      // the centre's quota: 9000 + 9000 bytes unfinished is over 15000
      #expect(
        try await http.send("POST", "/uploads", token: f.tokens["T1"], headers: ["Upload-Length": "9000"]).status == 413
      )
      // another centre has its own quota
      _ = try await http.create(length: 9000, token: f.tokens["T2"]!)
      // bytes past Upload-Length
      let past = try await http.patch(
        path, offset: 0, bytes: [UInt8](repeating: 1, count: 9001), token: f.tokens["T1"]!)
      #expect(past.status == 413)
      #expect(try await http.send("HEAD", path, token: f.tokens["T1"]).header("Upload-Offset") == "0")
    }
  }

  struct MalformedHeader: Sendable, CustomTestStringConvertible {
    var headers: [String: String]
    var status: Int
    var message: String
    var testDescription: String { headers.description }
  }

  @Test(arguments: [
    MalformedHeader(
      headers: ["Upload-Length": "ten"], status: 400,
      message: "Upload-Length must be a non-negative decimal number of bytes (got 'ten')"),
    MalformedHeader(headers: [:], status: 400, message: "Upload-Length is missing; send the size of the zip in bytes"),
    MalformedHeader(
      headers: ["Upload-Length": "5", "Upload-Metadata": "filename %%%"], status: 400,
      message: "Upload-Metadata: the value of 'filename' is not base64-encoded UTF-8 ('%%%')"),
    MalformedHeader(
      headers: ["Upload-Length": "5", "Tus-Resumable": "0.2.2"], status: 412,
      message: "Tus-Resumable '0.2.2' is not supported; use 1.0.0"),
  ])
  func aMalformedTusHeaderGetsAClearMessage(_ c: MalformedHeader) async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    try await f.withServer { server in
      let reply = try await HTTP(server: server).send("POST", "/uploads", token: f.tokens["T1"], headers: c.headers)
      #expect(reply.status == c.status)
      struct Envelope: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
      #expect(try JSONDecoder().decode(Envelope.self, from: Data(reply.body.utf8)).error.message == c.message)
    }
  }

  @Test(arguments: TestBackend.all) func aTokenOfOneCentreCannotSendAnotherCentresBatch(backend: TestBackend)
    async throws
  {
    try await ServerFixture.on(backend) { f in
      let zip = try f.makeBatchZip("T2", candidates: [5])
      try await f.withServer { server in
        let http = HTTP(server: server)
        let claimed = try await http.send(
          "POST", "/uploads", token: f.tokens["T1"],
          headers: ["Upload-Length": "10", "Upload-Metadata": "centre " + Data("T2".utf8).base64EncodedString()])
        #expect(claimed.status == 403)
        // sent without saying whose it is: ingested as T1's, so every row of T2's candidate is refused
        let outcome = try await f.client(server, centre: "T1").upload(zip: zip)
        #expect(outcome.report?.refused["not-allocated"]?.count == 2)
        #expect(outcome.report?.added.isEmpty == true)
        // and T1 cannot see or touch T2's uploads
        let path = try await http.create(length: 10, token: f.tokens["T2"]!)
        #expect(try await http.send("HEAD", path, token: f.tokens["T1"]).status == 404)
        #expect(try await http.send("DELETE", path, token: f.tokens["T1"]).status == 404)
        #expect(try await http.send("DELETE", path, token: f.tokens["T2"]).status == 204)
        #expect(try await http.send("HEAD", path, token: f.tokens["T2"]).status == 404)
      }
      let refusals = try await f.serverStore.auditTrail(limit: nil).filter {
        $0.operator.hasPrefix("centre T1") && $0.summary.hasPrefix("refused")
      }
      #expect(refusals.count >= 3)
      #expect(try await f.serverStore.recordings(examId: "E1", currentOnly: true).isEmpty)
    }
  }

  @Test(arguments: TestBackend.all) func twoCentresUploadAtOnce(backend: TestBackend) async throws {
    try await ServerFixture.on(backend) { f in
      let zips = [
        "T1": try f.makeBatchZip("T1", candidates: [1, 2, 3, 4]), "T2": try f.makeBatchZip("T2", candidates: [5]),
      ]
      let reports = try await f.withServer { server in
        try await withThrowingTaskGroup(of: (String, Int).self) { group in
          for (centre, zip) in zips {
            group.addTask {
              (
                centre,
                try await f.client(server, centre: centre, chunkBytes: 16 << 10).upload(zip: zip).report?.added.count
                  ?? -1
              )
            }
          }
          var added: [String: Int] = [:]
          for try await (centre, count) in group { added[centre] = count }
          return added
        }
      }
      #expect(reports == ["T1": 8, "T2": 2])
      #expect(try await f.serverStore.recordings(examId: "E1", currentOnly: true).count == 10)
    }
  }

  @Test func aZipSlipOverHTTPGetsTheSameRefusalAsTheCommandLine() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    let good = try f.makeBatchZip("T1", candidates: [1])
    let hostile = f.dir.file("batches/hostile.zip")
    try FileManager.default.copyItem(atPath: good, toPath: hostile)
    let archive = try Archive(url: URL(fileURLWithPath: hostile), accessMode: .update)
    let evil = Array("evil".utf8)
    try archive.addEntry(with: "../../evil.sh", type: .file, uncompressedSize: Int64(evil.count)) { _, _ in Data(evil) }
    let overHTTP = try await f.withServer { server in
      try #require(try await f.client(server, centre: "T1").upload(zip: hostile).report)
    }

    let cli = try await ServerFixture()
    defer { cli.dir.remove() }
    let copy = cli.dir.file("hostile.zip")
    try FileManager.default.copyItem(atPath: hostile, toPath: copy)
    let direct = try await AudioIngester(database: cli.database).ingest(
      IngestRequest(
        path: copy, centreId: "T1", store: cli.store,
        quarantineRoot: cli.dir.file("quarantine")))
    #expect(overHTTP.refused.keys.sorted() == ["unsafe-path"])
    #expect(
      overHTTP.refused.mapValues { $0.entries.map(\.file) } == direct.refused.mapValues { $0.entries.map(\.file) })
    #expect(overHTTP.added.count == direct.added.count)
    #expect(
      !FileManager.default.fileExists(atPath: f.dir.file("evil.sh"))
        && !FileManager.default.fileExists(atPath: f.dir.path + "/../evil.sh"))
  }

  @Test(arguments: TestBackend.all) func aBatchThatIsNotAZipIsRefusedAsAWhole(backend: TestBackend) async throws {
    try await ServerFixture.on(backend) { f in
      let notZip = f.dir.file("notes.txt")
      try AtomicFile.write(text: "these are not recordings\n", to: notZip)
      let outcome = try await f.withServer { server in try await f.client(server, centre: "T1").upload(zip: notZip) }
      #expect(outcome.status == 422 && outcome.json.contains("unsupportedFormat"))
      #expect(try await f.serverStore.uploads(centreId: nil, states: [.failed]).count == 1)
    }
  }

  @Test func aClientThatStallsIsCutOff() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    var limits = ServerLimits()
    limits.stallSeconds = 1
    try await f.withServer(limits: limits) { server in
      let path = try await HTTP(server: server).create(length: 100, token: f.tokens["T1"]!)
      let raw = try RawConnection(port: server.port!)
      raw.send(
        "PATCH \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer \(f.tokens["T1"]!)\r\n"
          + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: 100\r\n\r\nx")
      let (_, closed) = try await raw.readUntilClosed(seconds: 6)
      #expect(closed)
      // the one byte that arrived is kept; the upload can go on from there
      var offset: String?
      for _ in 0..<30 where offset != "1" {
        try await Task.sleep(for: .milliseconds(100))
        offset = try await HTTP(server: server).send("HEAD", path, token: f.tokens["T1"]).header("Upload-Offset")
      }
      #expect(offset == "1")
    }
  }
}
