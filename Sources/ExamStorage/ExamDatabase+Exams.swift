import ExamCore
import Foundation
import GRDB

/// What an import did.
public enum ImportOutcome: String, Sendable, Equatable {
  /// New rows were written.
  case inserted
  /// The same data was there already; nothing changed.
  case unchanged
}

extension ExamDatabase {
  /// Registers an exam with its sections and items, in one transaction with its audit line.
  ///
  /// Importing the same pack again changes nothing (`.unchanged`). A different pack under an existing exam id
  /// is refused, so a paper cannot be swapped silently after candidates were allocated to it.
  /// - Throws: `ExamError.conflict` naming the exam id.
  public func importExam(_ exam: ExamDefinition, audit: AuditEntry) throws -> ImportOutcome {
    let rows = try ExamRows(exam)
    return try write { db in
      if let existing = try String.fetchOne(db, sql: "SELECT packSha256 FROM exam WHERE id = ?", arguments: [exam.id]) {
        if existing == exam.packSha256 { return .unchanged }
        throw ExamError(
          .conflict, location: "exam \(exam.id)",
          "a different pack (sha256 \(existing.prefix(12))…) is already imported under this exam id",
          fix: "give the new paper its own exam id in pack.yaml")
      }
      try db.execute(
        sql:
          "INSERT INTO exam (id, title, packSha256, formCount, totalPoints, definitionJSON, importedAt) VALUES (?,?,?,?,?,?,?)",
        arguments: [
          exam.id, exam.title, exam.packSha256, exam.formCount, exam.totalPoints, rows.definitionJSON, audit.at,
        ])
      for s in rows.sections {
        try db.execute(
          sql: "INSERT INTO section (examId, id, position, title, part, points) VALUES (?,?,?,?,?,?)",
          arguments: [exam.id, s.id, s.position, s.title, s.part, s.points])
      }
      for i in rows.items {
        try db.execute(
          sql: """
            INSERT INTO item (examId, id, sectionId, position, type, points, promptText, referenceText,
              referenceAudioSha256, answerKey, promptSeconds, minAnswerSeconds, maxAnswerSeconds, rubricJSON)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
          arguments: [
            exam.id, i.id, i.sectionId, i.position, i.type, i.points, i.promptText, i.referenceText,
            i.referenceAudioSha256, i.answerKey, i.promptSeconds, i.minAnswerSeconds, i.maxAnswerSeconds, i.rubricJSON,
          ])
      }
      try Self.appendAudit(audit, in: db)
      return .inserted
    }
  }

  /// The exam with this id, or nil.
  ///
  /// The definition is decoded from its JSON once per handle and kept (`ExamDefinitionCache`); later calls read only
  /// the row's pack digest and import time, and decode again when either changed.
  public func exam(id: String) throws -> ExamDefinition? {
    let cache = examCache
    let found: (version: ExamDefinitionCache.Version, kept: ExamDefinition?, json: String?)? = try readOne { db in
      guard let row = try Self.cachedRow(db, "SELECT packSha256, importedAt FROM exam WHERE id = ?", [id]) else {
        return nil
      }
      let version = ExamDefinitionCache.Version(packSha256: row["packSha256"], importedAt: row["importedAt"])
      if let kept = cache.definition(id, at: version) { return (version, kept, nil) }
      // Not kept: the definition with the version it belongs to, read by one statement.
      guard
        let full = try Self.cachedRow(
          db, "SELECT packSha256, importedAt, definitionJSON FROM exam WHERE id = ?", [id])
      else { return nil }
      return (
        ExamDefinitionCache.Version(packSha256: full["packSha256"], importedAt: full["importedAt"]), nil,
        full["definitionJSON"]
      )
    }
    guard let found else { return nil }
    if let kept = found.kept { return kept }
    guard let json = found.json else { return nil }
    let exam = try ExamDatabase.decoder.decode(ExamDefinition.self, from: Data(json.utf8))
    cache.keep(exam, for: id, at: found.version)
    return exam
  }

  /// The exam with this id. - Throws: `ExamError.notFound` listing the exams there are.
  public func requireExam(id: String) throws -> ExamDefinition {
    if let exam = try exam(id: id) { return exam }
    throw ExamError.noSuchExam(id, known: try examIds())
  }

  /// The exam a command works on: `given`, else the only exam in the store (`ExamSelection`).
  /// - Throws: `ExamError.usage` when nothing was named and the store holds no exam or several.
  public func resolveExamId(_ given: String?) throws -> String {
    try ExamSelection.resolve(given, among: given == nil ? examIds() : [])
  }

  /// Ids of the imported exams, sorted.
  public func examIds() throws -> [String] {
    try read { db in try String.fetchAll(db, sql: "SELECT id FROM exam ORDER BY id") }
  }

  static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return e
  }()
  static let decoder = JSONDecoder()
}
