import ExamCore
import GRDB

extension ExamDatabase {
  /// Trusts `signer` for `exam pack import`, with its audit line. Trusting a key again that was revoked trusts it
  /// anew (the revocation is cleared, the audit trail keeps both); trusting a key that is trusted changes nothing.
  /// - Returns: whether the store changed.
  @discardableResult
  public func trustSigner(_ signer: TrustedSigner, audit: AuditEntry) throws -> Bool {
    try write { db in
      if let row = try Row.fetchOne(
        db, sql: "SELECT * FROM trustedSigner WHERE fingerprint = ?", arguments: [signer.fingerprint])
      {
        let existing = Self.trustedSigner(from: row)
        guard existing.publicKey == signer.publicKey else { throw ExamError.fingerprintClash(signer.fingerprint) }
        guard existing.isRevoked else { return false }
        try db.execute(
          sql: """
            UPDATE trustedSigner SET label = ?, trustedAt = ?, trustedBy = ?, revokedAt = NULL, revokedBy = NULL
            WHERE fingerprint = ?
            """, arguments: [signer.label, signer.trustedAt, signer.trustedBy, signer.fingerprint])
      } else {
        try db.execute(
          sql: """
            INSERT INTO trustedSigner (fingerprint, publicKey, label, trustedAt, trustedBy) VALUES (?,?,?,?,?)
            """, arguments: [signer.fingerprint, signer.publicKey, signer.label, signer.trustedAt, signer.trustedBy])
      }
      try Self.appendAudit(audit, in: db)
      return true
    }
  }

  /// Every key the store has trusted, revoked ones included, oldest first.
  public func trustedSigners() throws -> [TrustedSigner] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM trustedSigner ORDER BY trustedAt, fingerprint").map(
        Self.trustedSigner(from:))
    }
  }

  /// Revokes the key whose fingerprint starts with `fingerprint` (at least 8 hex digits), with its audit line;
  /// a key revoked before is returned unchanged.
  /// - Throws: `ExamError.notFound` when no key matches, `.usage` when the prefix is short or matches several.
  public func revokeSigner(fingerprint: String, at: String, by revoker: String, audit: AuditEntry) throws
    -> TrustedSigner
  {
    try write { db in
      let prefix = fingerprint.lowercased()
      guard prefix.count >= 8 else { throw ExamError.revokePrefix(fingerprint, matches: 0) }
      let rows = try Row.fetchAll(
        db, sql: "SELECT * FROM trustedSigner WHERE substr(fingerprint, 1, ?) = ?",
        arguments: [prefix.count, prefix])
      guard rows.count == 1, let row = rows.first else {
        throw ExamError.revokePrefix(fingerprint, matches: rows.count)
      }
      var signer = Self.trustedSigner(from: row)
      guard !signer.isRevoked else { return signer }
      try db.execute(
        sql: "UPDATE trustedSigner SET revokedAt = ?, revokedBy = ? WHERE fingerprint = ?",
        arguments: [at, revoker, signer.fingerprint])
      try Self.appendAudit(audit, in: db)
      signer.revokedAt = at
      signer.revokedBy = revoker
      return signer
    }
  }

  static func trustedSigner(from r: Row) -> TrustedSigner {
    var signer = TrustedSigner(
      fingerprint: r["fingerprint"], publicKey: r["publicKey"], label: r["label"],
      trustedAt: r["trustedAt"], trustedBy: r["trustedBy"])
    signer.revokedAt = r["revokedAt"]
    signer.revokedBy = r["revokedBy"]
    return signer
  }
}
