import ExamCore

/// What `exam serve` keeps, on either backend: the centres' access tokens (their SHA-256 only), the resumable
/// uploads and where each stands, the office's status board, and the marking desk's accounts and sessions. With
/// the capabilities before it (answers, proctoring, marking), one `exam serve` runs on SQLite or PostgreSQL alike;
/// the tests run the same cases on both backends (`TestBackend`).
public protocol ServerStore: RecordsStore {
  // Access tokens
  /// Stores a new token (its hash only) with its audit line.
  /// - Throws: `ExamError.notFound` when a centre token names a centre the store does not hold.
  func issueToken(_ token: AccessToken, tokenSha256: String, audit: AuditEntry) async throws
  /// Every token, newest first (revoked ones too).
  func accessTokens() async throws -> [AccessToken]
  /// The unrevoked token whose secret hashes to `tokenSha256`, or nil (read on every request).
  func activeToken(sha256 tokenSha256: String) async throws -> AccessToken?
  /// Revokes token `id` (with its audit line) and returns it; a token revoked before is returned unchanged.
  /// - Throws: `ExamError.notFound` when no token has this id.
  func revokeToken(id: String, at: String, by revoker: String, audit: AuditEntry) async throws -> AccessToken

  // Uploads
  /// Registers a new upload (tus creation) with its audit line.
  func createUpload(_ upload: UploadRecord, audit: AuditEntry) async throws
  /// The upload with this id, or nil.
  func upload(id: String) async throws -> UploadRecord?
  /// Uploads in one of `states` (of one centre, when given), oldest first.
  func uploads(centreId: String?, states: [UploadState]) async throws -> [UploadRecord]
  /// Records that the bytes up to `offsetBytes` are on disk: only from `expectedOffset` and while receiving.
  /// - Returns: whether it moved (false: another request moved it first).
  func advanceUpload(id: String, from expectedOffset: Int64, to offsetBytes: Int64, expiresAt: String) async throws
    -> Bool
  /// Moves upload `id` to `state` (with the fields that go with it) in one transaction with its audit line.
  func setUploadState(
    id: String, to state: UploadState, at: String, batchId: String?, reportJSON: String?, errorJSON: String?,
    audit: AuditEntry) async throws
  /// Moves upload `id` from `ingesting` to `done` or `failed` (with the report or the error) and writes the audit
  /// line, in one transaction — only when it is still `ingesting`, so of two servers or workers that ingested it, one
  /// records the outcome. Returns whether it moved.
  func finishUpload(
    id: String, to state: UploadState, at: String, batchId: String?, reportJSON: String?, errorJSON: String?,
    audit: AuditEntry
  ) async throws -> Bool

  // The office's status board
  /// Expected / received / refused answers per centre and session of `examId`, by centre then session.
  func centreSessionStatus(examId: String) async throws -> [CentreSessionStatus]
  /// Keys `candidate|item` of the answers stored for the candidates allocated at `centreId`.
  func receivedAnswerKeys(examId: String, centreId: String) async throws -> Set<String>

  // The marking desk's accounts and sessions
  /// Adds raters (or updates known ones) and gives each an account with `roles[id]` (default `rater`), with the
  /// audit line; an existing account keeps its password and lock state but takes the role given.
  func importRaterAccounts(_ raters: [Rater], roles: [String: RaterAccount.Role], at: String, audit: AuditEntry)
    async throws
  /// Every account with its rater, by rater id.
  func raterAccounts() async throws -> [RaterAccount]
  /// The account of `raterId` and its password hash (nil when none is set), or nil when there is no account.
  func raterAccount(id raterId: String) async throws -> (account: RaterAccount, passwordHash: String?)?
  /// Sets the password hash, clears the lock-out and ends the account's sessions, with the audit line.
  /// - Throws: `ExamError.notFound` when the rater has no account.
  func setRaterPassword(raterId: String, passwordHash: String, at: String, audit: AuditEntry) async throws
  /// Disables (or enables again) an account; disabling ends its sessions. With the audit line.
  /// - Throws: `ExamError.notFound` when the rater has no account.
  func setRaterDisabled(raterId: String, disabled: Bool, audit: AuditEntry) async throws
  /// Counts a wrong password and locks the account until `lockUntil` once `maximumFailures` are reached in a row,
  /// with the audit line. Returns the failures in a row and the lock's end, when locked.
  func recordLoginFailure(raterId: String, maximumFailures: Int, lockUntil: String, audit: AuditEntry) async throws
    -> (failures: Int, lockedUntil: String?)
  /// Starts a session (the cookie's SHA-256 only), resets the wrong-password count and drops the rater's expired
  /// sessions, with the audit line.
  func beginDeskSession(_ session: DeskSession, tokenSha256: String, audit: AuditEntry) async throws
  /// The live session whose cookie hashes to `tokenSha256` (not expired at `now`, account enabled), or nil.
  func deskSession(tokenSha256: String, now: String) async throws -> DeskSession?
  /// Ends the session whose cookie hashes to `tokenSha256`, with the audit line when there was one.
  func endDeskSession(tokenSha256: String, audit: AuditEntry) async throws
}

extension ExamDatabase: ServerStore {}
