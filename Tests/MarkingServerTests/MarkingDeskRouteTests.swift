import ExamCore
import ExamStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Proctoring
import Scoring
import Testing
import _ExamTestSupport

@testable import MarkingServer

/// The desk's routes through HummingbirdTesting's router framework: marking, blind marking, who may fetch what,
/// CSRF, lock-out, escaping, flags and arbitration.
@Suite struct MarkingDeskRouteTests {
  @Test(arguments: TestBackend.all) func aRaterMarksTheirAnswersOnceEachAndTheStoreKeepsThem(backend: TestBackend)
    async throws
  {
    try await DeskFixture.on(backend) { f in
      let mine = try await f.assigned(to: "R2")
      #expect(!mine.isEmpty)
      try await f.application().test(.router) { client in
        var browser = DeskClient(client)
        #expect(try await browser.login("R2") == .seeOther)
        var marked: [Int64] = []
        while true {
          let page = try await browser.request("/mark")
          #expect(page.status == .ok)
          guard let answer = DeskClient.answerId(in: page.text) else {
            #expect(page.text.contains("Nothing left to mark"))
            break
          }
          #expect(mine.contains(answer))
          let csrf = try #require(DeskClient.csrf(in: page.text))
          let saved = try await browser.request("/mark/\(answer)", method: .post, form: ["csrf": csrf, "points": "3"])
          #expect(saved.status == .seeOther)
          // The same answer again: refused, nothing doubled.
          let again = try await browser.request("/mark/\(answer)", method: .post, form: ["csrf": csrf, "points": "3"])
          #expect(again.status == .conflict)
          marked.append(answer)
        }
        #expect(marked.sorted() == mine.sorted())
      }
      let marks = try await f.database.marks(examId: "E1").filter { $0.raterId == "R2" }
      #expect(marks.count == mine.count && marks.allSatisfy { $0.kind == .human && $0.points == 3 })
      let audit = try await f.database.auditTrail(limit: nil)
      #expect(audit.filter { $0.operator == "rater R2" && $0.command == "serve /mark" }.count >= mine.count)
      #expect(audit.contains { $0.operator == "rater R2" && $0.summary == "logged in" })
    }
  }

  @Test(arguments: TestBackend.all) func blindMarkingShowsNoCandidateNoOtherMarkAndNoMachineMark(backend: TestBackend)
    async throws
  {
    try await DeskFixture.on(backend) { f in
      try await f.application().test(.router) { client in
        var first = DeskClient(client)
        _ = try await first.login("R2")
        let page = try await first.request("/mark")
        let answer = try #require(DeskClient.answerId(in: page.text))
        _ = try await first.request(
          "/mark/\(answer)", method: .post, form: ["csrf": DeskClient.csrf(in: page.text) ?? "", "points": "1.5"])
        // The other rater of the same answer sees it without R2's mark or the machine's.
        let other = try #require(
          try await f.database.assignments(recordingId: answer).first { $0.raterId != "R2" }?.raterId)
        var second = DeskClient(client)
        _ = try await second.login(other)
        let text = try await second.page(offering: answer, markingOthers: "2")
        #expect(DeskClient.answerId(in: text) == answer)
        for hidden in ["1.5", "R2", "machine", "Machine", "open answer", "candidate", "C1", "C2", "S1", "S2"] {
          #expect(!text.contains(hidden), "the marking page shows \(hidden)")
        }
        #expect(text.contains("Talk about &lt;your&gt; school."))
        #expect(text.contains("answers the &lt;question&gt;"))
      }
    }
  }

  @Test(arguments: TestBackend.all) func aRubricThatSaysSoShowsTheMachineMarkButNeverTheOtherRatersMark(
    backend: TestBackend
  ) async throws {
    try await DeskFixture.on(backend, showMachineMark: true) { f in
      try await f.application().test(.router) { client in
        var first = DeskClient(client)
        _ = try await first.login("R2")
        let page = try await first.request("/mark")
        let answer = try #require(DeskClient.answerId(in: page.text))
        #expect(page.text.contains("<strong id=\"machine-mark\">2 of 4 points</strong>"))
        _ = try await first.request(
          "/mark/\(answer)", method: .post, form: ["csrf": DeskClient.csrf(in: page.text) ?? "", "points": "1.5"])
        let other = try #require(
          try await f.database.assignments(recordingId: answer).first { $0.raterId != "R2" }?.raterId)
        var second = DeskClient(client)
        _ = try await second.login(other)
        let text = try await second.page(offering: answer, markingOthers: "2")
        #expect(DeskClient.answerId(in: text) == answer)
        #expect(text.contains("Machine mark") && text.contains("2 of 4 points"))
        for hidden in ["1.5", "R2", "candidate", "C1", "S1"] {
          #expect(!text.contains(hidden), "the marking page shows \(hidden)")
        }
      }
    }
  }

  @Test(arguments: TestBackend.all) func aRaterCannotFetchOrMarkAnAnswerNotGivenToThem(backend: TestBackend)
    async throws
  {
    try await DeskFixture.on(backend) { f in
      let mine = Set(try await f.assigned(to: "R3"))
      let others = try await f.database.recordings(examId: "E1", currentOnly: false).compactMap(\.id).filter {
        !mine.contains($0)
      }
      let notMine = try #require(others.first)
      let own = try #require(mine.first)
      try await f.application().test(.router) { client in
        var browser = DeskClient(client)
        #expect(try await browser.request("/mark/audio/\(own)").status == .unauthorized)  // not logged in
        _ = try await browser.login("R3")
        let page = try await browser.request("/mark")
        let csrf = try #require(DeskClient.csrf(in: page.text))
        #expect(try await browser.request("/mark/audio/\(notMine)").status == .forbidden)
        #expect(
          try await browser.request("/mark/\(notMine)", method: .post, form: ["csrf": csrf, "points": "1"]).status
            == .forbidden)
        #expect(
          try await browser.request("/mark/\(notMine)/flag", method: .post, form: ["csrf": csrf, "reason": "no-sound"])
            .status == .forbidden)
        // Its own audio, whole and by range.
        let whole = try await browser.request("/mark/audio/\(own)")
        #expect(
          whole.status == .ok && whole.headers[.contentType] == "audio/flac" && whole.headers[.acceptRanges] == "bytes")
        let part = try await browser.request("/mark/audio/\(own)", headers: [.range: "bytes=0-99"])
        #expect(part.status == .partialContent)
        #expect(part.headers[.contentRange]?.hasPrefix("bytes 0-99/") == true && part.headers[.contentLength] == "100")
        #expect(
          try await browser.request("/mark/audio/\(own)", headers: [.range: "bytes=99999999-"]).status
            == .rangeNotSatisfiable)
        // A rater may not open the arbitration or office pages.
        #expect(try await browser.request("/arbitrate").status == .forbidden)
        #expect(try await browser.request("/marking.json").status == .forbidden)
      }
      #expect(try await f.database.marks(examId: "E1").filter { $0.kind == .human }.isEmpty)
    }
  }

  @Test(arguments: TestBackend.all) func aPostWithoutTheSessionsCSRFTokenChangesNothing(backend: TestBackend)
    async throws
  {
    try await DeskFixture.on(backend) { f in
      let own = try #require(try await f.assigned(to: "R2").first)
      try await f.application().test(.router) { client in
        var browser = DeskClient(client)
        _ = try await browser.login("R2")
        #expect(try await browser.request("/mark/\(own)", method: .post, form: ["points": "1"]).status == .forbidden)
        #expect(
          try await browser.request(
            "/mark/\(own)", method: .post, form: ["csrf": String(repeating: "0", count: 64), "points": "1"]
          ).status == .forbidden)
        // The login form too needs its token.
        var stranger = DeskClient(client)
        #expect(
          try await stranger.request("/login", method: .post, form: ["rater": "R2", "password": "password-R2"]).status
            == .forbidden)
      }
      #expect(try await f.database.marks(examId: "E1").filter { $0.kind == .human }.isEmpty)
    }
  }

  @Test(arguments: TestBackend.all) func wrongPasswordsLockTheAccountAndThenTheAddress(backend: TestBackend)
    async throws
  {
    try await DeskFixture.on(backend) { f in
      var configuration = f.configuration()
      configuration.maximumFailuresPerAddress = 8
      try await f.application(configuration).test(.router) { client in
        var browser = DeskClient(client)
        for attempt in 1...5 {
          let status = try await browser.login("R2", password: "wrong password \(attempt)")
          #expect(status == (attempt < 5 ? .unauthorized : .tooManyRequests))
        }
        // Locked: even the right password is refused now.
        #expect(try await browser.login("R2") == .tooManyRequests)
        #expect(try await f.database.raterAccount(id: "R2")?.account.lockedUntil != nil)
        // Other accounts from the same address: refused once the address has 8 failures.
        for attempt in 1...3 { _ = try await browser.login("R3", password: "wrong \(attempt)") }
        #expect(try await browser.login("R4") == .tooManyRequests)
      }
      let lines = try await f.database.auditTrail(limit: nil).filter { $0.operator == "rater R2" }
      let failures = lines.filter { $0.summary.hasPrefix("login failed") }
      #expect(failures.count == 5, "\(lines.map(\.summary))")
      #expect(lines.contains { $0.summary.hasPrefix("login refused: account locked") })
    }
  }

  @Test(arguments: TestBackend.all) func namesWithScriptStayText(backend: TestBackend) async throws {
    try await DeskFixture.on(backend) { f in
      try await f.application().test(.router) { client in
        var r1 = DeskClient(client)
        _ = try await r1.login("R1")
        let page = try await r1.request("/mark").text
        #expect(page.contains("&lt;script&gt;alert(&#39;r&#39;)&lt;/script&gt;"))
        #expect(!page.contains("<script>alert"))
        var office = DeskClient(client)
        #expect(try await office.login("O1") == .seeOther)
        let view = try await office.request("/marking")
        #expect(
          view.status == .ok && view.text.contains("&lt;script&gt;alert(&#39;r&#39;)")
            && !view.text.contains("<script>alert"))
        #expect(view.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
      }
    }
  }

  @Test(arguments: TestBackend.all) func aFlagBecomesAProctoringIncident(backend: TestBackend) async throws {
    try await DeskFixture.on(backend) { f in
      try await f.application().test(.router) { client in
        var browser = DeskClient(client)
        _ = try await browser.login("R4")
        let page = try await browser.request("/mark")
        let answer = try #require(DeskClient.answerId(in: page.text))
        let flagged = try await browser.request(
          "/mark/\(answer)/flag", method: .post,
          form: [
            "csrf": DeskClient.csrf(in: page.text) ?? "", "reason": "possible-misconduct",
            "comment": "a second <voice>",
          ])
        #expect(flagged.status == .seeOther)
        // The answer still waits for the rater's mark.
        #expect(DeskClient.answerId(in: try await browser.request("/mark?flagged=\(answer)").text) == answer)
      }
      let incidents = try await f.database.incidents(examId: "E1", roomId: nil, openOnly: false).filter {
        $0.rule == "rater-flag"
      }
      #expect(incidents.count == 1)
      #expect(incidents.first?.category == .examinee && incidents.first?.raisedBy == "rater R4")
      #expect(incidents.first?.comment.contains("a second <voice>") == true)
      #expect(
        try await f.database.auditTrail(limit: nil).contains {
          $0.operator == "rater R4" && $0.command == "serve /mark flag"
        })
    }
  }

  @Test(arguments: TestBackend.all) func disagreeingMarksGoToTheArbiterWhoSettlesThem(backend: TestBackend) async throws
  {
    try await DeskFixture.on(backend) { f in
      let marks = ["R1": "0", "R2": "4", "R3": "0", "R4": "4"]
      try await f.application().test(.router) { client in
        for (rater, points) in marks.sorted(by: { $0.key < $1.key }) {
          var browser = DeskClient(client)
          _ = try await browser.login(rater)
          while true {
            let page = try await browser.request("/mark")
            guard let answer = DeskClient.answerId(in: page.text) else { break }
            _ = try await browser.request(
              "/mark/\(answer)", method: .post, form: ["csrf": DeskClient.csrf(in: page.text) ?? "", "points": points])
          }
        }
        let queue = try await MarkingDesk(store: f.database, contentStore: f.store).arbitrationQueue(examId: "E1")
        #expect(!queue.isEmpty)
        var arbiter = DeskClient(client)
        _ = try await arbiter.login("A1")
        let page = try await arbiter.request("/arbitrate")
        let answer = try #require(DeskClient.arbitrationId(in: page.text))
        #expect(page.text.contains("Speech time (s)") && page.text.contains("1.6"))
        #expect(try await arbiter.request("/mark/audio/\(answer)").status == .ok)
        let decided = try await arbiter.request(
          "/arbitrate/\(answer)", method: .post,
          form: ["csrf": DeskClient.csrf(in: page.text) ?? "", "points": "3", "reason": "clear content, some errors"])
        #expect(decided.status == .seeOther)
        let json = try await arbiter.request("/marking.json")
        let board = try JSONDecoder().decode(OfficeBoard.Snapshot.self, from: Data(json.text.utf8))
        #expect(board.status.awaitingArbitration == queue.count - 1)
        #expect(try await board.humanMarks == f.database.assignments(examId: "E1").count)
      }
      let arbiterMark = try #require(try await f.database.marks(examId: "E1").first { $0.kind == .arbiter })
      #expect(arbiterMark.raterId == "A1" && arbiterMark.source.contains("clear content"))
      #expect(try await f.database.finalMarks(examId: "E1").contains { $0.recordingId == arbiterMark.recordingId })
    }
  }

  @Test func byteRanges() {
    #expect(MarkingDeskServer.byteRange("bytes=0-9", size: 100) == 0..<10)
    #expect(MarkingDeskServer.byteRange("bytes=90-", size: 100) == 90..<100)
    #expect(MarkingDeskServer.byteRange("bytes=-5", size: 100) == 95..<100)
    #expect(MarkingDeskServer.byteRange("bytes=50-500", size: 100) == 50..<100)
    #expect(MarkingDeskServer.byteRange("bytes=100-", size: 100) == nil)
    #expect(MarkingDeskServer.byteRange("bytes=0-1,5-6", size: 100) == nil)
    #expect(MarkingDeskServer.byteRange("items=0-1", size: 100) == nil)
  }
}
