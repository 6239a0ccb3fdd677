import ExamCore
import ExamStorage
import Foundation
import Ingest

/// What the office sees on `/status`: per centre and session, expected / received / refused / missing answers,
/// uploads in flight and the last arrival, read fresh from the store on every request.
struct StatusBoard: Sendable {
  let database: any ServerStore
  let examId: String?

  struct Snapshot: Codable, Sendable {
    var examId: String
    var at: String
    var rows: [Row]
    var totals: Totals
  }

  /// One centre and session (`CentreSessionStatus` with `missing` spelled out for scripts).
  struct Row: Codable, Sendable {
    var centre: String
    var session: String
    var expected: Int
    var received: Int
    var refused: Int
    var missing: Int
    var uploadsInFlight: Int
    var lastUploadAt: String?
  }

  struct Totals: Codable, Sendable {
    var expected = 0
    var received = 0
    var refused = 0
    var missing = 0
  }

  func snapshot() async throws -> Snapshot {
    let exam = try await ExpectedAnswers(store: database).resolveExamId(examId)
    let rows = try await database.centreSessionStatus(examId: exam)
    var totals = Totals()
    for row in rows {
      totals.expected += row.expected
      totals.received += row.received
      totals.refused += row.refused
      totals.missing += row.missing
    }
    return Snapshot(
      examId: exam, at: Timestamp.now(),
      rows: rows.map {
        Row(
          centre: $0.centreId, session: $0.sessionId, expected: $0.expected, received: $0.received, refused: $0.refused,
          missing: $0.missing, uploadsInFlight: $0.uploadsInFlight, lastUploadAt: $0.lastUploadAt)
      }, totals: totals)
  }
}
