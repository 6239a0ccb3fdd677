import ExamCore
import Foundation
import GRDB

extension ExamDatabase {
  /// Writes finalised results (replacing earlier ones of the same exam and candidate), in one transaction
  /// with its audit line.
  public func saveResults(_ results: [CandidateResult], audit: AuditEntry) throws {
    let encoded = try results.map { String(decoding: try ExamDatabase.encoder.encode($0.sectionScores), as: UTF8.self) }
    try write { db in
      for (r, sections) in zip(results, encoded) {
        try db.execute(
          sql: """
            INSERT INTO result (examId, candidateId, sittingDate, total, listening, speaking, sectionScoresJSON, level, finalisedAt)
            VALUES (?,?,?,?,?,?,?,?,?)
            ON CONFLICT(examId, candidateId) DO UPDATE SET sittingDate=excluded.sittingDate, total=excluded.total,
              listening=excluded.listening, speaking=excluded.speaking, sectionScoresJSON=excluded.sectionScoresJSON,
              level=excluded.level, finalisedAt=excluded.finalisedAt
            """,
          arguments: [
            r.examId, r.candidateId, r.sittingDate, r.total, r.listening, r.speaking, sections, r.level, r.finalisedAt,
          ])
      }
      try Self.appendAudit(audit, in: db)
    }
  }

  /// Finalised results, of one exam or (nil) of all, by exam and candidate.
  public func results(examId: String? = nil) throws -> [CandidateResult] {
    try read { db in
      let rows =
        try examId.map {
          try Row.fetchAll(db, sql: "SELECT * FROM result WHERE examId = ? ORDER BY candidateId", arguments: [$0])
        } ?? Row.fetchAll(db, sql: "SELECT * FROM result ORDER BY examId, candidateId")
      return try rows.map { r in
        CandidateResult(
          examId: r["examId"], candidateId: r["candidateId"], sittingDate: r["sittingDate"], total: r["total"],
          listening: r["listening"], speaking: r["speaking"],
          sectionScores: try ExamDatabase.decoder.decode(
            [String: Double].self, from: Data((r["sectionScoresJSON"] as String).utf8)),
          level: r["level"], finalisedAt: r["finalisedAt"])
      }
    }
  }
}
