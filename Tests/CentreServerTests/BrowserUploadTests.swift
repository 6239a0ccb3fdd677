import Foundation
import Testing
import _ExamTestSupport

@testable import CentreServer

/// The `/upload` page in a real browser: Debian's headless chromium driven by Selenium (Tools/browser-upload-test.py).
@Suite("CentreServer: the upload page in headless Chromium", .serialized)
struct BrowserUploadTests {
  static let python = HeadlessBrowser.python

  static var browserAvailable: Bool { HeadlessBrowser.isAvailable(for: "the browser test of /upload") }

  @Test(.enabled(if: browserAvailable)) func thePageUploadsResumesAfterAReloadAndShowsTheReport() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    let zip = try f.makeBatchZip("T1", candidates: [1, 2, 3], seconds: 3)
    let (status, output) = try await f.withServer { server in
      let process = Process()
      let output = f.dir.file("browser.out")
      FileManager.default.createFile(atPath: output, contents: nil)
      process.executableURL = URL(fileURLWithPath: Self.python)
      process.arguments = [
        SharedData.repositoryRoot + "/Tools/browser-upload-test.py", server.absoluteString, f.tokens["T1"]!, zip,
      ]
      process.standardOutput = FileHandle(forWritingAtPath: output)
      try process.run()
      // sleep, do not block: the server answering the browser runs on the same cooperative threads
      while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
      return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
    #expect(status == 0, "\(output)")
    struct Line: Decodable { var resumedAt: Int; var state: String; var report: IngestReportLine }
    struct IngestReportLine: Decodable { var added: [Added]; struct Added: Decodable { var candidateId: String } }
    let line = try JSONDecoder().decode(Line.self, from: Data(output.utf8))
    #expect(line.resumedAt == 3 * 64 * 1024)
    #expect(line.state.hasPrefix("Done: 6 added"))
    #expect(line.report.added.count == 6)
    #expect(try f.database.recordings(examId: "E1").count == 6)
  }
}
