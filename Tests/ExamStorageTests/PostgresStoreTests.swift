import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

/// The PostgreSQL store and its work queue against the test cluster (skipped, with a note, without one).
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresStoreTests {
  /// Runs `body` on a migrated store in a database of its own.
  func withStore(_ body: (PostgresStore, String) async throws -> Void) async throws {
    let url = try TestPostgres.makeDatabase()
    defer { TestPostgres.dropDatabase(url) }
    let store = try await PostgresStore.connect(url: url, migrate: true, retryLimitSeconds: 5)
    do { try await body(store, url) } catch {
      await store.close()
      throw error
    }
    await store.close()
  }

  func connectError(_ url: String) async -> ExamError? {
    do {
      let store = try await PostgresStore.connect(url: url, retryLimitSeconds: 1)
      await store.close()
      return nil
    } catch { return error }
  }

  @Test func badURLsPasswordsAndDatabasesAreNamed() async throws {
    let url = try #require(TestPostgres.url)
    var parts = try #require(URLComponents(string: url))
    let malformed = await connectError("postgres://nohost")
    #expect(malformed?.code == .usage)
    parts.password = "wrong-password"
    let password = await connectError(parts.string!)
    #expect(password?.code == .io && password?.message.contains("refused the password") == true)
    #expect(password?.description.contains("wrong-password") == false)  // never printed
    let missing = await connectError(TestPostgres.replacingDatabase(of: url, with: "no_such_database_xyz"))
    #expect(missing?.code == .notFound)
    var unreachable = try #require(URLComponents(string: url))
    unreachable.port = 1
    let refused = await connectError(unreachable.string!)
    #expect(refused?.code == .io && refused?.message.contains("cannot reach") == true)
  }

  @Test func olderAndNewerSchemasAreRefusedWithWhatToRun() async throws {
    let url = try TestPostgres.makeDatabase()
    defer { TestPostgres.dropDatabase(url) }
    let empty = await connectError(url)
    #expect(empty?.code == .state && empty?.fix?.contains("exam db migrate") == true)
    let store = try await PostgresStore.connect(url: url, migrate: true)
    await store.close()
    #expect(await connectError(url) == nil)
    let current = try await PostgresStore.connect(url: url)
    let latest = try await current.schemaVersion()
    await current.close()
    try TestPostgres.psql(url, "DELETE FROM examkit_migration WHERE version = \(latest)")
    let older = await connectError(url)
    #expect(
      older?.code == .state && older?.message.contains("older") == true
        && older?.fix?.contains("exam db migrate") == true)
    try TestPostgres.psql(
      url,
      "INSERT INTO examkit_migration (version, name, release) VALUES (\(latest), 'x', 'x'), (99, 'future', '2099.1')")
    let newer = await connectError(url)
    #expect(newer?.code == .state && newer?.message.contains("newer") == true)
  }

  @Test func claimsAreDisjointLeasesExpireAndCompletionIsIdempotent() async throws {
    try await withStore { store, _ in
      let jobs = (1...10).map { (key: "k\($0)", payload: "{}") }
      #expect(try await store.enqueue(kind: "test", jobs: jobs) == 10)
      #expect(try await store.enqueue(kind: "test", jobs: jobs) == 0)  // the same keys again add nothing
      let a = QueueWorker(id: "a", kind: "test", release: ExamKitRelease.version)
      let b = QueueWorker(id: "b", kind: "test", release: ExamKitRelease.version)
      let c = QueueWorker(id: "c", kind: "test", release: ExamKitRelease.version)
      for w in [a, b, c] { try await store.register(w) }
      let byA = try await store.claim(a, limit: 4, leaseSeconds: 60)
      let byB = try await store.claim(b, limit: 4, leaseSeconds: 0.2)
      #expect(byA.count == 4 && byB.count == 4 && Set(byA.map(\.id)).isDisjoint(with: byB.map(\.id)))
      #expect(try await store.complete(byA.map(\.id), by: a) == 4)
      #expect(try await store.complete(byA.map(\.id), by: a) == 0)  // a retry after a lost reply
      try await Task.sleep(for: .milliseconds(600))  // b's leases expire (b "died")
      let byC = try await store.claim(c, limit: 10, leaseSeconds: 60)
      #expect(Set(byC.map(\.key)) == Set(byB.map(\.key)).union(["k9", "k10"]))
      #expect(byC.filter { byB.map(\.id).contains($0.id) }.allSatisfy { $0.attempts == 2 })
      #expect(try await store.releaseLeases(c) == 6)  // graceful shutdown gives them back
      #expect(try await store.openJobs(kind: "test") == 6)
      let again = try await store.claim(a, limit: 10, leaseSeconds: 60)
      #expect(again.count == 6)
      #expect(try await store.complete(again.map(\.id), by: a) == 6)
      #expect(try await store.complete(byB.map(\.id), by: b) == 0)  // b comes back late: nothing changes
      #expect(try await store.openJobs(kind: "test") == 0)
    }
  }

  @Test func theHeartbeatRenewsOnlyTheJobsNamed() async throws {
    try await withStore { store, _ in
      try await store.enqueue(kind: "beat", jobs: [(key: "1", payload: "{}"), (key: "2", payload: "{}")])
      let a = QueueWorker(id: "a", kind: "beat", release: ExamKitRelease.version)
      let b = QueueWorker(id: "b", kind: "beat", release: ExamKitRelease.version)
      for w in [a, b] { try await store.register(w) }
      let claimed = try await store.claim(a, limit: 2, leaseSeconds: 0.3)
      #expect(claimed.count == 2)
      // `a` holds only the first in hand (the reply of the second claim was lost, say): only that one is renewed.
      #expect(try await store.renewLeases(a, jobIds: [claimed[0].id], leaseSeconds: 60) == 1)
      #expect(try await store.renewLeases(b, jobIds: [claimed[0].id], leaseSeconds: 60) == 0)  // not b's
      try await Task.sleep(for: .milliseconds(600))
      #expect(try await store.claim(b, limit: 2, leaseSeconds: 60).map(\.key) == ["2"])
    }
  }

  @Test func aWorkerOfAnotherReleaseIsRefused() async throws {
    try await withStore { store, _ in
      try await store.enqueue(kind: "score", jobs: [(key: "1", payload: "{}")])
      let old = QueueWorker(id: "old", kind: "score", release: "2020.1.0")
      do {
        try await store.register(old)
        Issue.record("a worker of another release was accepted")
      } catch let error as ExamError {
        #expect(
          error.code == .conflict && error.message.contains("2020.1.0")
            && error.message.contains(ExamKitRelease.version))
      }
    }
  }

  @Test func notifyWakesAnIdleWorker() async throws {
    try await withStore { store, _ in
      let started = ContinuousClock.now
      async let woke: Void = store.waitForWork(kind: "wake", timeoutSeconds: 60)
      try await Task.sleep(for: .milliseconds(500))
      try await store.enqueue(kind: "wake", jobs: [(key: "1", payload: "{}")])
      try await woke
      #expect(ContinuousClock.now - started < .seconds(30))  // woken by NOTIFY, not by the 60 s timeout
    }
  }

  @Test func scoresAreWrittenOnceWhenTwoWorkersFinishOneJob() async throws {
    try await withStore { store, _ in
      let exam = SampleData.exam()
      let recordings = (1...3).map { (n: Int) -> StoredRecording in
        let session: String? = n == 1 ? nil : "AM"
        let seat: String? = n == 2 ? "A01" : nil
        let flags: [String] = n == 3 ? ["silent", "clipped"] : []
        return StoredRecording(
          id: Int64(n), examId: exam.id, candidateId: "C\(n)", itemId: "SA1", originalSha256: "o\(n)",
          originalName: "a.wav", storedSha256: String(repeating: "\(n)", count: 64), durationSeconds: 3,
          originalSampleRate: 16_000, originalChannels: 1, originalFormat: "WAV", centreId: "T1",
          sessionId: session, seatId: seat, recordedAt: "r\(n)", ingestedAt: "i\(n)", batchId: "b1", flags: flags)
      }
      let audit = AuditEntry(
        at: "2026-06-14T12:00:00Z", operator: "t", command: "score publish", arguments: "", summary: "")
      let candidates = (1...3).map { n in
        Candidate(id: "C\(n)", name: "N\(n)", nationalId: "ID\(n)", school: "S", district: "D")
      }
      func publish() async throws -> Int {
        try await store.publishForScoring(
          exams: [exam], candidates: candidates, recordings: recordings, model: ("m1", "{}"), audit: audit)
      }
      #expect(try await publish() == 3)
      #expect(try await publish() == 0)
      let slow = QueueWorker(id: "slow", kind: "score", release: ExamKitRelease.version)
      let fast = QueueWorker(id: "fast", kind: "score", release: ExamKitRelease.version)
      let first = try await store.claim(slow, limit: 3, leaseSeconds: 0.2)
      try await Task.sleep(for: .milliseconds(600))
      let second = try await store.claim(fast, limit: 3, leaseSeconds: 60)
      #expect(first.map(\.id) == second.map(\.id))
      let claimed = try await store.scoringJobs(second)
      #expect(claimed.map(\.recording) == recordings)  // every column published, read back
      func scores(_ points: Double) -> [MachineScore] {
        recordings.map { r in
          MachineScore(
            recordingId: r.id!, examId: r.examId, candidateId: r.candidateId, itemId: r.itemId,
            features: ["duration_s": 3], aspects: ["total": points], points: points, confidence: 0.9,
            needsHuman: false, reason: "confident", modelVersion: "m1", scoredAt: "t")
        }
      }
      #expect(try await store.completeScoring(second.map(\.id), scores: scores(1), by: fast, audit: audit) == 3)
      #expect(try await store.completeScoring(first.map(\.id), scores: scores(0.5), by: slow, audit: audit) == 0)
      #expect(try await store.completeScoring(second.map(\.id), scores: scores(1), by: fast, audit: audit) == 0)
      let stored = try await store.allMachineScores()
      #expect(stored.map(\.points) == [1, 1, 1])  // the first writer's scores stand
      #expect(try await store.machineMarkCounts() == [1: 1, 2: 1, 3: 1])
      let status = try await store.scoringStatus()
      #expect(status.total == 3 && status.done == 3 && status.retried == 3)
      // Published again after scoring: nothing is queued twice.
      #expect(try await publish() == 0)
      // Another recording under a published id (one ingested into this database directly) is refused.
      var other = recordings
      other[0].storedSha256 = String(repeating: "f", count: 64)
      let clash = await #expect(throws: ExamError.self) {
        try await store.publishForScoring(
          exams: [exam], candidates: candidates, recordings: other, model: ("m1", "{}"), audit: audit)
      }
      #expect(clash?.code == .conflict && clash?.location == "recording 1")
    }
  }
}
