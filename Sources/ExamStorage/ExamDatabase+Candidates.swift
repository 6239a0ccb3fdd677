import ExamCore
import GRDB
internal import GRDBSQLite

/// Counts from a roster import.
public struct CandidateImportSummary: Sendable, Equatable {
  public var inserted = 0
  public var updated = 0
  public var unchanged = 0
  public init() {}
}

extension ExamDatabase {
  /// Inserts or updates candidates by candidate number, in one transaction with its audit line.
  /// Re-importing the same roster changes nothing. A national ID already used by another candidate is refused.
  /// - Throws: `ExamError.conflict` naming both candidate numbers.
  public func importCandidates(_ candidates: [Candidate], audit: AuditEntry) throws -> CandidateImportSummary {
    try write { db in
      var summary = CandidateImportSummary()
      for c in candidates {
        let accommodations = c.accommodations.map(\.rawValue).joined(separator: ";")
        if let owner = try String.fetchOne(
          db, sql: "SELECT id FROM candidate WHERE nationalId = ? AND id <> ?",
          arguments: [c.nationalId, c.id])
        {
          throw ExamError(
            .conflict, location: "candidate \(c.id)",
            "national ID \(NationalID.masked(c.nationalId)) already belongs to candidate \(owner)",
            fix: "check both rows: one national ID is one candidate")
        }
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM candidate WHERE id = ?", arguments: [c.id]) {
          let same =
            row["name"] == c.name && row["nationalId"] == c.nationalId && row["school"] == c.school
            && row["district"] == c.district && row["accommodations"] == accommodations
          if same { summary.unchanged += 1; continue }
          try db.execute(
            sql: "UPDATE candidate SET name=?, nationalId=?, school=?, district=?, accommodations=? WHERE id=?",
            arguments: [c.name, c.nationalId, c.school, c.district, accommodations, c.id])
          summary.updated += 1
        } else {
          try db.execute(
            sql: "INSERT INTO candidate (id, name, nationalId, school, district, accommodations) VALUES (?,?,?,?,?,?)",
            arguments: [c.id, c.name, c.nationalId, c.school, c.district, accommodations])
          summary.inserted += 1
        }
      }
      if summary.inserted + summary.updated > 0 { try Self.appendAudit(audit, in: db) }
      return summary
    }
  }

  /// Every candidate, by candidate number.
  public func candidates() throws -> [Candidate] {
    try read { db in
      // Read through the C API: a city's roster is 100,000 rows, and GRDB's rows cost more than SQLite's read.
      let statement = try db.makeStatement(
        sql: "SELECT id, name, nationalId, school, district, accommodations FROM candidate ORDER BY id")
      let handle = statement.sqliteStatement
      var candidates: [Candidate] = []
      try Self.forEachRow(handle, db) {
        candidates.append(
          Candidate(
            id: Self.columnText(handle, 0), name: Self.columnText(handle, 1), nationalId: Self.columnText(handle, 2),
            school: Self.columnText(handle, 3), district: Self.columnText(handle, 4),
            accommodations: Self.accommodations(Self.columnText(handle, 5))))
      }
      return candidates
    }
  }

  /// One candidate, or nil.
  public func candidate(id: String) throws -> Candidate? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM candidate WHERE id = ?", arguments: [id]).map(Self.candidate(from:))
    }
  }

  /// The candidates among `ids`, by candidate number, in one read (500 ids a query).
  public func candidates(ids: Set<String>) throws -> [Candidate] {
    try read { db in
      try Self.rows(db, ids: ids, sql: { "SELECT * FROM candidate WHERE id IN (\($0)) ORDER BY id" })
        .map(Self.candidate(from:))
    }
  }

  /// The school of each of `ids` that is a candidate, in one read (500 ids a query).
  public func schools(ofCandidates ids: Set<String>) throws -> [String: String] {
    try read { db in
      var schools: [String: String] = [:]
      for row in try Self.rows(db, ids: ids, sql: { "SELECT id, school FROM candidate WHERE id IN (\($0))" }) {
        schools[row["id"]] = row["school"]
      }
      return schools
    }
  }

  static func candidate(from row: Row) -> Candidate {
    Candidate(
      id: row["id"], name: row["name"], nationalId: row["nationalId"], school: row["school"],
      district: row["district"], accommodations: accommodations(row["accommodations"]))
  }

  /// The stored `;`-separated accommodations.
  static func accommodations(_ text: String) -> [Candidate.Accommodation] {
    text.split(separator: ";").compactMap { Candidate.Accommodation(rawValue: String($0)) }
  }
}
