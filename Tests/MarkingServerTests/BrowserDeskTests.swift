import ExamCore
import Foundation
import Scoring
import Testing
import _ExamTestSupport

@testable import MarkingServer

/// The desk in a real browser: Debian's headless chromium driven by Selenium (Tools/browser-desk-test.py), keyboard only.
@Suite("MarkingServer: the desk in headless Chromium", .serialized)
struct BrowserDeskTests {
  static let python = HeadlessBrowser.python

  static var browserAvailable: Bool { HeadlessBrowser.isAvailable(for: "the browser test of the marking desk") }

  @Test(.enabled(if: browserAvailable)) func markFiveWithTheKeyboardFlagOneArbitrateOneAndSeeTheOfficeView()
    async throws
  {
    let f = try await DeskFixture(answers: 12)
    let desk = MarkingDesk(store: f.database, contentStore: f.store)
    // One answer not given to R2 gets marks 4 points apart: it waits for the arbiter.
    var found: Int64?
    for id in try await f.database.assignments(examId: "E1").map(\.recordingId)
    where try await f.database.assignments(recordingId: id).allSatisfy({ $0.raterId != "R2" }) {
      found = id
      break
    }
    let disputed = try #require(found)
    for (i, a) in try await f.database.assignments(recordingId: disputed).enumerated() {
      _ = try await desk.recordMark(
        .init(answerId: disputed, raterId: a.raterId, points: i == 0 ? 0 : 4, source: "test"), examId: "E1",
        audit: DeskFixture.audit)
    }
    #expect(try await desk.arbitrationQueue(examId: "E1").count == 1)
    let (status, output) = try await f.withServer { server in
      let process = Process()
      let output = f.dir.file("browser.out")
      FileManager.default.createFile(atPath: output, contents: nil)
      process.executableURL = URL(fileURLWithPath: Self.python)
      process.arguments = [
        SharedData.repositoryRoot + "/Tools/browser-desk-test.py", server.absoluteString, "R2", "A1", "O1",
      ]
      process.standardOutput = FileHandle(forWritingAtPath: output)
      try process.run()
      while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
      return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
    #expect(status == 0, "\(output)")
    struct Seen: Decodable {
      var flagged: String?
      var marked: [String]
      var arbitrated: String?
      var office: Office?
      struct Office: Decodable { var waitingForArbitration: Int; var raterRow: String }
    }
    let seen = try JSONDecoder().decode(Seen.self, from: Data(output.utf8))
    #expect(seen.marked.count == 5 && seen.flagged == seen.marked.first)
    #expect(seen.arbitrated == String(disputed))
    #expect(seen.office?.waitingForArbitration == 0)
    let assigned = try await f.assigned(to: "R2").count
    #expect(seen.office?.raterRow.contains("5 of \(assigned)") == true, "\(seen.office?.raterRow ?? "")")
    let r2 = try await f.database.marks(examId: "E1").filter { $0.raterId == "R2" }
    #expect(r2.map { String($0.recordingId) }.sorted() == seen.marked.sorted())
    #expect(
      try await f.database.incidents(examId: "E1", roomId: nil, openOnly: false).contains {
        $0.rule == "rater-flag" && $0.evidence == ["recording:\(seen.flagged ?? "")"]
      })
    #expect(
      try await f.database.finalMarks(examId: "E1").contains {
        $0.recordingId == disputed && $0.method.hasPrefix("arbitrated")
      })
  }
}
