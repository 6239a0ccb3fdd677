import ExamCore
import GRDB

/// The `audit` table's record (internal: other modules see `AuditEntry`).
struct AuditRow: Codable, FetchableRecord, MutablePersistableRecord {
  static let databaseTableName = "audit"
  var id: Int64?
  var at: String
  var `operator`: String
  var command: String
  var arguments: String
  var summary: String
  var account: String?

  init(_ e: AuditEntry) {
    (id, at, self.operator, command, arguments, summary) = (e.id, e.at, e.operator, e.command, e.arguments, e.summary)
    account = e.account
  }

  var entry: AuditEntry {
    var e = AuditEntry(
      at: at, operator: self.operator, command: command, arguments: arguments, summary: summary,
      account: account)
    e.id = id
    return e
  }

  mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension ExamDatabase {
  /// Appends one line to the audit trail.
  public func appendAudit(_ entry: AuditEntry) throws {
    try write { db in try Self.appendAudit(entry, in: db) }
  }

  /// Appends an audit line inside an open transaction, so the change and its audit land together.
  static func appendAudit(_ entry: AuditEntry, in db: Database) throws {
    var row = AuditRow(entry)
    try row.insert(db)
  }

  /// The audit trail, newest last; `limit` keeps only the newest lines.
  public func auditTrail(limit: Int? = nil) throws -> [AuditEntry] {
    try read { db in
      if let limit {
        return try AuditRow.order(Column("id").desc).limit(limit).fetchAll(db).reversed().map(\.entry)
      }
      return try AuditRow.order(Column("id")).fetchAll(db).map(\.entry)
    }
  }
}
