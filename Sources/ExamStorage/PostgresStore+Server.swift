import ExamCore
import PostgresNIO

/// `ServerStore` on PostgreSQL: `exam serve`'s tokens, uploads, status board and desk accounts — the same behaviour
/// as `ExamDatabase`'s methods of the same names (the tests run both). Text is compared and ordered as SQLite does
/// (`COLLATE "C"`, byte order), whatever the database's locale.
extension PostgresStore: ServerStore {
  // MARK: Access tokens

  /// As `ExamDatabase.issueToken`: a centre token must name a stored centre.
  public func issueToken(_ token: AccessToken, tokenSha256: String, audit: AuditEntry) async throws {
    try await retrying("issue token \(token.id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        if let centre = token.centreId {
          var exists = false
          for try await _ in try await connection.query(
            "SELECT 1 FROM centre WHERE id = \(centre)", logger: logger
          ).decode(Int.self) { exists = true }
          guard exists else {
            var known: [String] = []
            for try await id in try await connection.query(
              "SELECT id FROM centre ORDER BY id COLLATE \"C\" LIMIT 20", logger: logger
            ).decode(String.self) { known.append(id) }
            throw ExamError(
              .notFound, location: "--centre \(centre)", "no such centre in the store",
              fix: known.isEmpty
                ? "import the centres first (exam centres import)" : "use one of: \(known.joined(separator: ", "))")
          }
        }
        try await connection.query(
          """
          INSERT INTO access_token (id, role, centre_id, token_sha256, label, issued_at, issued_by)
          VALUES (\(token.id), \(token.role.rawValue), \(token.centreId), \(tokenSha256), \(token.label),
            \(token.issuedAt), \(token.issuedBy))
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  public func accessTokens() async throws -> [AccessToken] {
    try await tokens(
      "read the access tokens",
      "SELECT \(unescaped: Self.tokenColumns) FROM access_token ORDER BY issued_at COLLATE \"C\" DESC, id COLLATE \"C\""
    )
  }

  public func activeToken(sha256 tokenSha256: String) async throws -> AccessToken? {
    try await tokens(
      "read an access token",
      """
      SELECT \(unescaped: Self.tokenColumns) FROM access_token WHERE token_sha256 = \(tokenSha256) AND revoked_at IS NULL
      """
    ).first
  }

  /// As `ExamDatabase.revokeToken`; the row is locked first, so of two revocations at once one writes.
  public func revokeToken(id: String, at: String, by revoker: String, audit: AuditEntry) async throws -> AccessToken {
    try await retrying("revoke token \(id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var found: AccessToken?
        for try await row in try await connection.query(
          "SELECT \(unescaped: Self.tokenColumns) FROM access_token WHERE id = \(id) FOR UPDATE", logger: logger)
        { found = try Self.accessToken(row) }
        guard var token = found else {
          throw ExamError(
            .notFound, location: "token \(id)", "no token has this id",
            fix: "list the tokens with `exam centres tokens list` and give the id of the first column")
        }
        guard token.revokedAt == nil else { return token }
        try await connection.query(
          "UPDATE access_token SET revoked_at = \(at), revoked_by = \(revoker) WHERE id = \(id)", logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
        token.revokedAt = at
        token.revokedBy = revoker
        return token
      }
    }
  }

  static let tokenColumns = "id, role, centre_id, label, issued_at, issued_by, revoked_at, revoked_by"

  static func accessToken(_ row: PostgresRow) throws -> AccessToken {
    let (id, role, centre, label, issuedAt, issuedBy, revokedAt, revokedBy) = try row.decode(
      (String, String, String?, String, String, String, String?, String?).self)
    var token = AccessToken(
      id: id, role: AccessToken.Role(rawValue: role) ?? .centre, centreId: centre, label: label, issuedAt: issuedAt,
      issuedBy: issuedBy)
    token.revokedAt = revokedAt
    token.revokedBy = revokedBy
    return token
  }

  func tokens(_ what: String, _ query: PostgresQuery) async throws(ExamError) -> [AccessToken] {
    try await retrying(what) { [self] in
      var out: [AccessToken] = []
      for try await row in try await client.query(query, logger: logger) { out.append(try Self.accessToken(row)) }
      return out
    }
  }

  // MARK: Uploads

  public func createUpload(_ upload: UploadRecord, audit: AuditEntry) async throws {
    let u = upload
    try await retrying("register upload \(upload.id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query(
          """
          INSERT INTO upload (id, token_id, centre_id, session_id, file_name, length_bytes, offset_bytes, state,
            created_at, expires_at)
          VALUES (\(u.id), \(u.tokenId), \(u.centreId), \(u.sessionId), \(u.fileName), \(u.lengthBytes),
            \(u.offsetBytes), \(u.state.rawValue), \(u.createdAt), \(u.expiresAt))
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  public func upload(id: String) async throws -> UploadRecord? {
    try await uploads("read upload \(id)", "SELECT \(unescaped: Self.uploadColumns) FROM upload WHERE id = \(id)").first
  }

  public func uploads(centreId: String?, states: [UploadState]) async throws -> [UploadRecord] {
    try await uploads(
      "read the uploads",
      """
      SELECT \(unescaped: Self.uploadColumns) FROM upload
      WHERE state = ANY(\(states.map(\.rawValue))::text[]) AND (\(centreId == nil) OR centre_id = \(centreId ?? ""))
      ORDER BY created_at COLLATE "C", id COLLATE "C"
      """)
  }

  /// As `ExamDatabase.advanceUpload`: a compare-and-set on the offset, without an audit line.
  public func advanceUpload(id: String, from expectedOffset: Int64, to offsetBytes: Int64, expiresAt: String)
    async throws -> Bool
  {
    try await retrying("record the progress of upload \(id)") { [self] in
      var changed = 0
      for try await _ in try await client.query(
        """
        UPDATE upload SET offset_bytes = \(offsetBytes), expires_at = \(expiresAt)
        WHERE id = \(id) AND offset_bytes = \(expectedOffset) AND state = 'receiving' RETURNING 1
        """, logger: logger
      ).decode(Int.self) { changed += 1 }
      return changed == 1
    }
  }

  public func setUploadState(
    id: String, to state: UploadState, at: String, batchId: String?, reportJSON: String?, errorJSON: String?,
    audit: AuditEntry
  ) async throws {
    try await retrying("move upload \(id) to \(state.rawValue)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let query: PostgresQuery =
          switch state {
          case .receiving: "UPDATE upload SET state = \(state.rawValue) WHERE id = \(id)"
          case .ingesting: "UPDATE upload SET state = \(state.rawValue), received_at = \(at) WHERE id = \(id)"
          case .done, .failed, .terminated:
            """
            UPDATE upload SET state = \(state.rawValue), finished_at = \(at), batch_id = COALESCE(\(batchId), batch_id),
              report_json = COALESCE(\(reportJSON), report_json), error_json = COALESCE(\(errorJSON), error_json)
            WHERE id = \(id)
            """
          }
        try await connection.query(query, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  /// As `ExamDatabase.finishUpload`: only from `ingesting`, and the audit line only when it moved.
  public func finishUpload(
    id: String, to state: UploadState, at: String, batchId: String?, reportJSON: String?, errorJSON: String?,
    audit: AuditEntry
  ) async throws -> Bool {
    try await retrying("record the outcome of upload \(id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var changed = 0
        for try await _ in try await connection.query(
          """
          UPDATE upload SET state = \(state.rawValue), finished_at = \(at), batch_id = COALESCE(\(batchId), batch_id),
            report_json = COALESCE(\(reportJSON), report_json), error_json = COALESCE(\(errorJSON), error_json)
          WHERE id = \(id) AND state = 'ingesting' RETURNING 1
          """, logger: logger
        ).decode(Int.self) { changed += 1 }
        guard changed == 1 else { return false }
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return true
      }
    }
  }

  static let uploadColumns = """
    id, token_id, centre_id, session_id, file_name, length_bytes, offset_bytes, state, created_at, expires_at,
    received_at, batch_id, report_json, error_json, finished_at
    """

  static func upload(_ row: PostgresRow) throws -> UploadRecord {
    let c = row.makeRandomAccess()
    var u = UploadRecord(
      id: try c[0].decode(String.self), tokenId: try c[1].decode(String.self), centreId: try c[2].decode(String.self),
      sessionId: try c[3].decode(String?.self), fileName: try c[4].decode(String.self),
      lengthBytes: try c[5].decode(Int64.self), createdAt: try c[8].decode(String.self),
      expiresAt: try c[9].decode(String.self))
    u.offsetBytes = try c[6].decode(Int64.self)
    u.state = UploadState(rawValue: try c[7].decode(String.self)) ?? .failed
    u.receivedAt = try c[10].decode(String?.self)
    u.batchId = try c[11].decode(String?.self)
    u.reportJSON = try c[12].decode(String?.self)
    u.errorJSON = try c[13].decode(String?.self)
    u.finishedAt = try c[14].decode(String?.self)
    return u
  }

  func uploads(_ what: String, _ query: PostgresQuery) async throws(ExamError) -> [UploadRecord] {
    try await retrying(what) { [self] in
      var out: [UploadRecord] = []
      for try await row in try await client.query(query, logger: logger) { out.append(try Self.upload(row)) }
      return out
    }
  }

  // MARK: The office's status board

  /// As `ExamDatabase.centreSessionStatus`, the same query.
  public func centreSessionStatus(examId: String) async throws -> [CentreSessionStatus] {
    try await retrying("read the status of exam \(examId)") { [self] in
      var out: [CentreSessionStatus] = []
      for try await (centre, session, expected, received, refused, inFlight, lastAt) in try await client.query(
        """
        WITH expected_by_session AS (
          SELECT centre_id, session_id, COUNT(*) * (SELECT COUNT(*) FROM item WHERE exam_id = \(examId)) AS expected
          FROM allocation WHERE exam_id = \(examId) GROUP BY centre_id, session_id),
        received_by_session AS (
          SELECT a.centre_id, a.session_id, COUNT(*) AS received FROM (
            SELECT candidate_id, item_id FROM recording WHERE exam_id = \(examId) AND is_current
            UNION SELECT candidate_id, item_id FROM listening_answer WHERE exam_id = \(examId)) r
          JOIN allocation a ON a.exam_id = \(examId) AND a.candidate_id = r.candidate_id
          GROUP BY a.centre_id, a.session_id),
        refused_by_session AS (
          SELECT b.centre_id, COALESCE(a.session_id, '') AS session_id, COUNT(*) AS refused
          FROM quarantine q JOIN ingest_batch b ON b.id = q.batch_id
          LEFT JOIN allocation a ON a.exam_id = b.exam_id AND a.candidate_id = q.candidate_id
            AND a.centre_id = b.centre_id
          WHERE b.exam_id = \(examId) GROUP BY 1, 2),
        centre_session AS (
          SELECT centre_id, session_id FROM expected_by_session
          UNION SELECT centre_id, session_id FROM refused_by_session),
        last_arrival AS (
          SELECT centre_id, MAX(at COLLATE "C") AS last_at FROM (
            SELECT centre_id, finished_at AS at FROM ingest_batch WHERE exam_id = \(examId)
            UNION ALL SELECT centre_id, received_at FROM upload) arrival GROUP BY centre_id),
        in_flight AS (
          SELECT centre_id, COUNT(*) AS n FROM upload WHERE state IN ('receiving', 'ingesting') GROUP BY centre_id)
        SELECT k.centre_id, k.session_id, COALESCE(e.expected, 0), COALESCE(r.received, 0), COALESCE(f.refused, 0),
          COALESCE(i.n, 0), l.last_at
        FROM centre_session k
        LEFT JOIN expected_by_session e ON e.centre_id = k.centre_id AND e.session_id = k.session_id
        LEFT JOIN received_by_session r ON r.centre_id = k.centre_id AND r.session_id = k.session_id
        LEFT JOIN refused_by_session f ON f.centre_id = k.centre_id AND f.session_id = k.session_id
        LEFT JOIN last_arrival l ON l.centre_id = k.centre_id
        LEFT JOIN in_flight i ON i.centre_id = k.centre_id
        ORDER BY k.centre_id COLLATE "C", k.session_id COLLATE "C"
        """, logger: logger
      ).decode((String, String, Int, Int, Int, Int, String?).self) {
        out.append(
          CentreSessionStatus(
            centreId: centre, sessionId: session, expected: expected, received: received, refused: refused,
            uploadsInFlight: inFlight, lastUploadAt: lastAt))
      }
      return out
    }
  }

  public func receivedAnswerKeys(examId: String, centreId: String) async throws -> Set<String> {
    Set(
      try await strings(
        "read the answers received from centre \(centreId)",
        """
        SELECT r.candidate_id || '|' || r.item_id FROM (
          SELECT candidate_id, item_id FROM recording WHERE exam_id = \(examId) AND is_current
          UNION SELECT candidate_id, item_id FROM listening_answer WHERE exam_id = \(examId)) r
        JOIN allocation a ON a.exam_id = \(examId) AND a.candidate_id = r.candidate_id AND a.centre_id = \(centreId)
        """))
  }

  // MARK: The marking desk's accounts and sessions

  /// As `ExamDatabase.importRaterAccounts`, in two statements; the last row of a rater wins.
  public func importRaterAccounts(_ raters: [Rater], roles: [String: RaterAccount.Role], at: String, audit: AuditEntry)
    async throws
  {
    let r = Self.lastRowOfEach(raters)
    let role = r.map { (roles[$0.id] ?? .rater).rawValue }
    try await retrying("import the rater accounts") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await Self.upsertRaters(r, on: connection, logger: logger)
        try await connection.query(
          """
          INSERT INTO rater_account (rater_id, role, created_at)
          SELECT i, ro, \(at) FROM unnest(\(r.map(\.id))::text[], \(role)::text[]) AS x(i, ro)
          ON CONFLICT (rater_id) DO UPDATE SET role = excluded.role
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  public func raterAccounts() async throws -> [RaterAccount] {
    try await raterAccounts(
      "read the rater accounts", "\(unescaped: Self.raterAccountQuery) ORDER BY a.rater_id COLLATE \"C\""
    ).map(\.account)
  }

  public func raterAccount(id raterId: String) async throws -> (account: RaterAccount, passwordHash: String?)? {
    try await raterAccounts(
      "read the account of rater \(raterId)", "\(unescaped: Self.raterAccountQuery) WHERE a.rater_id = \(raterId)"
    ).first
  }

  static let raterAccountQuery = """
    SELECT a.rater_id, r.name, r.school, a.role, a.password_hash, a.disabled, a.failed_logins, a.locked_until
    FROM rater_account a JOIN rater r ON r.id = a.rater_id
    """

  /// The accounts `query` (`raterAccountQuery` and its clauses) reads, with their password hashes.
  func raterAccounts(_ what: String, _ query: PostgresQuery) async throws(ExamError)
    -> [(account: RaterAccount, passwordHash: String?)]
  {
    try await retrying(what) { [self] in
      var out: [(account: RaterAccount, passwordHash: String?)] = []
      for try await (id, name, school, role, hash, disabled, failures, lockedUntil) in try await client.query(
        query, logger: logger
      ).decode((String, String, String, String, String?, Bool, Int, String?).self) {
        let account = RaterAccount(
          rater: Rater(id: id, name: name, school: school), role: RaterAccount.Role(rawValue: role) ?? .rater,
          hasPassword: hash != nil, disabled: disabled, failedLogins: failures, lockedUntil: lockedUntil)
        out.append((account, hash))
      }
      return out
    }
  }

  /// As `ExamDatabase.setRaterPassword`: clears the lock-out and ends the account's sessions.
  public func setRaterPassword(raterId: String, passwordHash: String, at: String, audit: AuditEntry) async throws {
    try await retrying("set the password of rater \(raterId)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var changed = 0
        for try await _ in try await connection.query(
          """
          UPDATE rater_account SET password_hash = \(passwordHash), password_set_at = \(at), failed_logins = 0,
            locked_until = NULL
          WHERE rater_id = \(raterId) RETURNING 1
          """, logger: logger
        ).decode(Int.self) { changed += 1 }
        guard changed == 1 else { throw ExamDatabase.noAccount(raterId) }
        try await connection.query("DELETE FROM desk_session WHERE rater_id = \(raterId)", logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  /// As `ExamDatabase.setRaterDisabled`: disabling ends the account's sessions.
  public func setRaterDisabled(raterId: String, disabled: Bool, audit: AuditEntry) async throws {
    try await retrying("\(disabled ? "disable" : "enable") the account of rater \(raterId)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var changed = 0
        for try await _ in try await connection.query(
          "UPDATE rater_account SET disabled = \(disabled) WHERE rater_id = \(raterId) RETURNING 1", logger: logger
        ).decode(Int.self) { changed += 1 }
        guard changed == 1 else { throw ExamDatabase.noAccount(raterId) }
        if disabled {
          try await connection.query("DELETE FROM desk_session WHERE rater_id = \(raterId)", logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  /// As `ExamDatabase.recordLoginFailure`: an unknown rater counts 0 failures (and still has its audit line).
  public func recordLoginFailure(raterId: String, maximumFailures: Int, lockUntil: String, audit: AuditEntry)
    async throws -> (failures: Int, lockedUntil: String?)
  {
    try await retrying("count a wrong password of rater \(raterId)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var failures = 0
        for try await n in try await connection.query(
          """
          UPDATE rater_account SET failed_logins = failed_logins + 1 WHERE rater_id = \(raterId)
          RETURNING failed_logins
          """, logger: logger
        ).decode(Int.self) { failures = n }
        var locked: String?
        if failures >= maximumFailures {
          try await connection.query(
            "UPDATE rater_account SET locked_until = \(lockUntil), failed_logins = 0 WHERE rater_id = \(raterId)",
            logger: logger)
          locked = lockUntil
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return (failures, locked)
      }
    }
  }

  /// As `ExamDatabase.beginDeskSession`: drops the rater's expired sessions and resets its wrong-password count.
  public func beginDeskSession(_ session: DeskSession, tokenSha256: String, audit: AuditEntry) async throws {
    let s = session
    try await retrying("begin a desk session of rater \(session.raterId)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query(
          """
          DELETE FROM desk_session WHERE rater_id = \(s.raterId) AND expires_at COLLATE "C" < \(s.createdAt)
          """, logger: logger)
        try await connection.query(
          "UPDATE rater_account SET failed_logins = 0, locked_until = NULL WHERE rater_id = \(s.raterId)",
          logger: logger)
        try await connection.query(
          """
          INSERT INTO desk_session (token_sha256, rater_id, csrf_token, created_at, expires_at)
          VALUES (\(tokenSha256), \(s.raterId), \(s.csrfToken), \(s.createdAt), \(s.expiresAt))
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
  }

  public func deskSession(tokenSha256: String, now: String) async throws -> DeskSession? {
    try await retrying("read a desk session") { [self] in
      var out: DeskSession?
      for try await (raterId, csrf, createdAt, expiresAt, role, name) in try await client.query(
        """
        SELECT s.rater_id, s.csrf_token, s.created_at, s.expires_at, a.role, r.name FROM desk_session s
          JOIN rater_account a ON a.rater_id = s.rater_id JOIN rater r ON r.id = s.rater_id
        WHERE s.token_sha256 = \(tokenSha256) AND s.expires_at COLLATE "C" > \(now) AND NOT a.disabled
        """, logger: logger
      ).decode((String, String, String, String, String, String).self) {
        out = DeskSession(
          raterId: raterId, role: RaterAccount.Role(rawValue: role) ?? .rater, csrfToken: csrf, createdAt: createdAt,
          expiresAt: expiresAt, raterName: name)
      }
      return out
    }
  }

  /// As `ExamDatabase.endDeskSession`: the audit line only when there was a session.
  public func endDeskSession(tokenSha256: String, audit: AuditEntry) async throws {
    try await retrying("end a desk session") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var ended = 0
        for try await _ in try await connection.query(
          "DELETE FROM desk_session WHERE token_sha256 = \(tokenSha256) RETURNING 1", logger: logger
        ).decode(Int.self) { ended += 1 }
        if ended > 0 { try await Self.appendAudit(audit, on: connection, logger: logger) }
      }
    }
  }
}
