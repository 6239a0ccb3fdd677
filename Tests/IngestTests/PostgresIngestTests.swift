import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Ingest

/// `exam audio ingest` into a PostgreSQL store takes a batch exactly as into SQLite: the same recordings and
/// versions, the same refusals, the same listening answers, nothing twice on a re-run.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresIngestTests {
  /// What a store holds after the batches, without ids and times (which differ between two runs).
  struct Held: Equatable {
    var recordings: [String]
    var listening: [ListeningAnswer]
    var refused: [String]
    var runs: [Int]
  }

  static func held(_ store: any AnswerStore) async throws -> Held {
    let recordings = try await store.recordings(examId: "E1", currentOnly: false).map {
      "\($0.candidateId) \($0.itemId) v\($0.version) current=\($0.isCurrent) \($0.storedSha256.prefix(12)) "
        + "\($0.originalFormat) \($0.flags) seat=\($0.seatId ?? "-") session=\($0.sessionId ?? "-")"
    }
    var refused: [String] = []
    var runs: [Int] = []
    for batch in try await store.ingestBatches(centreId: "T1").sorted(by: { $0.id < $1.id }) {
      runs.append(batch.runs)
      refused += try await store.quarantined(batchId: batch.id).map { "\($0.file) \($0.reason)" }
    }
    return Held(
      recordings: recordings, listening: try await store.listeningAnswers(examId: "E1"), refused: refused, runs: runs)
  }

  /// The fixture's sitting in the PostgreSQL database at `url`, set up through the store both backends share.
  static func copy(_ f: IngestFixture, to url: String) async throws -> PostgresStore {
    let postgres = try await PostgresStore.connect(url: url, migrate: true)
    let setup = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "test", command: "setup", arguments: "", summary: "")
    _ = try await postgres.importExam(IngestFixture.exam(), audit: setup)
    _ = try await postgres.importCandidates(try f.database.candidates(), audit: setup)
    _ = try await postgres.replaceVenues(
      centres: try f.database.centres(), sessions: try f.database.sessions(), adjacency: [], audit: setup)
    try await postgres.replaceAllocation(examId: "E1", try f.database.allocation(examId: "E1"), audit: setup)
    return postgres
  }

  @Test func aBatchIsTakenIntoPostgresAsIntoSQLite() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let url = try TestPostgres.makeDatabase(label: "ingest")
    defer { TestPostgres.dropDatabase(url) }
    let postgres = try await Self.copy(f, to: url)

    var batch = BatchBuilder(f.dir.file("batches/T1"))
    try batch.add("C1", "SA1", file: "C1-SA1.wav", samples: SyntheticSpeech.toneBursts(seconds: 1.5), seat: "1-1")
    try batch.add("C2", "SA1", file: "C2-SA1.wav", samples: SyntheticSpeech.toneBursts(seconds: 2, seed: 2))
    // C5 sits at T2: refused from T1's batch.
    try batch.add("C5", "SA1", file: "C5-SA1.wav", samples: SyntheticSpeech.toneBursts(seconds: 1, seed: 5))
    try batch.add("C3", "SA1", file: "C3-SA1.wav", bytes: Array("not audio".utf8))
    batch.answers = [
      ["C1", "LA1", "B", "2026-06-14T09:01:00+08:00"], ["C2", "LA1", "C", "2026-06-14T09:01:00+08:00"],
    ]
    try batch.write()
    var resubmitted = BatchBuilder(f.dir.file("batches/T1-again"))
    try resubmitted.add("C1", "SA1", file: "C1-SA1.wav", samples: SyntheticSpeech.toneBursts(seconds: 1.7, seed: 9))
    try resubmitted.write()

    let shared = f.dir.file("shared-store")
    for db in [f.dir.file("exam.sqlite"), url] {
      let store = db == url ? ["--store", shared] : []
      for folder in [batch.folder, batch.folder, resubmitted.folder] {
        do {
          try await exam(
            ["audio", "ingest", folder, "--centre", "T1", "--session", "AM", "--db", db, "--quiet"] + store)
        } catch let exit as ExitCode {
          #expect(exit.rawValue == 65 && folder == batch.folder)  // the batch with refused files
        }
      }
    }
    let sqlite = try await Self.held(f.database)
    let pg = try await Self.held(postgres)
    await postgres.close()
    #expect(sqlite.recordings.count == 3 && sqlite.recordings.filter { $0.contains("current=true") }.count == 2)
    #expect(sqlite.listening.count == 2 && sqlite.refused.count == 2 && sqlite.runs.sorted() == [1, 2])
    #expect(pg == sqlite)
    // The audio went to the shared store, the refused files beside it.
    #expect(FileManager.default.fileExists(atPath: shared))
    #expect(FileManager.default.fileExists(atPath: f.dir.file("quarantine")))
  }
}

/// Batches queued on PostgreSQL and taken in by two `exam audio ingest --worker` processes at once; their answers
/// queued for scoring as each batch finishes and scored by `exam score run --worker`.
@Suite(.enabled(if: ExamProcess.canRunWorkers)) struct PostgresIngestQueueTests {

  func start(_ arguments: [String], log: String) throws -> Process { try ExamProcess.start(arguments, log: log) }
  func wait(_ process: Process) async throws -> Int32 { try await ExamProcess.wait(process, seconds: 300) }

  @Test func queuedBatchesAreTakenInByTwoWorkersAndTheirAnswersScored() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let url = try TestPostgres.makeDatabase(label: "ingestq")
    defer { TestPostgres.dropDatabase(url) }
    let postgres = try await PostgresIngestTests.copy(f, to: url)
    var t1 = BatchBuilder(f.dir.file("batches/T1"))
    try t1.add("C1", "SA1", file: "C1.wav", samples: SyntheticSpeech.toneBursts(seconds: 1.5))
    try t1.add("C2", "SA1", file: "C2.wav", samples: SyntheticSpeech.toneBursts(seconds: 2, seed: 2))
    try t1.add("C3", "SA1", file: "C3.wav", bytes: Array("not audio".utf8))
    try t1.write()
    var t2 = BatchBuilder(f.dir.file("batches/T2"))
    try t2.add("C5", "SA1", file: "C5.wav", samples: SyntheticSpeech.toneBursts(seconds: 1, seed: 5))
    try t2.write()
    let empty = f.dir.file("batches/empty")  // no manifest: refused as a whole, its job done
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    let shared = f.dir.file("shared-store")
    try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
    for (folder, centre) in [(t1.folder, "T1"), (t2.folder, "T2"), (empty, "T1"), (t1.folder, "T1")] {
      try await exam(["audio", "ingest", folder, "--centre", centre, "--session", "AM", "--enqueue", "--db", url])
    }
    #expect(try await postgres.openJobs(kind: PostgresStore.ingestKind) == 3)  // T1 queued twice is one job

    let workers = try (1...2).map { n in
      try start(
        ["audio", "ingest", "--worker", "--until-empty", "--jobs", "1", "--store", shared, "--db", url],
        log: f.dir.file("ingest-\(n).log"))
    }
    for (n, w) in workers.enumerated() {
      let log = { (try? String(contentsOfFile: f.dir.file("ingest-\(n + 1).log"), encoding: .utf8)) ?? "" }
      #expect(try await wait(w) == 0, "\(log())")
    }
    let logs = try (1...2).map { try String(contentsOfFile: f.dir.file("ingest-\($0).log"), encoding: .utf8) }.joined()
    #expect(logs.contains("refused: ") && logs.contains("answers queued for scoring"), "\(logs)")
    #expect(try await postgres.openJobs(kind: PostgresStore.ingestKind) == 0)
    let ingest = try await postgres.queueStatus(kind: PostgresStore.ingestKind)
    #expect(ingest.total == 3 && ingest.done == 3 && ingest.retried == 0)
    #expect(ingest.workers.count == 2 && ingest.workers.allSatisfy(\.stopped))
    #expect(ingest.workers.map(\.completed).reduce(0, +) == 3)
    try await exam(["audio", "status", "--db", url])
    let recordings = try await postgres.recordings(examId: "E1", currentOnly: true)
    #expect(recordings.map(\.candidateId).sorted() == ["C1", "C2", "C5"])
    #expect(try await postgres.ingestBatches(centreId: nil).count == 2)
    #expect(try await postgres.openJobs(kind: PostgresStore.scoringKind) == 3)  // queued as the batches finished
    // Publishing the model for this sitting queues nothing twice; one scoring worker scores every answer.
    let model = SharedData.repositoryRoot + "/ExamPacks/models/speechocean-ridge.json"
    try await exam(["score", "publish", "--model", model, "--db", url, "--quiet"])
    #expect(try await postgres.openJobs(kind: PostgresStore.scoringKind) == 3)
    let scorer = try start(
      ["score", "run", "--worker", "--until-empty", "--jobs", "1", "--store", shared, "--db", url],
      log: f.dir.file("score.log"))
    #expect(
      try await wait(scorer) == 0, "\((try? String(contentsOfFile: f.dir.file("score.log"), encoding: .utf8)) ?? "")")
    #expect(
      try await postgres.allMachineScores(examId: "E1").map(\.recordingId).sorted()
        == recordings.compactMap(\.id).sorted()
    )
    await postgres.close()
  }
}

extension PostgresIngestQueueTests {
  /// A worker killed with SIGKILL in the middle of a batch (after 4 of its 12 answers were committed) holds its
  /// lease; once it expires another worker takes the batch again and stores the other 8: every answer once, and
  /// the scoring of all 12 queued.
  @Test func aWorkerKilledMidBatchIsFinishedByAnother() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let url = try TestPostgres.makeDatabase(label: "ingestkill")
    defer { TestPostgres.dropDatabase(url) }
    let postgres = try await PostgresIngestTests.copy(f, to: url)
    var batch = BatchBuilder(f.dir.file("batches/T1"))
    for candidate in 1...4 {
      for item in ["SA1", "SA2", "SA3"] {
        try batch.add(
          "C\(candidate)", item, file: "C\(candidate)-\(item).wav",
          samples: SyntheticSpeech.toneBursts(seconds: 1, seed: UInt64(candidate * 10 + item.count)))
      }
    }
    try batch.write()
    let shared = f.dir.file("shared-store")
    try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
    try await exam(["audio", "ingest", batch.folder, "--centre", "T1", "--session", "AM", "--enqueue", "--db", url])
    let worker =
      ["audio", "ingest", "--worker", "--until-empty", "--jobs", "1", "--lease-seconds", "10"]
      + ["--store", shared, "--db", url]
    let doomed = try start(
      worker + ["--commit-every", "2", "--kill-after-commits", "4"], log: f.dir.file("doomed.log"))
    #expect(try await wait(doomed) == 9)  // killed by SIGKILL
    #expect(try await postgres.recordings(examId: "E1", currentOnly: false).count == 4)
    let second = try start(worker, log: f.dir.file("second.log"))
    #expect(
      try await wait(second) == 0, "\((try? String(contentsOfFile: f.dir.file("second.log"), encoding: .utf8)) ?? "")")
    let stored = try await postgres.recordings(examId: "E1", currentOnly: false)
    #expect(stored.count == 12 && Set(stored.map { "\($0.candidateId)|\($0.itemId)" }).count == 12)
    #expect(try await postgres.ingestBatches(centreId: "T1").first?.runs == 2)
    #expect(try await postgres.openJobs(kind: PostgresStore.ingestKind) == 0)
    #expect(try await postgres.openJobs(kind: PostgresStore.scoringKind) == 12)
    await postgres.close()
  }
}

/// Runs `exam …` in-process.
private func exam(_ arguments: [String]) async throws {
  var command = try ExamCommand.parseAsRoot(arguments)
  if var a = command as? AsyncParsableCommand { try await a.run() } else { try command.run() }
}
