import ExamCore
import ExamStorage
import Foundation
import Ingest
import Signing
import Testing
import _ExamTestSupport

@testable import CentreServer

@Suite("CentreServer: status and what is owed", .serialized)
struct StatusTests {
  @Test(arguments: TestBackend.all) func theOfficeSeesExpectedReceivedRefusedAndMissingPerCentreAndSession(
    backend: TestBackend
  ) async throws {
    try await ServerFixture.on(backend) { f in
      // C1 and C2 answer both spoken items; C3's second file is not audio
      let zip = try f.makeBatchZip("T1", candidates: [1, 2]) { folder in
        try AtomicFile.write(text: "not audio", to: folder + "/C3-SA1.wav")
        let manifest = try String(contentsOfFile: folder + "/manifest.csv", encoding: .utf8)
        try AtomicFile.write(
          text: manifest + "C3,SA1,C3-SA1.wav,,2026-06-14T09:05:00+08:00,\(Digest.sha256(text: "not audio"))\n",
          to: folder + "/manifest.csv")
      }
      try await f.withServer { server in
        let outcome = try await f.client(server, centre: "T1").upload(zip: zip)
        #expect(outcome.report?.refused["not-audio"]?.count == 1)
        let http = HTTP(server: server)
        let json = try await http.send("GET", "/status.json", token: f.tokens["office"], tus: false)
        #expect(json.status == 200)
        let board = try JSONDecoder().decode(StatusBoard.Snapshot.self, from: Data(json.body.utf8))
        let t1 = try #require(board.rows.first { $0.centre == "T1" && $0.session == "AM" })
        #expect(
          t1.expected == 4 * 3 && t1.received == 4 && t1.refused == 1 && t1.missing == 8 && t1.lastUploadAt != nil)
        let t2 = try #require(board.rows.first { $0.centre == "T2" })
        #expect(t2.expected == 3 && t2.received == 0 && t2.missing == 3 && t2.lastUploadAt == nil)

        let basic = "Basic " + Data("office:\(f.tokens["office"]!)".utf8).base64EncodedString()
        let page = try await http.send("GET", "/status", token: nil, headers: ["Authorization": basic], tus: false)
        #expect(page.status == 200 && page.body.contains("http-equiv=\"refresh\"") && page.body.contains("<td>T1</td>"))
        // without a token the browser is asked for one (Basic: the token is the password); URLSession on Linux
        // stalls on a Basic challenge, so this request goes over a bare connection
        let raw = try RawConnection(port: server.port!)
        raw.send("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let challenge = try await raw.readUntilClosed(seconds: 15).text.lowercased()
        #expect(
          challenge.hasPrefix("http/1.1 401") && challenge.contains("www-authenticate: basic realm=\"exam office\""),
          "\(challenge)")

        // what T1 still owes: every item of C3 and C4 (C1 and C2 answered SA1 and SA2 but no listening item)
        let owed = try await http.send("GET", "/expected", token: f.tokens["T1"], tus: false)
        let lines = try JSONDecoder().decode([ExpectedAnswer].self, from: Data(owed.body.utf8))
        #expect(lines.count == 8 && lines.allSatisfy { $0.centre == "T1" && $0.received == false })
        #expect(Set(lines.filter { $0.candidate == "C1" }.map(\.item)) == ["LA1"])
        let all = try await http.send("GET", "/expected?all=1", token: f.tokens["T1"], tus: false)
        #expect(try JSONDecoder().decode([ExpectedAnswer].self, from: Data(all.body.utf8)).count == 12)
      }
    }
  }

  @Test func everyValueOnTheStatusPageIsEscaped() {
    let row = StatusBoard.Row(
      centre: "<script>alert(1)</script>", session: "A&M", expected: 1, received: 0, refused: 0, missing: 1,
      uploadsInFlight: 0, lastUploadAt: "\"><img>")
    let html = StatusPage.html(StatusBoard.Snapshot(examId: "E<1>", at: "now", rows: [row], totals: .init()))
    #expect(!html.contains("<script>alert") && !html.contains("<img>") && !html.contains("E<1>"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains("A&amp;M"))
  }
}
