import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Two identical office stores in one folder (so one `store/`): `exam.sqlite` for the scale-out path (publish →
/// worker processes → collect) and `reference.sqlite` for a single-process `exam score run` on the same answers.
/// The answers are synthetic speech (FLAC) of `answers` candidates to the sample exam's read-aloud item, scored
/// with the committed model.
struct ScaleOutFixture {
  let directory = TemporaryDirectory("scaleout")
  var office: String { directory.file("exam.sqlite") }
  var reference: String { directory.file("reference.sqlite") }
  var storeRoot: String { directory.file("store") }
  let model = SharedData.repositoryRoot + "/ExamPacks/models/speechocean-ridge.json"
  let answers: Int

  static var canRunWorkers: Bool { ExamProcess.canRunWorkers }

  init(answers: Int) throws {
    self.answers = answers
    try ScaleOutSample.make(
      storePaths: [directory.file("exam.sqlite"), directory.file("reference.sqlite")], answers: answers)
  }

  /// Runs `exam ARGS` in this process.
  static func exam(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
  }

  /// Scores the reference store in one process, the way a city does it today. Pronunciation is on in both runs:
  /// the workers see the answers in another order, so equal results also show that a decoder keeps nothing from
  /// one answer to the next.
  func scoreReference() async throws {
    try await Self.exam([
      "score", "run", "--db", reference, "--model", model, "--jobs", "2", "--quiet",
    ])
  }

  /// Migrates `url` and publishes the office store's answers to it.
  func publish(to url: String) async throws {
    try await Self.exam(["db", "migrate", "--db", url, "--quiet"])
    try await Self.exam(["score", "publish", "--from", office, "--model", model, "--db", url, "--quiet"])
  }

  /// Starts a worker process on `url`; its output goes to `worker-LABEL.log` in the fixture folder.
  func startWorker(_ url: String, label: String, extra: [String] = [], untilEmpty: Bool = true) throws -> Process {
    try ExamProcess.start(
      ["score", "run", "--worker", "--db", url, "--store", storeRoot, "--jobs", "1"]
        + (untilEmpty ? ["--until-empty"] : []) + extra,
      log: directory.file("worker-\(label).log"))
  }

  func log(_ label: String) -> String {
    (try? String(contentsOfFile: directory.file("worker-\(label).log"), encoding: .utf8)) ?? ""
  }

  /// Waits for `process` to exit (at most `seconds`); its exit status.
  static func wait(_ process: Process, seconds: Double = 600) async throws -> Int32 {
    try await ExamProcess.wait(process, seconds: seconds)
  }

  /// What must be equal between two stores: every machine score (but its time), mark and final mark.
  static func endState(_ path: String) async throws -> (scores: [MachineScore], marks: [String], finals: [String]) {
    try await endState(try ExamDatabase(path: path))
  }

  /// `endState` of a store of either backend.
  static func endState(_ database: any MarkingStore) async throws -> (
    scores: [MachineScore], marks: [String], finals: [String]
  ) {
    let scores = try await database.machineScores(examId: "E1").map { s in
      var s = s
      s.scoredAt = ""
      return s
    }
    let marks = try await database.marks(examId: "E1").map {
      "\($0.recordingId) \($0.kind) \($0.raterId) \($0.points) \($0.source)"
    }
    let finals = try await database.finalMarks(examId: "E1").map {
      "\($0.recordingId) \($0.points) \($0.method) \($0.markIds.count)"
    }
    return (scores, marks.sorted(), finals.sorted())
  }

  /// Every answer scored exactly once in PostgreSQL, and both its scores, marks and final marks and those of the
  /// office store they are collected into equal to the reference (one process on SQLite).
  func expectScoredOnceAndEqualToReference(_ url: String) async throws {
    let postgres = try await PostgresStore.connect(url: url)
    let scores = try await postgres.allMachineScores()
    let marks = try await postgres.machineMarkCounts()
    let status = try await postgres.scoringStatus()
    let inPostgres = try await Self.endState(postgres)
    await postgres.close()
    #expect(scores.count == answers && Set(scores.map(\.recordingId)).count == answers)
    #expect(marks.values.allSatisfy { $0 == 1 } && marks.count == scores.filter { $0.points != nil }.count)
    #expect(status.done == answers && status.leased == 0 && status.ready == 0)
    try await Self.exam(["score", "collect", "--db", url, "--into", office, "--quiet"])
    try await scoreReference()
    let (scaled, expected) = (try await Self.endState(office), try await Self.endState(reference))
    #expect(inPostgres.scores == expected.scores)
    #expect(inPostgres.marks == expected.marks)
    #expect(inPostgres.finals == expected.finals)
    #expect(scaled.scores.count == answers)
    #expect(scaled.scores == expected.scores)
    #expect(scaled.marks == expected.marks)
    #expect(scaled.finals == expected.finals)
    // `exam results finalise` on the PostgreSQL store does what it does on the reference: the same results, or the
    // same refusal while answers wait for human marks.
    let (onPostgres, onReference) = (try await finalise(url), try await finalise(reference))
    #expect(onPostgres == onReference)
  }

  /// The results `exam results finalise` writes into `store` (without their time), or why it refused.
  func finalise(_ store: String) async throws -> String {
    do {
      try await Self.exam(["results", "finalise", "--db", store, "--quiet"])
    } catch let error as ExamError {
      return error.description
    }
    let database: any MarkingStore =
      PostgresStore.isPostgresURL(store) ? try await PostgresStore.connect(url: store) : try ExamDatabase(path: store)
    let results = try await database.results(examId: "E1").map { r in
      var r = r
      r.finalisedAt = ""
      return r
    }
    if let postgres = database as? PostgresStore { await postgres.close() }
    return "\(results)"
  }
}
