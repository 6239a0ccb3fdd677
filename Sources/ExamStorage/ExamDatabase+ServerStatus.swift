import ExamCore
import GRDB

/// How far one centre's answers for one session have arrived: the office's `/status` line.
public struct CentreSessionStatus: Sendable, Codable, Equatable {
  public var centreId: String
  /// Empty for refusals that name no candidate allocated at this centre (a row of another centre's candidate).
  public var sessionId: String
  /// Allocated candidates × the exam's items.
  public var expected: Int
  /// Of those, answers stored (a current recording or a listening choice).
  public var received: Int
  /// Files and rows refused in the latest run of this centre's batches.
  public var refused: Int
  /// `expected - received`.
  public var missing: Int { expected - received }
  /// Uploads of this centre still receiving bytes or waiting for ingest.
  public var uploadsInFlight: Int
  /// When the centre's last batch arrived (an upload's last byte, or an ingest finishing), or nil.
  public var lastUploadAt: String?
}

extension ExamDatabase {
  /// Expected / received / refused answers per centre and session of `examId`, by centre then session.
  public func centreSessionStatus(examId: String) throws -> [CentreSessionStatus] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          WITH expectedBySession AS (
            SELECT centreId, sessionId, COUNT(*) * (SELECT COUNT(*) FROM item WHERE examId = :exam) AS expected
            FROM allocation WHERE examId = :exam GROUP BY centreId, sessionId),
          receivedBySession AS (
            SELECT a.centreId, a.sessionId, COUNT(*) AS received FROM (
              SELECT candidateId, itemId FROM recording WHERE examId = :exam AND isCurrent
              UNION SELECT candidateId, itemId FROM listeningAnswer WHERE examId = :exam) r
            JOIN allocation a ON a.examId = :exam AND a.candidateId = r.candidateId
            GROUP BY a.centreId, a.sessionId),
          refusedBySession AS (
            SELECT b.centreId, COALESCE(a.sessionId, '') AS sessionId, COUNT(*) AS refused
            FROM quarantine q JOIN ingestBatch b ON b.id = q.batchId
            LEFT JOIN allocation a ON a.examId = b.examId AND a.candidateId = q.candidateId AND a.centreId = b.centreId
            WHERE b.examId = :exam GROUP BY 1, 2),
          keys AS (SELECT centreId, sessionId FROM expectedBySession UNION SELECT centreId, sessionId FROM refusedBySession),
          lastArrival AS (
            SELECT centreId, MAX(at) AS lastAt FROM (
              SELECT centreId, finishedAt AS at FROM ingestBatch WHERE examId = :exam
              UNION ALL SELECT centreId, receivedAt FROM upload) GROUP BY centreId),
          inFlight AS (SELECT centreId, COUNT(*) AS n FROM upload WHERE state IN ('receiving', 'ingesting') GROUP BY centreId)
          SELECT k.centreId, k.sessionId, COALESCE(e.expected, 0) AS expected, COALESCE(r.received, 0) AS received,
            COALESCE(f.refused, 0) AS refused, COALESCE(i.n, 0) AS inFlight, l.lastAt
          FROM keys k
          LEFT JOIN expectedBySession e ON e.centreId = k.centreId AND e.sessionId = k.sessionId
          LEFT JOIN receivedBySession r ON r.centreId = k.centreId AND r.sessionId = k.sessionId
          LEFT JOIN refusedBySession f ON f.centreId = k.centreId AND f.sessionId = k.sessionId
          LEFT JOIN lastArrival l ON l.centreId = k.centreId
          LEFT JOIN inFlight i ON i.centreId = k.centreId
          ORDER BY k.centreId, k.sessionId
          """, arguments: ["exam": examId]
      ).map {
        CentreSessionStatus(
          centreId: $0["centreId"], sessionId: $0["sessionId"], expected: $0["expected"],
          received: $0["received"], refused: $0["refused"], uploadsInFlight: $0["inFlight"], lastUploadAt: $0["lastAt"])
      }
    }
  }

  /// Keys `candidate|item` of the answers stored for the candidates allocated at `centreId` (current recordings
  /// and listening choices), for telling a centre what it still owes.
  public func receivedAnswerKeys(examId: String, centreId: String) throws -> Set<String> {
    try read { db in
      Set(
        try Row.fetchAll(
          db,
          sql: """
            SELECT r.candidateId, r.itemId FROM (
              SELECT candidateId, itemId FROM recording WHERE examId = :exam AND isCurrent
              UNION SELECT candidateId, itemId FROM listeningAnswer WHERE examId = :exam) r
            JOIN allocation a ON a.examId = :exam AND a.candidateId = r.candidateId AND a.centreId = :centre
            """, arguments: ["exam": examId, "centre": centreId]
        ).map { "\($0["candidateId"] as String)|\($0["itemId"] as String)" })
    }
  }
}
