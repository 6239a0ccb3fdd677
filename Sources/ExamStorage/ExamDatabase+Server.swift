import ExamCore
import GRDB

/// An access token of `exam serve`, as the store keeps it: never the secret, only its SHA-256.
public struct AccessToken: Sendable, Codable, Equatable {
  public enum Role: String, Sendable, Codable { case centre, office }
  public var id: String
  public var role: Role
  /// The centre a centre token is scoped to; nil for an office token.
  public var centreId: String?
  public var label: String
  public var issuedAt: String
  public var issuedBy: String
  public var revokedAt: String?
  public var revokedBy: String?

  public init(id: String, role: Role, centreId: String?, label: String, issuedAt: String, issuedBy: String) {
    self.id = id
    self.role = role
    self.centreId = centreId
    self.label = label
    self.issuedAt = issuedAt
    self.issuedBy = issuedBy
  }

  /// Who the audit trail names for requests made with this token: `centre T01 (token 3f9a…)` or `office (token …)`.
  public var actor: String { (centreId.map { "centre \($0)" } ?? "office") + " (token \(id))" }
}

/// Where a resumable upload stands.
public enum UploadState: String, Sendable, Codable {
  /// Bytes are still arriving.
  case receiving
  /// Every byte arrived; the batch is queued for, or in, ingest.
  case ingesting
  /// Ingest ran; `reportJSON` holds its report.
  case done
  /// Ingest could not read the batch at all; `errorJSON` says why.
  case failed
  /// Deleted by the client (tus termination) or dropped after it expired.
  case terminated
}

/// One tus upload: who sends it, how far it got, and what became of it.
public struct UploadRecord: Sendable, Codable, Equatable {
  public var id: String
  public var tokenId: String
  public var centreId: String
  public var sessionId: String?
  public var fileName: String
  public var lengthBytes: Int64
  public var offsetBytes: Int64
  public var state: UploadState
  public var createdAt: String
  public var expiresAt: String
  public var receivedAt: String?
  public var batchId: String?
  public var reportJSON: String?
  public var errorJSON: String?
  public var finishedAt: String?

  public init(
    id: String, tokenId: String, centreId: String, sessionId: String?, fileName: String, lengthBytes: Int64,
    createdAt: String, expiresAt: String
  ) {
    self.id = id
    self.tokenId = tokenId
    self.centreId = centreId
    self.sessionId = sessionId
    self.fileName = fileName
    self.lengthBytes = lengthBytes
    self.offsetBytes = 0
    self.state = .receiving
    self.createdAt = createdAt
    self.expiresAt = expiresAt
  }
}

extension ExamDatabase {
  // MARK: - Tokens

  /// Stores a new token (its hash only) with its audit line. A centre token must name a stored centre.
  public func issueToken(_ token: AccessToken, tokenSha256: String, audit: AuditEntry) throws {
    try write { db in
      if let centre = token.centreId {
        guard
          try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM centre WHERE id = ?)", arguments: [centre]) == true
        else {
          let known = try String.fetchAll(db, sql: "SELECT id FROM centre ORDER BY id LIMIT 20")
          throw ExamError(
            .notFound, location: "--centre \(centre)", "no such centre in the store",
            fix: known.isEmpty
              ? "import the centres first (exam centres import)" : "use one of: \(known.joined(separator: ", "))")
        }
      }
      try db.execute(
        sql: """
          INSERT INTO accessToken (id, role, centreId, tokenSha256, label, issuedAt, issuedBy) VALUES (?,?,?,?,?,?,?)
          """,
        arguments: [
          token.id, token.role.rawValue, token.centreId, tokenSha256, token.label, token.issuedAt, token.issuedBy,
        ])
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Every token, newest first (revoked ones too).
  public func accessTokens() throws -> [AccessToken] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM accessToken ORDER BY issuedAt DESC, id").map(Self.accessToken(from:))
    }
  }

  /// The unrevoked token whose secret hashes to `tokenSha256`, or nil. Read on every request, so a revocation
  /// takes effect at the next request.
  public func activeToken(sha256 tokenSha256: String) throws -> AccessToken? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM accessToken WHERE tokenSha256 = ? AND revokedAt IS NULL",
        arguments: [tokenSha256]
      ).map(Self.accessToken(from:))
    }
  }

  /// Revokes token `id` (with its audit line) and returns it; a token revoked before is returned unchanged.
  /// - Throws: `ExamError.notFound` when no token has this id.
  public func revokeToken(id: String, at: String, by revoker: String, audit: AuditEntry) throws -> AccessToken {
    try write { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM accessToken WHERE id = ?", arguments: [id]) else {
        throw ExamError(
          .notFound, location: "token \(id)", "no token has this id",
          fix: "list the tokens with `exam centres tokens list` and give the id of the first column")
      }
      var token = Self.accessToken(from: row)
      guard token.revokedAt == nil else { return token }
      try db.execute(
        sql: "UPDATE accessToken SET revokedAt = ?, revokedBy = ? WHERE id = ?", arguments: [at, revoker, id])
      try Self.appendAudit(audit, in: db)
      token.revokedAt = at
      token.revokedBy = revoker
      return token
    }
  }

  static func accessToken(from r: Row) -> AccessToken {
    var token = AccessToken(
      id: r["id"], role: AccessToken.Role(rawValue: r["role"]) ?? .centre, centreId: r["centreId"],
      label: r["label"], issuedAt: r["issuedAt"], issuedBy: r["issuedBy"])
    token.revokedAt = r["revokedAt"]
    token.revokedBy = r["revokedBy"]
    return token
  }

  // MARK: - Uploads

  /// Registers a new upload (tus creation) with its audit line.
  public func createUpload(_ upload: UploadRecord, audit: AuditEntry) throws {
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO upload (id, tokenId, centreId, sessionId, fileName, lengthBytes, offsetBytes, state, createdAt, expiresAt)
          VALUES (?,?,?,?,?,?,?,?,?,?)
          """,
        arguments: [
          upload.id, upload.tokenId, upload.centreId, upload.sessionId, upload.fileName, upload.lengthBytes,
          upload.offsetBytes, upload.state.rawValue, upload.createdAt, upload.expiresAt,
        ])
      try Self.appendAudit(audit, in: db)
    }
  }

  /// The upload with this id, or nil.
  public func upload(id: String) throws -> UploadRecord? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM upload WHERE id = ?", arguments: [id]).map(Self.upload(from:))
    }
  }

  /// Uploads in one of `states` (of one centre, when given), oldest first.
  public func uploads(centreId: String? = nil, states: [UploadState]) throws -> [UploadRecord] {
    try read { db in
      var arguments: StatementArguments = StatementArguments(states.map(\.rawValue))
      let marks = Array(repeating: "?", count: states.count).joined(separator: ",")
      var sql = "SELECT * FROM upload WHERE state IN (\(marks))"
      if let centreId {
        sql += " AND centreId = ?"
        arguments += [centreId]
      }
      return try Row.fetchAll(db, sql: sql + " ORDER BY createdAt, id", arguments: arguments).map(Self.upload(from:))
    }
  }

  /// Records that the bytes up to `offsetBytes` are on disk and fsynced. Progress, not a change of data: no audit line
  /// (creation, completion, termination and refusals have one). Only moves forward from `expectedOffset`.
  /// - Returns: whether the row was at `expectedOffset` and still receiving (false: another request moved it).
  public func advanceUpload(id: String, from expectedOffset: Int64, to offsetBytes: Int64, expiresAt: String) throws
    -> Bool
  {
    try write { db in
      try db.execute(
        sql: """
          UPDATE upload SET offsetBytes = ?, expiresAt = ? WHERE id = ? AND offsetBytes = ? AND state = 'receiving'
          """, arguments: [offsetBytes, expiresAt, id, expectedOffset])
      return db.changesCount == 1
    }
  }

  /// Moves upload `id` to `state` (with the fields that go with it) in one transaction with its audit line.
  public func setUploadState(
    id: String, to state: UploadState, at: String, batchId: String? = nil, reportJSON: String? = nil,
    errorJSON: String? = nil, audit: AuditEntry
  ) throws {
    try write { db in
      switch state {
      case .receiving:
        try db.execute(sql: "UPDATE upload SET state = ? WHERE id = ?", arguments: [state.rawValue, id])
      case .ingesting:
        try db.execute(
          sql: "UPDATE upload SET state = ?, receivedAt = ? WHERE id = ?", arguments: [state.rawValue, at, id])
      case .done, .failed, .terminated:
        try db.execute(
          sql: """
            UPDATE upload SET state = ?, finishedAt = ?, batchId = COALESCE(?, batchId), reportJSON = COALESCE(?, reportJSON),
              errorJSON = COALESCE(?, errorJSON) WHERE id = ?
            """, arguments: [state.rawValue, at, batchId, reportJSON, errorJSON, id])
      }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Moves upload `id` from `ingesting` to `done` or `failed` with its audit line, only while it is `ingesting`
  /// (`ServerStore.finishUpload`). Returns whether it moved.
  public func finishUpload(
    id: String, to state: UploadState, at: String, batchId: String?, reportJSON: String?, errorJSON: String?,
    audit: AuditEntry
  ) throws -> Bool {
    try write { db in
      try db.execute(
        sql: """
          UPDATE upload SET state = ?, finishedAt = ?, batchId = COALESCE(?, batchId),
            reportJSON = COALESCE(?, reportJSON), errorJSON = COALESCE(?, errorJSON)
          WHERE id = ? AND state = 'ingesting'
          """, arguments: [state.rawValue, at, batchId, reportJSON, errorJSON, id])
      guard db.changesCount == 1 else { return false }
      try Self.appendAudit(audit, in: db)
      return true
    }
  }

  static func upload(from r: Row) -> UploadRecord {
    var u = UploadRecord(
      id: r["id"], tokenId: r["tokenId"], centreId: r["centreId"], sessionId: r["sessionId"],
      fileName: r["fileName"], lengthBytes: r["lengthBytes"], createdAt: r["createdAt"], expiresAt: r["expiresAt"])
    u.offsetBytes = r["offsetBytes"]
    u.state = UploadState(rawValue: r["state"]) ?? .failed
    u.receivedAt = r["receivedAt"]
    u.batchId = r["batchId"]
    u.reportJSON = r["reportJSON"]
    u.errorJSON = r["errorJSON"]
    u.finishedAt = r["finishedAt"]
    return u
  }
}
