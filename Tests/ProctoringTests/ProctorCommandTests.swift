import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Proctoring
import Testing
import _ExamTestSupport

@Suite struct ProctorCommandTests {
  func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var a = command as? AsyncParsableCommand { try await a.run() } else { try command.run() }
  }

  @Test(arguments: [
    (["proctor", "ingest", "--exam", "E1"], "Give at least one event log to ingest."),
    (
      ["proctor", "resolve", "3", "--action", "shrug", "--reason", "x"],
      "The value 'shrug' is invalid for '--action <action>'"
    ),
    (
      ["proctor", "resolve", "3", "--action", "confirm", "--reason", " "],
      "'--reason' must say why (got an empty reason)."
    ),
    (
      ["proctor", "resolve", "3", "--action", "confirm", "--reason", "x", "--seat", "2-3"],
      "'--seat' goes with '--action reseat' only."
    ),
    (["proctor", "scan", "--exam", "E1", "--jobs", "0"], "'--jobs' must be at least 1 (got 0)."),
  ])
  func rejectsBadInput(_ c: ([String], String)) {
    do {
      _ = try ExamCommand.parseAsRoot(c.0)
      Issue.record("accepted \(c.0)")
    } catch {
      #expect(ExamCommand.message(for: error).hasPrefix(c.1), "\(ExamCommand.message(for: error))")
    }
  }

  /// The proctoring commands on either backend (`--db exam.sqlite` or `--db postgres://…`).
  @Test(arguments: TestBackend.all) func ingestResolveAndReportEndToEnd(backend: TestBackend) async throws {
    try await withTemporaryDirectory { dir in
      try await backend.withCommandStore(in: dir) { path, db in
        try await Sitting.setUp(db, exam: SampleData.exam())
        try AtomicFile.write(text: EventRulesTests.scenario().text, to: dir.file("log.jsonl"))
        try await run([
          "proctor", "ingest", "--db", path, "--operator", "wang", "--exam", "E1", "--quiet", dir.file("log.jsonl"),
        ])
        let incidents = try await db.incidents(examId: "E1", roomId: nil, openOnly: false)
        #expect(incidents.count == EventRulesTests.expected.values.reduce(0, +))
        // Reseat the candidate of the silent machine onto the free reserve seat.
        let silent = try #require(incidents.first { $0.rule == "no-heartbeat" })
        try await run([
          "proctor", "resolve", "--db", path, "--operator", "Li Wei", String(silent.id!), "--action", "reseat",
          "--reason", "machine froze",
        ])
        #expect(try await db.assignment(examId: "E1", candidateId: "C2")?.seatId == "2-3")
        let crash = try #require(incidents.first { $0.rule == "client-crash" })
        // #17 class 14: the typed name is only a name (escaped in HTML, no control characters); the audit line
        // carries the OS account that ran the command.
        let hostile = "<script>alert('x')</script>\nforged line"
        try await run([
          "proctor", "resolve", "--db", path, "--operator", hostile, String(crash.id!), "--action", "dismiss",
          "--reason", "restarted within a minute",
        ])
        let decisions = try await db.incidentDecisions(incidentId: nil)
        #expect(decisions.map(\.action) == [.reseat, .dismiss])
        #expect(decisions.map(\.operator) == ["Li Wei", "<script>alert('x')</script>?forged line"])
        let account = String(cString: getpwuid(getuid()).pointee.pw_name)
        #expect(try await db.auditTrail(limit: nil).last?.account == account)
        #expect(try await db.incidents(examId: "E1", roomId: nil, openOnly: true).count == incidents.count - 2)
        let trail = try await db.auditTrail(limit: nil).map(\.command)
        #expect(trail.suffix(3) == ["proctor ingest", "proctor resolve", "proctor resolve"])
        // An unknown incident is refused with notFound.
        let e = await #expect(throws: ExamError.self) {
          try await run(["proctor", "resolve", "--db", path, "999", "--action", "confirm", "--reason", "x"])
        }
        #expect(e?.code == .notFound)

        try await run(["proctor", "report", "--db", path, "--exam", "E1", "--out", dir.file("report")])
        let csv = try String(contentsOfFile: dir.file("report/irregularities.csv"), encoding: .utf8)
        let table = try CSVTable(parsing: csv, source: "irregularities.csv")
        #expect(Array(table.header.prefix(6)) == ["date", "author", "candidate", "category", "subcategory", "comment"])
        #expect(table.rows.count == incidents.count)
        #expect(table.rows.contains { table.value($0, "decisions").contains("Li Wei: reseat — machine froze") })
        let page = try String(contentsOfFile: dir.file("report/room-T1-R1.html"), encoding: .utf8)
        #expect(page.contains("<svg") && !page.contains("<script") && page.contains("machine silent"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;?forged line: dismiss"))
        #expect(FileSystem.exists(dir.file("report/index.html")))
        // #17 class 16: the report names candidates and what they did: folders 0700, files 0600 from their creation.
        #expect(pathsNotOwnerOnly(dir.file("report")) == [])
      }
    }
  }

  @Test func aReportIntoAnOlderReportsFolderIsPrivateToo() async throws {
    try await withTemporaryDirectory { dir in
      let database = try ExamDatabase(path: dir.file("exam.sqlite"))
      let out = dir.file("reports/E1")
      _ = try await IrregularityReport.write(store: database, examId: "E1", formats: ["csv"], to: out)
      #expect(pathsNotOwnerOnly(dir.file("reports")) == [])
      // An earlier version's report, world-readable: rewritten owner-only.
      #expect(chmod(out + "/irregularities.csv", 0o644) == 0)
      _ = try await IrregularityReport.write(store: database, examId: "E1", formats: ["csv"], to: out)
      #expect(pathsNotOwnerOnly(out) == [])
    }
  }
}
