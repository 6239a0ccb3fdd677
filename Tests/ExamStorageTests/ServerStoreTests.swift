import ExamCore
import ExamStorage
import Testing
import _ExamTestSupport

/// `ServerStore` on both backends: tokens, uploads, the status board and the desk's accounts and sessions give the
/// same answers and the same errors on SQLite and PostgreSQL.
@Suite struct ServerStoreTests {
  let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "t", command: "test", arguments: "", summary: "")

  /// Centres T1 and T2 (one room R1 each) and session AM.
  func venues(_ db: any ServerStore) async throws {
    _ = try await db.replaceVenues(
      centres: [SampleData.centre(id: "T1"), SampleData.centre(id: "T2")], sessions: [SampleData.session],
      adjacency: [], audit: audit)
  }

  func token(_ id: String, centre: String?, at: String) -> AccessToken {
    AccessToken(
      id: id, role: centre == nil ? .office : .centre, centreId: centre, label: "L\(id)", issuedAt: at,
      issuedBy: "ops")
  }

  func upload(_ id: String, centre: String, at: String) -> UploadRecord {
    UploadRecord(
      id: id, tokenId: "t\(centre)", centreId: centre, sessionId: centre == "T1" ? "AM" : nil, fileName: "\(id).zip",
      lengthBytes: 1000, createdAt: at, expiresAt: "2026-06-15T00:00:00Z")
  }

  /// `venues` and a token for each centre (`tT1`, `tT2`).
  func centreTokens(_ db: any ServerStore) async throws {
    try await venues(db)
    for centre in ["T1", "T2"] {
      try await db.issueToken(
        token("t\(centre)", centre: centre, at: "2026-06-14T07:00:00Z"), tokenSha256: "h-\(centre)", audit: audit)
    }
  }

  // MARK: Tokens

  @Test(arguments: TestBackend.all) func tokensAreIssuedListedAndRevoked(backend: TestBackend) async throws {
    try await backend.withServerStore { (db: any ServerStore) async throws in
      // No centres yet: a centre token is refused and says what to do.
      let early = await #expect(throws: ExamError.self) {
        try await db.issueToken(token("t0", centre: "T1", at: "2026-06-14T07:00:00Z"), tokenSha256: "h0", audit: audit)
      }
      #expect(early?.code == .notFound && early?.location == "--centre T1")
      #expect(early?.fix == "import the centres first (exam centres import)")
      try await venues(db)
      let first = token("t1", centre: "T1", at: "2026-06-14T08:00:00Z")
      let office = token("o1", centre: nil, at: "2026-06-14T09:00:00Z")
      let second = token("t2", centre: "T2", at: "2026-06-14T09:00:00Z")
      for (t, hash) in [(first, "h1"), (office, "ho"), (second, "h2")] {
        try await db.issueToken(t, tokenSha256: hash, audit: audit)
      }
      let unknown = await #expect(throws: ExamError.self) {
        try await db.issueToken(token("t9", centre: "T9", at: "2026-06-14T10:00:00Z"), tokenSha256: "h9", audit: audit)
      }
      #expect(unknown?.code == .notFound && unknown?.location == "--centre T9")
      #expect(unknown?.message == "no such centre in the store" && unknown?.fix == "use one of: T1, T2")

      // Newest first; of one time, by id.
      #expect(try await db.accessTokens() == [office, second, first])
      #expect(try await db.activeToken(sha256: "h1") == first)
      #expect(try await db.activeToken(sha256: "ho") == office)
      #expect(try await db.activeToken(sha256: "nothing") == nil)

      let auditLines = try await db.auditTrail(limit: nil).count
      var revoked = first
      revoked.revokedAt = "2026-06-14T11:00:00Z"
      revoked.revokedBy = "boss"
      #expect(try await db.revokeToken(id: "t1", at: "2026-06-14T11:00:00Z", by: "boss", audit: audit) == revoked)
      #expect(try await db.activeToken(sha256: "h1") == nil)
      // Revoked before: returned unchanged, nothing written.
      #expect(try await db.revokeToken(id: "t1", at: "2026-06-14T12:00:00Z", by: "other", audit: audit) == revoked)
      #expect(try await db.auditTrail(limit: nil).count == auditLines + 1)
      #expect(try await db.accessTokens() == [office, second, revoked])

      let missing = await #expect(throws: ExamError.self) {
        try await db.revokeToken(id: "nope", at: "2026-06-14T12:00:00Z", by: "boss", audit: audit)
      }
      #expect(missing?.code == .notFound && missing?.location == "token nope")
      #expect(missing?.message == "no token has this id")
    }
  }

  // MARK: Uploads

  @Test(arguments: TestBackend.all) func uploadsMoveForwardOnce(backend: TestBackend) async throws {
    try await backend.withServerStore { (db: any ServerStore) async throws in
      try await centreTokens(db)
      let (u1, u2, u3) = (
        upload("u1", centre: "T1", at: "2026-06-14T08:00:00Z"), upload("u2", centre: "T2", at: "2026-06-14T08:05:00Z"),
        upload("u3", centre: "T1", at: "2026-06-14T08:10:00Z")
      )
      for u in [u3, u1, u2] { try await db.createUpload(u, audit: audit) }
      #expect(try await db.upload(id: "u1") == u1)
      #expect(try await db.upload(id: "nope") == nil)
      #expect(try await db.uploads(centreId: nil, states: [.receiving]) == [u1, u2, u3])
      #expect(try await db.uploads(centreId: "T1", states: [.receiving]) == [u1, u3])
      #expect(try await db.uploads(centreId: "T1", states: [.done, .failed]).isEmpty)
      #expect(try await db.uploads(centreId: nil, states: []).isEmpty)

      // A compare-and-set on the offset: a request from a stale offset does not move it.
      #expect(try await db.advanceUpload(id: "u1", from: 0, to: 600, expiresAt: "2026-06-15T01:00:00Z"))
      #expect(!(try await db.advanceUpload(id: "u1", from: 0, to: 300, expiresAt: "2026-06-15T02:00:00Z")))
      #expect(try await db.advanceUpload(id: "u1", from: 600, to: 1000, expiresAt: "2026-06-15T03:00:00Z"))
      #expect(!(try await db.advanceUpload(id: "nope", from: 0, to: 10, expiresAt: "2026-06-15T03:00:00Z")))
      var moved = u1
      moved.offsetBytes = 1000
      moved.expiresAt = "2026-06-15T03:00:00Z"
      #expect(try await db.upload(id: "u1") == moved)

      // Every byte is there: ingesting, with the time it arrived; no more progress once it is not receiving.
      try await db.setUploadState(
        id: "u1", to: .ingesting, at: "2026-06-14T09:00:00Z", batchId: nil, reportJSON: nil, errorJSON: nil,
        audit: audit)
      moved.state = .ingesting
      moved.receivedAt = "2026-06-14T09:00:00Z"
      #expect(try await db.upload(id: "u1") == moved)
      #expect(!(try await db.advanceUpload(id: "u1", from: 1000, to: 1000, expiresAt: "2026-06-15T04:00:00Z")))
      #expect(try await db.uploads(centreId: "T1", states: [.ingesting]) == [moved])
      #expect(try await db.uploads(centreId: nil, states: [.receiving, .ingesting]) == [moved, u2, u3])

      // The outcome is recorded once: a second worker's finds it done.
      let auditLines = try await db.auditTrail(limit: nil).count
      #expect(
        try await db.finishUpload(
          id: "u1", to: .done, at: "2026-06-14T09:30:00Z", batchId: "b1", reportJSON: "{\"ok\":1}", errorJSON: nil,
          audit: audit))
      #expect(
        !(try await db.finishUpload(
          id: "u1", to: .failed, at: "2026-06-14T09:31:00Z", batchId: nil, reportJSON: nil, errorJSON: "{}",
          audit: audit)))
      #expect(
        !(try await db.finishUpload(
          id: "u2", to: .done, at: "2026-06-14T09:31:00Z", batchId: "b2", reportJSON: "{}", errorJSON: nil,
          audit: audit)))  // still receiving
      #expect(try await db.auditTrail(limit: nil).count == auditLines + 1)
      moved.state = .done
      moved.finishedAt = "2026-06-14T09:30:00Z"
      moved.batchId = "b1"
      moved.reportJSON = "{\"ok\":1}"
      #expect(try await db.upload(id: "u1") == moved)
      #expect(try await db.upload(id: "u2") == u2)

      // Done again without a batch or a report: those it had are kept.
      try await db.setUploadState(
        id: "u1", to: .done, at: "2026-06-14T10:00:00Z", batchId: nil, reportJSON: nil, errorJSON: nil, audit: audit)
      moved.finishedAt = "2026-06-14T10:00:00Z"
      #expect(try await db.upload(id: "u1") == moved)
      try await db.setUploadState(
        id: "u3", to: .terminated, at: "2026-06-14T10:05:00Z", batchId: nil, reportJSON: nil, errorJSON: nil,
        audit: audit)
      var terminated = u3
      terminated.state = .terminated
      terminated.finishedAt = "2026-06-14T10:05:00Z"
      #expect(try await db.upload(id: "u3") == terminated)
      #expect(try await db.uploads(centreId: nil, states: [.done, .terminated]) == [moved, terminated])
      #expect(try await db.auditTrail(limit: nil).count == auditLines + 3)
    }
  }

  // MARK: The status board

  @Test(arguments: TestBackend.all) func statusBoardCountsAnswersByCentreAndSession(backend: TestBackend)
    async throws
  {
    try await backend.withServerStore { (db: any ServerStore) async throws in
      _ = try await db.importExam(SampleData.exam(), audit: audit)  // items LA1 and SA1
      _ = try await db.importCandidates((1...4).map { SampleData.candidate($0) }, audit: audit)
      try await centreTokens(db)
      #expect(try await db.centreSessionStatus(examId: "E1").isEmpty)
      // C1 and C2 at T1, C3 at T2; C4 is not allocated.
      try await db.replaceAllocation(
        examId: "E1",
        [
          SeatAssignment(examId: "E1", candidateId: "C1", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "1-1"),
          SeatAssignment(examId: "E1", candidateId: "C2", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "1-2"),
          SeatAssignment(examId: "E1", candidateId: "C3", sessionId: "AM", centreId: "T2", roomId: "R1", seatId: "1-1"),
        ], audit: audit)
      func recording(_ candidate: String, centre: String, _ sha: Character) -> StoredRecording {
        StoredRecording(
          examId: "E1", candidateId: candidate, itemId: "SA1", originalSha256: String(repeating: sha, count: 64),
          originalName: "a.wav", storedSha256: String(repeating: sha, count: 64), durationSeconds: 3,
          originalSampleRate: 16000, originalChannels: 1, originalFormat: "WAV/PCM_16", centreId: centre,
          recordedAt: "2026-06-14T08:40:00Z", ingestedAt: "2026-06-14T12:00:00Z", batchId: "b1")
      }
      // C1's answer twice (two versions: one answer), C1's listening choice, C3's answer and C4's.
      _ = try await db.insertAnswers(
        recordings: [recording("C1", centre: "T1", "1"), recording("C3", centre: "T2", "3")],
        listening: [
          ListeningAnswer(
            examId: "E1", candidateId: "C1", itemId: "LA1", choice: "B", answeredAt: "2026-06-14T08:35:00Z",
            centreId: "T1", batchId: "b1")
        ], audit: nil)
      _ = try await db.insertAnswers(
        recordings: [recording("C1", centre: "T1", "2"), recording("C4", centre: "T1", "4")], listening: [],
        audit: nil)
      // T1's batch refused a file of C2 and a row of a candidate not allocated there (C3, at T2).
      _ = try await db.beginIngestBatch(
        id: "b1", examId: "E1", centreId: "T1", sessionId: "AM", source: "b1.zip", at: "2026-06-14T11:00:00Z",
        audit: audit)
      func refused(_ file: String, _ candidate: String) -> QuarantineRecord {
        QuarantineRecord(
          batchId: "b1", file: file, line: nil, candidateId: candidate, itemId: "SA1", reason: "silent",
          message: "no speech", quarantinedAs: nil, at: "2026-06-14T11:30:00Z")
      }
      try await db.finishIngestBatch(
        id: "b1", at: "2026-06-14T11:30:00Z", reportJSON: "{}", quarantine: [refused("a", "C2"), refused("b", "C3")],
        audit: audit)
      // Uploads: one of T1 receiving, one of T2 that arrived after T1's batch finished.
      try await db.createUpload(upload("u1", centre: "T1", at: "2026-06-14T08:00:00Z"), audit: audit)
      try await db.createUpload(upload("u2", centre: "T2", at: "2026-06-14T08:00:00Z"), audit: audit)
      try await db.setUploadState(
        id: "u2", to: .ingesting, at: "2026-06-14T12:00:00Z", batchId: nil, reportJSON: nil, errorJSON: nil,
        audit: audit)

      // centre / session: expected, received, refused, uploads in flight, last arrival
      #expect(
        try await db.centreSessionStatus(examId: "E1").map {
          "\($0.centreId)/\($0.sessionId): \($0.expected) \($0.received) \($0.refused) \($0.uploadsInFlight) "
            + ($0.lastUploadAt ?? "-")
        } == [
          "T1/: 0 0 1 1 2026-06-14T11:30:00Z", "T1/AM: 4 2 1 1 2026-06-14T11:30:00Z",
          "T2/AM: 2 1 0 1 2026-06-14T12:00:00Z",
        ])
      #expect(try await db.centreSessionStatus(examId: "E2").isEmpty)
      #expect(try await db.receivedAnswerKeys(examId: "E1", centreId: "T1") == ["C1|SA1", "C1|LA1"])
      #expect(try await db.receivedAnswerKeys(examId: "E1", centreId: "T2") == ["C3|SA1"])
      #expect(try await db.receivedAnswerKeys(examId: "E2", centreId: "T1").isEmpty)
    }
  }

  // MARK: The desk's accounts and sessions

  @Test(arguments: TestBackend.all) func raterAccountsKeepTheirPasswordsAndLockOut(backend: TestBackend)
    async throws
  {
    try await backend.withServerStore { (db: any ServerStore) async throws in
      let raters = [
        Rater(id: "R2", name: "Wang", school: "S9"), Rater(id: "R1", name: "Li", school: "S8"),
        Rater(id: "R1", name: "Li Wei", school: "S8"),
      ]
      try await db.importRaterAccounts(raters, roles: ["R2": .arbiter], at: "2026-06-14T00:00:00Z", audit: audit)
      let li = RaterAccount(rater: Rater(id: "R1", name: "Li Wei", school: "S8"), role: .rater)
      let wang = RaterAccount(rater: Rater(id: "R2", name: "Wang", school: "S9"), role: .arbiter)
      #expect(try await db.raterAccounts() == [li, wang])
      #expect(try await db.raters().map(\.id) == ["R1", "R2"])
      #expect(try await db.raterAccount(id: "R9") == nil)
      #expect(try await db.raterAccount(id: "R1")?.passwordHash == nil)

      try await db.setRaterPassword(raterId: "R1", passwordHash: "hash1", at: "2026-06-14T01:00:00Z", audit: audit)
      var withPassword = li
      withPassword.hasPassword = true
      #expect(try await db.raterAccount(id: "R1")?.account == withPassword)
      #expect(try await db.raterAccount(id: "R1")?.passwordHash == "hash1")

      // Imported again: the new role and school, the same password.
      try await db.importRaterAccounts(
        [Rater(id: "R1", name: "Li Wei", school: "S7")], roles: ["R1": .office], at: "2026-06-14T02:00:00Z",
        audit: audit)
      withPassword.role = .office
      withPassword.rater.school = "S7"
      #expect(try await db.raterAccounts() == [withPassword, wang])
      #expect(try await db.raterAccount(id: "R1")?.passwordHash == "hash1")

      // Wrong passwords: counted, and locked at the third (the count starts again).
      let lockUntil = "2026-06-14T03:15:00Z"
      for expected in 1...2 {
        let outcome = try await db.recordLoginFailure(
          raterId: "R1", maximumFailures: 3, lockUntil: lockUntil, audit: audit)
        #expect(outcome.failures == expected && outcome.lockedUntil == nil)
      }
      #expect(try await db.raterAccount(id: "R1")?.account.failedLogins == 2)
      let third = try await db.recordLoginFailure(raterId: "R1", maximumFailures: 3, lockUntil: lockUntil, audit: audit)
      #expect(third.failures == 3 && third.lockedUntil == lockUntil)
      var locked = withPassword
      locked.lockedUntil = lockUntil
      #expect(try await db.raterAccount(id: "R1")?.account == locked)
      let nobody = try await db.recordLoginFailure(
        raterId: "R9", maximumFailures: 3, lockUntil: lockUntil, audit: audit)
      #expect(nobody.failures == 0 && nobody.lockedUntil == nil)

      // A new password clears the lock.
      try await db.setRaterPassword(raterId: "R1", passwordHash: "hash2", at: "2026-06-14T04:00:00Z", audit: audit)
      #expect(try await db.raterAccount(id: "R1")?.account == withPassword)
      #expect(try await db.raterAccount(id: "R1")?.passwordHash == "hash2")

      // No account: refused, nothing written.
      let auditLines = try await db.auditTrail(limit: nil).count
      let noPassword = await #expect(throws: ExamError.self) {
        try await db.setRaterPassword(raterId: "R9", passwordHash: "h", at: "2026-06-14T05:00:00Z", audit: audit)
      }
      let noDisable = await #expect(throws: ExamError.self) {
        try await db.setRaterDisabled(raterId: "R9", disabled: true, audit: audit)
      }
      for error in [noPassword, noDisable] {
        #expect(error?.code == .notFound && error?.location == "rater R9" && error?.message == "has no desk account")
      }
      #expect(try await db.auditTrail(limit: nil).count == auditLines)
    }
  }

  @Test(arguments: TestBackend.all) func deskSessionsLiveUntilTheyExpireOrEnd(backend: TestBackend) async throws {
    try await backend.withServerStore { (db: any ServerStore) async throws in
      try await db.importRaterAccounts(
        [Rater(id: "R1", name: "Li", school: "S8"), Rater(id: "R2", name: "Wang", school: "S9")],
        roles: ["R2": .arbiter], at: "2026-06-14T00:00:00Z", audit: audit)
      func session(_ rater: String, from: String, to: String) -> DeskSession {
        DeskSession(
          raterId: rater, role: rater == "R2" ? .arbiter : .rater, csrfToken: "csrf-\(rater)-\(from)",
          createdAt: "2026-06-14T\(from):00Z", expiresAt: "2026-06-14T\(to):00Z",
          raterName: rater == "R2" ? "Wang" : "Li")
      }
      func live(_ token: String, at time: String) async throws -> DeskSession? {
        try await db.deskSession(tokenSha256: token, now: "2026-06-14T\(time):00Z")
      }
      let early = session("R1", from: "07:00", to: "09:00")
      try await db.beginDeskSession(early, tokenSha256: "old", audit: audit)
      #expect(try await live("old", at: "08:00") == early)

      // Logging in again drops the expired session and the wrong-password count.
      _ = try await db.recordLoginFailure(
        raterId: "R1", maximumFailures: 5, lockUntil: "2026-06-14T11:00:00Z", audit: audit)
      let first = session("R1", from: "10:00", to: "18:00")
      try await db.beginDeskSession(first, tokenSha256: "s1", audit: audit)
      #expect(try await live("old", at: "08:00") == nil)
      #expect(try await db.raterAccount(id: "R1")?.account.failedLogins == 0)
      #expect(try await live("s1", at: "12:00") == first)
      #expect(try await live("s1", at: "18:00") == nil)  // expired
      #expect(try await live("nothing", at: "12:00") == nil)

      // Logout: the audit line only when there was a session.
      let auditLines = try await db.auditTrail(limit: nil).count
      try await db.endDeskSession(tokenSha256: "s1", audit: audit)
      #expect(try await live("s1", at: "12:00") == nil)
      try await db.endDeskSession(tokenSha256: "s1", audit: audit)
      #expect(try await db.auditTrail(limit: nil).count == auditLines + 1)

      // Disabling ends the sessions; a session of a disabled account is not live until it is enabled again.
      let second = session("R2", from: "10:00", to: "18:00")
      try await db.beginDeskSession(second, tokenSha256: "s2", audit: audit)
      try await db.beginDeskSession(session("R1", from: "11:00", to: "18:00"), tokenSha256: "s3", audit: audit)
      try await db.setRaterDisabled(raterId: "R2", disabled: true, audit: audit)
      #expect(try await db.raterAccount(id: "R2")?.account.disabled == true)
      #expect(try await live("s2", at: "12:00") == nil)
      #expect(try await live("s3", at: "12:00") != nil)  // another rater's
      try await db.beginDeskSession(second, tokenSha256: "s4", audit: audit)
      #expect(try await live("s4", at: "12:00") == nil)
      try await db.setRaterDisabled(raterId: "R2", disabled: false, audit: audit)
      #expect(try await live("s4", at: "12:00") == second)
      #expect(try await live("s2", at: "12:00") == nil)  // ended when disabled

      // A new password ends the account's sessions too.
      try await db.setRaterPassword(raterId: "R1", passwordHash: "h", at: "2026-06-14T12:00:00Z", audit: audit)
      #expect(try await live("s3", at: "12:00") == nil)
      #expect(try await live("s4", at: "12:00") == second)
    }
  }
}
