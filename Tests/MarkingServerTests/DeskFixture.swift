import AudioIO
import CentreServer
import ExamCore
import ExamStorage
import Foundation
import Hummingbird
import MarkingServer
import Scoring
import ServiceLifecycle
import _ExamTestSupport

/// A store on disk with the sample exam plus an open item O1 (4 points, tolerance 1), `answers` candidates at
/// schools S1–S3 (candidate 1 is named `<script>alert(1)</script>`), one spoken answer each to O1 with a stored FLAC
/// and a machine score that sends it to people, raters R1–R4 (one per school S1, S2, S3, S4; R1 is named with a
/// `<script>`), arbiter A1 (school S9) and office O1, each with password `password-<id>`, and the double-marking plan.
/// `showMachineMark` sets O1's rubric to show raters the machine's mark (blind marking otherwise). On a SQLite file
/// (`init`), or on either backend (`on(_:…)`, for the tests that run on both).
struct DeskFixture {
  static let audit = AuditEntry(
    at: "2026-06-14T09:00:00Z", operator: "test", command: "setup", arguments: "", summary: "")
  let dir: TemporaryDirectory
  let database: any ServerStore
  /// Its `--db` value.
  let databasePath: String
  var store: ContentStore { ContentStore(root: dir.file("store")) }

  /// The fixture on a SQLite file.
  init(answers: Int = 6, raters: Int = 4, showMachineMark: Bool = false) async throws {
    let dir = TemporaryDirectory("desk")
    try await self.init(
      dir: dir, database: try ExamDatabase(path: dir.file("exam.sqlite")), path: dir.file("exam.sqlite"),
      answers: answers, raters: raters, showMachineMark: showMachineMark)
  }

  /// Runs `body` on the fixture on `backend`'s store (a PostgreSQL database is dropped afterwards).
  static func on(
    _ backend: TestBackend, answers: Int = 6, showMachineMark: Bool = false, _ body: (DeskFixture) async throws -> Void
  ) async throws {
    let dir = TemporaryDirectory("desk")
    defer { dir.remove() }
    try await backend.withCommandStore(in: dir) { path, store in
      try await body(
        try await DeskFixture(
          dir: dir, database: store, path: path, answers: answers, raters: 4, showMachineMark: showMachineMark))
    }
  }

  private init(
    dir: TemporaryDirectory, database: any ServerStore, path: String, answers: Int, raters: Int, showMachineMark: Bool
  ) async throws {
    self.dir = dir
    self.database = database
    databasePath = path
    var exam = SampleData.exam()
    exam.sections[1].items.append(
      ItemDefinition(
        id: "O1", type: .pictureTalk, points: 4, promptText: "Talk about <your> school.",
        minAnswerSeconds: 0.5, maxAnswerSeconds: 60,
        rubric: Rubric(
          criteria: [
            .init(name: "content", points: 2, description: "answers the <question>"),
            .init(name: "language", points: 2),
          ],
          tolerance: 1, showMachineMark: showMachineMark)))
    exam.sections[1].points = 5
    _ = try await database.importExam(exam, audit: Self.audit)
    var candidates = (1...answers).map { SampleData.candidate($0, school: "S\(($0 - 1) % 3 + 1)") }
    candidates[0].name = "<script>alert(1)</script>"
    _ = try await database.importCandidates(candidates, audit: Self.audit)
    let flacPath = dir.file("answer.flac")
    try writeMono(
      SyntheticSpeech.voice(seed: 7).speak(seconds: 2, seed: 7), sampleRate: 16_000, to: flacPath, encoding: .flac16)
    let sha = try store.put(fileAtPath: flacPath, ext: "flac")
    let recordings = candidates.map { c in
      StoredRecording(
        examId: "E1", candidateId: c.id, itemId: "O1", originalSha256: sha, originalName: "\(c.id)-O1.wav",
        storedSha256: sha,
        durationSeconds: 2, originalSampleRate: 16_000, originalChannels: 1, originalFormat: "WAV/PCM_16",
        centreId: "T1",
        recordedAt: Self.audit.at, ingestedAt: Self.audit.at, batchId: "B1")
    }
    _ = try await database.insertAnswers(recordings: recordings, listening: [], audit: Self.audit)
    let stored = try await database.recordings(examId: "E1", currentOnly: false)
    _ = try await database.saveMachineScores(
      stored.map { r in
        MachineScore(
          recordingId: r.id!, examId: "E1", candidateId: r.candidateId, itemId: r.itemId,
          features: ["duration_s": 2, "speech_s": 1.6, "pause_count": 2, "speech_rate_syl_s": 3.1], aspects: [:],
          points: 2,
          confidence: 0.3, needsHuman: true, reason: "open answer", modelVersion: "test", scoredAt: Self.audit.at)
      }, finalRecordingIds: [], audit: Self.audit)
    var list = "rater_id,name,school,role\n"
    for i in 1...raters { list += "R\(i),\(i == 1 ? "\"<script>alert('r')</script>\"" : "Rater \(i)"),S\(i),rater\n" }
    list += "A1,Arbiter,S9,arbiter\nO1,Office,S0,office\n"
    try list.write(toFile: dir.file("raters.csv"), atomically: true, encoding: .utf8)
    let accounts = try await RaterAccounts.importList(
      path: dir.file("raters.csv"), arbiters: [], into: database, audit: Self.audit)
    for account in accounts {
      try await RaterAccounts.setPassword(
        raterId: account.id, password: "password-\(account.id)",
        hashing: PasswordHashing(cost: PasswordHashing.minimumCost), in: database, audit: Self.audit)
    }
    _ = try await MarkingDesk(store: database, contentStore: store).plan(
      examId: "E1",
      raters: accounts.filter { $0.id.hasPrefix("R") }, audit: Self.audit)
  }

  func configuration() -> DeskConfiguration {
    DeskConfiguration(examId: "E1", contentStore: store, secureCookies: false)
  }

  /// The desk routes alone, for HummingbirdTesting.
  func application(_ configuration: DeskConfiguration? = nil) async throws -> some ApplicationProtocol {
    let router = Router(context: ServerRequestContext.self)
    try await MarkingDeskServer(database: database, configuration: configuration ?? self.configuration()).register(
      on: router)
    return Application(router: router)
  }

  /// Answers given to `raterId`, in order.
  func assigned(to raterId: String) async throws -> [Int64] {
    try await database.assignments(examId: "E1").filter { $0.raterId == raterId }.map(\.recordingId)
  }
}

extension DeskFixture {
  /// Runs `exam serve`'s application (uploads and desk) on 127.0.0.1 on a free port for the length of `body`.
  func withServer<R: Sendable>(_ body: @Sendable (URL) async throws -> R) async throws -> R {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var limits = ServerLimits()
    limits.reserveDiskBytes = 0
    let configuration = ServerConfiguration(
      host: "127.0.0.1", port: 0, contentStore: store, quarantineRoot: dir.file("quarantine"),
      limits: limits)
    let desk = try await MarkingDeskServer(database: database, configuration: self.configuration())
    let app = try UploadServer(database: database, configuration: configuration, moreRoutes: { desk.register(on: $0) })
      .makeApplication { port in portContinuation.yield(port) }
    let group = ServiceGroup(configuration: .init(services: [app], logger: .init(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      var iterator = ports.makeAsyncIterator()
      guard let port = await iterator.next() else { throw ExamError(.state, "the server did not start") }
      do {
        let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
      } catch {
        await group.triggerGracefulShutdown()
        try? await tasks.waitForAll()
        throw error
      }
    }
  }
}
