import ExamCore
import Foundation
import GRDB

/// Reads of one answer at a time, for the marking desk (the whole-exam reads are in `ExamDatabase+Marking.swift`).
/// Each is one cached statement (`readOne`, `cachedRow`): they run several times per request under load.
extension ExamDatabase {
  /// The first answer of `examId` given to `raterId` (slot 1 or 2) that the rater has not marked yet, or nil.
  public func nextOpenAssignment(examId: String, raterId: String) throws -> MarkAssignment? {
    try readOne { db in
      try Self.cachedRow(
        db,
        """
        SELECT a.* FROM markAssignment a JOIN recording r ON r.id = a.recordingId
        WHERE a.raterId = ? AND a.slot <= 2 AND r.examId = ? AND r.isCurrent
          AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.recordingId = a.recordingId AND m.kind = 'human' AND m.raterId = a.raterId)
        ORDER BY a.recordingId LIMIT 1
        """, [raterId, examId]
      ).map(Self.markAssignment(from:))
    }
  }

  /// How many answers of `examId` were given to `raterId` and how many of them the rater has marked.
  public func assignmentProgress(examId: String, raterId: String) throws -> (assigned: Int, marked: Int) {
    try readOne { db in
      let row = try Self.cachedRow(
        db,
        """
        SELECT COUNT(*) AS assigned,
          SUM(EXISTS (SELECT 1 FROM mark m WHERE m.recordingId = a.recordingId AND m.kind = 'human' AND m.raterId = a.raterId)) AS marked
        FROM markAssignment a JOIN recording r ON r.id = a.recordingId
        WHERE a.raterId = ? AND a.slot <= 2 AND r.examId = ? AND r.isCurrent
        """, [raterId, examId])
      return (row?["assigned"] ?? 0, row?["marked"] ?? 0)
    }
  }

  /// The assignments of one answer, by slot.
  public func assignments(recordingId: Int64) throws -> [MarkAssignment] {
    try readOne { db in
      try Self.cachedRows(db, "SELECT * FROM markAssignment WHERE recordingId = ? ORDER BY slot", [recordingId])
        .map(Self.markAssignment(from:))
    }
  }

  /// The recording with this id (any version), or nil.
  public func recording(id: Int64) throws -> StoredRecording? {
    try readOne { db in
      try Self.cachedRow(db, "SELECT * FROM recording WHERE id = ?", [id]).map(Self.recording(from:))
    }
  }

  /// The machine score of one recording, or nil.
  public func machineScore(recordingId: Int64) throws -> MachineScore? {
    try readOne { db in
      try Self.cachedRow(db, "SELECT * FROM machineScore WHERE recordingId = ?", [recordingId])
        .map(Self.machineScore(from:))
    }
  }

  /// Every mark of one answer, oldest first, and whether it has a final mark.
  public func marks(recordingId: Int64) throws -> (marks: [Mark], isFinal: Bool) {
    try read { db in
      let marks = try Self.cachedRows(db, "SELECT * FROM mark WHERE recordingId = ? ORDER BY id", [recordingId]).map {
        Mark(
          id: $0["id"], recordingId: $0["recordingId"], raterId: $0["raterId"],
          kind: Mark.Kind(rawValue: $0["kind"]) ?? .human, points: $0["points"], markedAt: $0["markedAt"],
          source: $0["source"])
      }
      let isFinal =
        try Bool.fetchOne(
          db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM finalMark WHERE recordingId = ?)"),
          arguments: [recordingId]) ?? false
      return (marks, isFinal)
    }
  }

  static func machineScore(from r: Row) throws -> MachineScore {
    MachineScore(
      recordingId: r["recordingId"], examId: r["examId"], candidateId: r["candidateId"], itemId: r["itemId"],
      features: try decoder.decode([String: Double].self, from: Data((r["featuresJSON"] as String).utf8)),
      aspects: try decoder.decode([String: Double].self, from: Data((r["aspectsJSON"] as String).utf8)),
      points: r["points"], confidence: r["confidence"], needsHuman: r["needsHuman"], reason: r["reason"],
      modelVersion: r["modelVersion"], scoredAt: r["scoredAt"])
  }

  static func markAssignment(from r: Row) -> MarkAssignment {
    MarkAssignment(recordingId: r["recordingId"], raterId: r["raterId"], slot: r["slot"], assignedAt: r["assignedAt"])
  }
}
