import ArgumentParser
import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

@testable import ExamCLI

/// The command context is built once from the options: the store, the exam, and the audit line's words.
@Suite struct ExamSubcommandTests {
  @Test func auditNamesFollowTheCommandTree() {
    #expect(ExamCommand.AllocateRun.auditName == "allocate")  // the default subcommand adds no word
    #expect(ExamCommand.AllocateReseat.auditName == "allocate reseat")
    #expect(ExamCommand.Audio.AudioIngest.auditName == "audio ingest")
    #expect(ExamCommand.CandidatesImport.auditName == "candidates import")
    #expect(ExamCommand.Init.auditName == "init")
    #expect(ExamCommand.ProctorResolve.auditName == "proctor resolve")
    #expect(ExamCommand.RecordsCommand.Sync.auditName == "records sync")
    #expect(ExamCommand.Results.Finalise.auditName == "results finalise")
    #expect(ExamCommand.Score.Run.auditName == "score run")
    #expect(ExamCommand.Marking.Arbitrate.auditName == "marking arbitrate")
  }

  @Test func theContextOpensTheStoreAndResolvesTheExamOnce() async throws {
    try await withTemporaryDirectory { dir in
      let path = dir.file("exam.sqlite")
      let show = try #require(
        try ExamCommand.parseAsRoot(["allocate", "show", "--db", path]) as? ExamCommand.AllocateShow)
      let missing = await #expect(throws: ExamError.self) { try await CommandContext.open(show) }
      #expect(missing?.code == .notFound)  // a typo in --db is not a new empty store
      let store = try ExamDatabase(path: path)
      let noExam = await #expect(throws: ExamError.self) { try await CommandContext.open(show) }
      #expect(noExam?.code == .usage && noExam?.location == "--exam")
      _ = try store.importExam(
        SampleData.exam(id: "E1"), audit: AuditEntry(at: "t", operator: "o", command: "c", arguments: "", summary: ""))
      let context = try await CommandContext.open(show)
      #expect(context.examId == "E1" && context.command == "allocate show")
      let reseat = try #require(
        try ExamCommand.parseAsRoot([
          "allocate", "reseat", "--db", path, "--session", "AM", "--room", "R1",
          "--seat", "1-1", "--reason", "dead", "--operator", "li",
        ]) as? ExamCommand.AllocateReseat)
      let line = try await CommandContext.open(reseat).audit("moved")
      #expect(line.command == "allocate reseat" && line.operator == "li" && line.summary == "moved")
      #expect(line.arguments == "--session AM --room R1 --seat 1-1")
    }
  }

  /// Every command that opens the store runs on PostgreSQL as on SQLite (the rest never open it: pack tools, keys,
  /// scoring on manifests, and the commands that talk to PostgreSQL themselves).
  @Test func everyCommandThatOpensTheStoreRunsOnPostgres() {
    func commands(under parent: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
      parent.configuration.subcommands.flatMap { [$0] + commands(under: $0) }
    }
    let opening = commands(under: ExamCommand.self).compactMap { $0 as? any ExamSubcommand.Type }
      .filter { $0.storeAccess != .none }
    #expect(opening.count > 30)  // the walk found the commands
    let sqliteOnly = opening.filter { !$0.runsOnPostgres }.map { $0.auditName }
    #expect(sqliteOnly.isEmpty, "\(sqliteOnly)")
  }
}
