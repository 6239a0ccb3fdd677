import ExamCore
import Foundation
import PostgresNIO

/// `SittingStore` on PostgreSQL, part 1: the audit trail, exams, the roster and trusted pack signers — the same
/// behaviour as `ExamDatabase`'s methods of the same names (the tests run both).
extension PostgresStore: SittingStore {
  public var location: String { redactedURL }

  // MARK: Audit

  public func appendAudit(_ entry: AuditEntry) async throws {
    try await retrying("append to the audit trail") { [self] in
      try await client.withConnection { connection in
        try await Self.appendAudit(entry, on: connection, logger: logger)
      }
    }
  }

  public func auditTrail(limit: Int?) async throws -> [AuditEntry] {
    try await retrying("read the audit trail") { [self] in
      var out: [AuditEntry] = []
      let query: PostgresQuery =
        if let limit {
          """
          SELECT * FROM (SELECT id, at, operator, command, arguments, summary, account FROM audit
            ORDER BY id DESC LIMIT \(limit)) newest ORDER BY id
          """
        } else {
          "SELECT id, at, operator, command, arguments, summary, account FROM audit ORDER BY id"
        }
      for try await (id, at, op, command, arguments, summary, account) in try await client.query(query, logger: logger)
        .decode((Int64, String, String, String, String, String, String?).self)
      {
        var entry = AuditEntry(
          at: at, operator: op, command: command, arguments: arguments, summary: summary, account: account)
        entry.id = id
        out.append(entry)
      }
      return out
    }
  }

  // MARK: Exams

  public func importExam(_ exam: ExamDefinition, audit: AuditEntry) async throws -> ImportOutcome {
    let rows = try ExamRows(exam)
    return try await retrying("import exam \(exam.id)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        guard let stored = try await Self.insertExam(rows, at: audit.at, on: connection, logger: logger) else {
          try await Self.appendAudit(audit, on: connection, logger: logger)
          return .inserted
        }
        if stored == exam.packSha256 { return .unchanged }
        throw ExamError(
          .conflict, location: "exam \(exam.id)",
          "a different pack (sha256 \(stored.prefix(12))…) is already imported under this exam id",
          fix: "give the new paper its own exam id in pack.yaml")
      }
    }
  }

  /// As `ExamDatabase.exam(id:)`: the definition is decoded once and kept (`ExamDefinitionCache`); later calls read
  /// the row's pack digest and import time, and its JSON only when either changed — one statement either way.
  public func exam(id: String) async throws -> ExamDefinition? {
    let kept = examCache.kept(id)
    let (pack, at) = (kept?.version.packSha256 ?? "", kept?.version.importedAt ?? "")
    let row: (version: ExamDefinitionCache.Version, json: String?)? = try await retrying("read exam \(id)") {
      [self] in
      var row: (ExamDefinitionCache.Version, String?)? = nil
      for try await (sha, importedAt, json) in try await client.query(
        """
        SELECT pack_sha256, imported_at,
          CASE WHEN pack_sha256 = \(pack) AND imported_at = \(at) THEN NULL ELSE definition_json END
        FROM exam WHERE id = \(id)
        """, logger: logger
      ).decode((String, String, String?).self) {
        row = (ExamDefinitionCache.Version(packSha256: sha, importedAt: importedAt), json)
      }
      return row
    }
    guard let row else { return nil }
    guard let json = row.json else { return kept?.exam }  // the row is at the kept version
    do {
      let exam = try ExamDatabase.decoder.decode(ExamDefinition.self, from: Data(json.utf8))
      examCache.keep(exam, for: id, at: row.version)
      return exam
    } catch {
      throw ExamError(
        .corrupt, location: "exam \(id)", "the stored exam definition cannot be read", underlying: "\(error)")
    }
  }

  public func requireExam(id: String) async throws -> ExamDefinition {
    if let exam = try await exam(id: id) { return exam }
    throw ExamError.noSuchExam(id, known: try await examIds())
  }

  public func resolveExamId(_ given: String?) async throws -> String {
    try ExamSelection.resolve(given, among: given == nil ? await examIds() : [])
  }

  public func examIds() async throws -> [String] {
    try await strings("read the exam ids", "SELECT id FROM exam ORDER BY id COLLATE \"C\"")
  }

  // MARK: Candidates

  /// As `ExamDatabase.importCandidates`, in bulk: the roster is compared with the stored rows in one read, and the
  /// new and changed candidates are written by one statement.
  public func importCandidates(_ candidates: [Candidate], audit: AuditEntry) async throws -> CandidateImportSummary {
    var byNationalId: [String: String] = [:]
    for c in candidates {
      if let other = byNationalId[c.nationalId], other != c.id { throw Self.nationalIdTaken(c, by: other) }
      byNationalId[c.nationalId] = c.id
    }
    let roster = Dictionary(candidates.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    return try await retrying("import the candidates") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let ids = candidates.map(\.id)
        for try await (id, owner) in try await connection.query(
          """
          SELECT x.id, c.id FROM unnest(\(ids)::text[], \(candidates.map(\.nationalId))::text[]) AS x(id, national_id)
          JOIN candidate c ON c.national_id = x.national_id AND c.id <> x.id
          """, logger: logger
        ).decode((String, String).self) {
          // Held by a candidate this roster gives another national ID: no conflict once both are written.
          if let moved = roster[owner], moved.nationalId != roster[id]?.nationalId { continue }
          throw Self.nationalIdTaken(roster[id]!, by: owner)
        }
        var stored: [String: Candidate] = [:]
        for try await row in try await connection.query(
          "SELECT \(unescaped: Self.candidateColumns) FROM candidate WHERE id = ANY(\(ids))", logger: logger)
        {
          let c = try Self.candidate(row)
          stored[c.id] = c
        }
        var summary = CandidateImportSummary()
        var changed: [Candidate] = []
        var position: [String: Int] = [:]
        for c in candidates {
          switch stored[c.id] {
          case nil: summary.inserted += 1
          case let s? where s == c: summary.unchanged += 1; continue
          default: summary.updated += 1
          }
          // A candidate twice in one roster is counted as SQLite counts it; the last row is the one written.
          if let at = position[c.id] {
            changed[at] = c
          } else {
            position[c.id] = changed.count
            changed.append(c)
          }
          stored[c.id] = c
        }
        guard !changed.isEmpty else { return summary }
        try await Self.upsertCandidates(changed, on: connection, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return summary
      }
    }
  }

  public func candidates() async throws -> [Candidate] {
    try await candidateRows("SELECT \(unescaped: Self.candidateColumns) FROM candidate ORDER BY id COLLATE \"C\"")
  }

  public func candidate(id: String) async throws -> Candidate? {
    try await candidateRows("SELECT \(unescaped: Self.candidateColumns) FROM candidate WHERE id = \(id)").first
  }

  public func candidates(ids: Set<String>) async throws -> [Candidate] {
    try await candidateRows(
      "SELECT \(unescaped: Self.candidateColumns) FROM candidate WHERE id = ANY(\(Array(ids))) ORDER BY id COLLATE \"C\""
    )
  }

  static let candidateColumns = "id, name, national_id, school, district, accommodations"

  static func candidate(_ row: PostgresRow) throws -> Candidate {
    let (id, name, nationalId, school, district, accommodations) = try row.decode(
      (String, String, String, String, String, String).self)
    return Candidate(
      id: id, name: name, nationalId: nationalId, school: school, district: district,
      accommodations: ExamDatabase.accommodations(accommodations))
  }

  /// Inserts `candidates`, or brings their stored rows up to date, in one statement.
  static func upsertCandidates(_ candidates: [Candidate], on connection: PostgresConnection, logger: Logger)
    async throws
  {
    try await connection.query(
      """
      INSERT INTO candidate (id, name, national_id, school, district, accommodations)
      SELECT * FROM unnest(\(candidates.map(\.id))::text[], \(candidates.map(\.name))::text[],
        \(candidates.map(\.nationalId))::text[], \(candidates.map(\.school))::text[],
        \(candidates.map(\.district))::text[],
        \(candidates.map { $0.accommodations.map(\.rawValue).joined(separator: ";") })::text[])
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, national_id = excluded.national_id,
        school = excluded.school, district = excluded.district, accommodations = excluded.accommodations
      """, logger: logger)
  }

  private func candidateRows(_ query: PostgresQuery) async throws -> [Candidate] {
    try await retrying("read the candidates") { [self] in
      var out: [Candidate] = []
      for try await row in try await client.query(query, logger: logger) { out.append(try Self.candidate(row)) }
      return out
    }
  }

  static func nationalIdTaken(_ c: Candidate, by owner: String) -> ExamError {
    ExamError(
      .conflict, location: "candidate \(c.id)",
      "national ID \(NationalID.masked(c.nationalId)) already belongs to candidate \(owner)",
      fix: "check both rows: one national ID is one candidate")
  }

  // MARK: Trusted pack signers

  public func trustSigner(_ signer: TrustedSigner, audit: AuditEntry) async throws -> Bool {
    try await retrying("trust key \(signer.fingerprint)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let existing = try await Self.signers(
          "SELECT \(unescaped: Self.signerColumns) FROM trusted_signer WHERE fingerprint = \(signer.fingerprint) FOR UPDATE",
          on: connection, logger: logger
        ).first
        if let existing {
          guard existing.publicKey == signer.publicKey else { throw ExamError.fingerprintClash(signer.fingerprint) }
          guard existing.isRevoked else { return false }
          try await connection.query(
            """
            UPDATE trusted_signer SET label = \(signer.label), trusted_at = \(signer.trustedAt),
              trusted_by = \(signer.trustedBy), revoked_at = NULL, revoked_by = NULL
            WHERE fingerprint = \(signer.fingerprint)
            """, logger: logger)
        } else {
          try await connection.query(
            """
            INSERT INTO trusted_signer (fingerprint, public_key, label, trusted_at, trusted_by)
            VALUES (\(signer.fingerprint), \(signer.publicKey), \(signer.label), \(signer.trustedAt), \(signer.trustedBy))
            """, logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
        return true
      }
    }
  }

  public func trustedSigners() async throws -> [TrustedSigner] {
    try await retrying("read the trusted keys") { [self] in
      try await client.withConnection { connection in
        try await Self.signers(
          "SELECT \(unescaped: Self.signerColumns) FROM trusted_signer ORDER BY trusted_at COLLATE \"C\", fingerprint COLLATE \"C\"",
          on: connection, logger: logger)
      }
    }
  }

  public func revokeSigner(fingerprint: String, at: String, by revoker: String, audit: AuditEntry) async throws
    -> TrustedSigner
  {
    let prefix = fingerprint.lowercased()
    guard prefix.count >= 8 else { throw ExamError.revokePrefix(fingerprint, matches: 0) }
    return try await retrying("revoke key \(fingerprint)") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let found = try await Self.signers(
          """
          SELECT \(unescaped: Self.signerColumns) FROM trusted_signer
          WHERE substr(fingerprint, 1, \(prefix.count)::integer) = \(prefix) FOR UPDATE
          """, on: connection, logger: logger)
        guard found.count == 1, var signer = found.first else {
          throw ExamError.revokePrefix(fingerprint, matches: found.count)
        }
        guard !signer.isRevoked else { return signer }
        try await connection.query(
          """
          UPDATE trusted_signer SET revoked_at = \(at), revoked_by = \(revoker) WHERE fingerprint = \(signer.fingerprint)
          """, logger: logger)
        try await Self.appendAudit(audit, on: connection, logger: logger)
        signer.revokedAt = at
        signer.revokedBy = revoker
        return signer
      }
    }
  }

  static let signerColumns = "fingerprint, public_key, label, trusted_at, trusted_by, revoked_at, revoked_by"

  static func signers(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws
    -> [TrustedSigner]
  {
    var out: [TrustedSigner] = []
    for try await (fingerprint, key, label, trustedAt, trustedBy, revokedAt, revokedBy) in try await connection.query(
      query, logger: logger
    ).decode((String, String, String, String, String, String?, String?).self) {
      var signer = TrustedSigner(
        fingerprint: fingerprint, publicKey: key, label: label, trustedAt: trustedAt, trustedBy: trustedBy)
      signer.revokedAt = revokedAt
      signer.revokedBy = revokedBy
      out.append(signer)
    }
    return out
  }

  /// The first column of `query`'s rows.
  func strings(_ what: String, _ query: PostgresQuery) async throws(ExamError) -> [String] {
    try await retrying(what) { [self] in
      var out: [String] = []
      for try await s in try await client.query(query, logger: logger).decode(String.self) { out.append(s) }
      return out
    }
  }
}
