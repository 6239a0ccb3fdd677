import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Scoring
import Testing
import _ExamTestSupport

@testable import ExamCLI

/// The marking and results commands end to end on a store of either backend (`--db exam.sqlite` or
/// `--db postgres://…`): export, import, arbitrate, finalise, export.
@Suite struct MarkingCommandTests {
  func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var c = command as? any AsyncParsableCommand { try await c.run() } else { try command.run() }
  }

  @Test(arguments: TestBackend.all) func doubleMarkingWorkflowThroughTheCommands(backend: TestBackend) async throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try await backend.withCommandStore(in: dir) { (db: String, database: any ProctoringStore) async throws in
      let f = try await WorkflowFixture(database: try #require(database as? any MarkingStore))
      _ = try await f.runner().run(
        examId: "E1", progress: { _, _ in }, audit: { _ in WorkflowFixture.audit("score run") })
      try "rater_id,name,school\nR1,A,S1\nR2,B,S2\nR3,C,S3\nR4,D,S4\n".write(
        toFile: dir.file("raters.csv"), atomically: true, encoding: .utf8)

      // Finalising before marking is refused.
      await #expect { try await run(["results", "finalise", "--db", db, "--quiet"]) } throws: {
        ($0 as? ExamError)?.code == .state
      }

      try await run(["marking", "export", "--db", db, "--raters", dir.file("raters.csv"), "--out", dir.file("sheets")])
      let sheets = try FileManager.default.contentsOfDirectory(atPath: dir.file("sheets")).filter {
        $0.hasSuffix(".csv")
      }
      .sorted()
      #expect(sheets == ["rater-R1.csv", "rater-R2.csv", "rater-R3.csv", "rater-R4.csv"])
      // Worksheets and results name candidates' answers: owner-only like every export (#17 class 16).
      #expect(pathsNotOwnerOnly(dir.file("sheets")) == [])
      // Fill every worksheet: marks 1 apart except one answer 3 apart on the open item (to arbitration).
      var disputed: Int64? = nil
      for sheet in sheets {
        let path = dir.file("sheets/" + sheet)
        let table = try CSVTable(parsing: try String(contentsOfFile: path, encoding: .utf8), source: path)
        var writer = CSVWriter(header: table.header)
        for row in table.rows {
          var fields = row.fields
          let answer = Int64(table.value(row, "answer_id")) ?? 0
          let maximum = Double(table.value(row, "max_points")) ?? 0
          let first = sheet < "rater-R3"
          if table.value(row, "item_id") == "O1" && (disputed == nil || disputed == answer) {
            disputed = answer
            fields[table.index(of: "points") ?? 0] = first ? "0.5" : "3.5"
          } else {
            fields[table.index(of: "points") ?? 0] = String(first ? maximum / 2 : maximum / 2 + 0.25)
          }
          writer.append(fields)
        }
        try writer.text.write(toFile: path, atomically: true, encoding: .utf8)
      }
      try await run(["marking", "import", "--db", db] + sheets.map { dir.file("sheets/" + $0) })
      let desk = MarkingDesk(store: f.database, contentStore: ContentStore(root: dir.file("store")))
      let queue = try await desk.arbitrationQueue(examId: "E1")
      if let disputed, queue.contains(where: { $0.answerId == disputed }) {
        try await run(["marking", "arbitrate", "--db", db, "--queue-out", dir.file("arb.csv")])
        let raters = Set(queue[0].marks.keys)
        let arbiter = ["R3", "R4", "R1", "R2"].first { !raters.contains($0) && $0 != "R1" } ?? "R3"
        try await run([
          "marking", "arbitrate", "--db", db, "--answer", String(disputed), "--arbiter", arbiter, "--points", "3",
        ])
      }
      #expect(try await desk.arbitrationQueue(examId: "E1").isEmpty)
      try await run(["results", "finalise", "--db", db, "--quiet"])
      try await run(["results", "export", "--db", db, "--format", "csv", "--out", dir.file("results.csv")])
      let results = try CSVTable(
        parsing: try String(contentsOfFile: dir.file("results.csv"), encoding: .utf8), source: "results.csv")
      #expect(results.rows.map { results.value($0, "candidate_id") } == ["C1", "C2"])
      #expect(results.header.contains("section_O") && results.header.contains("level"))
      #expect(pathsNotOwnerOnly(dir.file("results.csv")) == [])
      let audit = try await database.auditTrail(limit: nil).map(\.command)
      for command in ["marking export", "marking import", "results finalise"] { #expect(audit.contains(command)) }
    }
  }

  /// A rater id like `../../x` cannot put a worksheet outside `--out`.
  @Test func aRaterIdCannotWriteOutsideTheOutputFolder() async throws {
    try await withTemporaryDirectory { dir in
      let error = #expect(throws: ExamError.self) {
        try MarkingWorksheets.write(["../../escaped": []], to: dir.file("out/sheets"))
      }
      #expect(error?.code == .invalidInput && error?.location == "rater id")
      #expect(!FileManager.default.fileExists(atPath: dir.file("rater-../../escaped.csv")))
      #expect(!FileManager.default.fileExists(atPath: dir.file("escaped.csv")))
    }
  }
}
