import ExamCore
import GRDB

extension ExamDatabase {
  /// Adds raters (or updates the name and school of known ones) and gives each an account with `roles[id]`
  /// (default `rater`); an existing account keeps its password and lock state but takes the role given.
  /// One transaction with the audit line.
  public func importRaterAccounts(_ raters: [Rater], roles: [String: RaterAccount.Role], at: String, audit: AuditEntry)
    throws
  {
    try write { db in
      for r in raters {
        try Self.upsertRater(r, in: db)
        try db.execute(
          sql: """
            INSERT INTO raterAccount (raterId, role, createdAt) VALUES (?,?,?)
            ON CONFLICT(raterId) DO UPDATE SET role = excluded.role
            """, arguments: [r.id, (roles[r.id] ?? .rater).rawValue, at])
      }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Every account with its rater, by rater id.
  public func raterAccounts() throws -> [RaterAccount] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT a.*, r.name, r.school FROM raterAccount a JOIN rater r ON r.id = a.raterId ORDER BY a.raterId"
      )
      .map(Self.raterAccount(from:))
    }
  }

  /// The account of `raterId` and its bcrypt hash (nil when no password is set), or nil when there is no account.
  public func raterAccount(id raterId: String) throws -> (account: RaterAccount, passwordHash: String?)? {
    try read { db in
      try Row.fetchOne(
        db,
        sql: "SELECT a.*, r.name, r.school FROM raterAccount a JOIN rater r ON r.id = a.raterId WHERE a.raterId = ?",
        arguments: [raterId]
      ).map { (Self.raterAccount(from: $0), $0["passwordHash"]) }
    }
  }

  /// Sets the password hash of `raterId`, clears the lock-out and ends the account's sessions, with the audit line.
  /// - Throws: `ExamError.notFound` when the rater has no account.
  public func setRaterPassword(raterId: String, passwordHash: String, at: String, audit: AuditEntry) throws {
    try write { db in
      try db.execute(
        sql: """
          UPDATE raterAccount SET passwordHash = ?, passwordSetAt = ?, failedLogins = 0, lockedUntil = NULL WHERE raterId = ?
          """, arguments: [passwordHash, at, raterId])
      guard db.changesCount == 1 else { throw Self.noAccount(raterId) }
      try db.execute(sql: "DELETE FROM deskSession WHERE raterId = ?", arguments: [raterId])
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Disables (or enables again) the account of `raterId`; disabling ends its sessions at once. With the audit line.
  /// - Throws: `ExamError.notFound` when the rater has no account.
  public func setRaterDisabled(raterId: String, disabled: Bool, audit: AuditEntry) throws {
    try write { db in
      try db.execute(sql: "UPDATE raterAccount SET disabled = ? WHERE raterId = ?", arguments: [disabled, raterId])
      guard db.changesCount == 1 else { throw Self.noAccount(raterId) }
      if disabled { try db.execute(sql: "DELETE FROM deskSession WHERE raterId = ?", arguments: [raterId]) }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Counts a wrong password for `raterId` and locks the account until `lockUntil` once `maximumFailures` are reached
  /// in a row. With the audit line. Returns the failures in a row and the lock's end, when locked.
  public func recordLoginFailure(raterId: String, maximumFailures: Int, lockUntil: String, audit: AuditEntry) throws
    -> (failures: Int, lockedUntil: String?)
  {
    try write { db in
      try db.execute(
        sql: "UPDATE raterAccount SET failedLogins = failedLogins + 1 WHERE raterId = ?", arguments: [raterId])
      let failures =
        try Int.fetchOne(db, sql: "SELECT failedLogins FROM raterAccount WHERE raterId = ?", arguments: [raterId]) ?? 0
      var locked: String?
      if failures >= maximumFailures {
        try db.execute(
          sql: "UPDATE raterAccount SET lockedUntil = ?, failedLogins = 0 WHERE raterId = ?",
          arguments: [lockUntil, raterId])
        locked = lockUntil
      }
      try Self.appendAudit(audit, in: db)
      return (failures, locked)
    }
  }

  /// Starts a session for `session.raterId` (the cookie's SHA-256 only), resets its wrong-password count and drops
  /// its expired sessions. With the audit line.
  public func beginDeskSession(_ session: DeskSession, tokenSha256: String, audit: AuditEntry) throws {
    try write { db in
      try db.execute(
        sql: "DELETE FROM deskSession WHERE raterId = ? AND expiresAt < ?",
        arguments: [session.raterId, session.createdAt])
      try db.execute(
        sql: "UPDATE raterAccount SET failedLogins = 0, lockedUntil = NULL WHERE raterId = ?",
        arguments: [session.raterId])
      try db.execute(
        sql: "INSERT INTO deskSession (tokenSha256, raterId, csrfToken, createdAt, expiresAt) VALUES (?,?,?,?,?)",
        arguments: [tokenSha256, session.raterId, session.csrfToken, session.createdAt, session.expiresAt])
      try Self.appendAudit(audit, in: db)
    }
  }

  /// The live session whose cookie hashes to `tokenSha256` (not expired at `now`, account enabled), or nil.
  public func deskSession(tokenSha256: String, now: String) throws -> DeskSession? {
    try readOne { db in
      try Self.cachedRow(
        db,
        """
        SELECT s.*, a.role, r.name FROM deskSession s JOIN raterAccount a ON a.raterId = s.raterId
          JOIN rater r ON r.id = s.raterId
        WHERE s.tokenSha256 = ? AND s.expiresAt > ? AND NOT a.disabled
        """, [tokenSha256, now]
      ).map {
        DeskSession(
          raterId: $0["raterId"], role: RaterAccount.Role(rawValue: $0["role"]) ?? .rater, csrfToken: $0["csrfToken"],
          createdAt: $0["createdAt"], expiresAt: $0["expiresAt"], raterName: $0["name"])
      }
    }
  }

  /// Ends the session whose cookie hashes to `tokenSha256` (logout), with the audit line when there was one.
  public func endDeskSession(tokenSha256: String, audit: AuditEntry) throws {
    try write { db in
      try db.execute(sql: "DELETE FROM deskSession WHERE tokenSha256 = ?", arguments: [tokenSha256])
      if db.changesCount > 0 { try Self.appendAudit(audit, in: db) }
    }
  }

  static func raterAccount(from r: Row) -> RaterAccount {
    RaterAccount(
      rater: Rater(id: r["raterId"], name: r["name"], school: r["school"]),
      role: RaterAccount.Role(rawValue: r["role"]) ?? .rater, hasPassword: (r["passwordHash"] as String?) != nil,
      disabled: r["disabled"], failedLogins: r["failedLogins"], lockedUntil: r["lockedUntil"])
  }

  static func noAccount(_ raterId: String) -> ExamError {
    ExamError(
      .notFound, location: "rater \(raterId)", "has no desk account",
      fix: "import the rater list first with `exam raters import FILE.csv`, then see `exam raters list`")
  }
}
