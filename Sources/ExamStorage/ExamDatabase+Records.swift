import ExamCore
import Foundation
import GRDB

extension ExamDatabase {
  /// Writes students and their record entries in one transaction with its audit line (written only when
  /// something changed). Students are matched by national ID and updated when their details differ; entries are
  /// matched by `RecordEntry.key` and updated when any other field differs, so importing a file twice adds nothing.
  /// - Throws: `ExamError.conflict` when a student number already belongs to another national ID; nothing is written.
  public func importRecords(students: [RecordStudent], entries: [RecordEntry], audit: AuditEntry) throws
    -> RecordChangeSummary
  {
    try importRecords(audit: audit) { sink in
      for s in students { try sink.put(s) }
      for e in entries { try sink.put(e) }
    }
  }

  /// The same, for callers that stream: `body` puts students and entries into the sink (a student before its
  /// entries), all in one transaction; when `body` throws, nothing is written.
  public func importRecords(audit: AuditEntry, _ body: (RecordsImportSink) throws -> Void) throws -> RecordChangeSummary
  {
    // `write` runs its closure synchronously on this thread before it returns, so the caller's non-Sendable
    // closure (and the state it captures) is never used from two threads.
    try withoutActuallyEscaping(body) { body in
      struct Unchecked: @unchecked Sendable { let body: (RecordsImportSink) throws -> Void }
      let unchecked = Unchecked(body: body)
      return try write { db in
        let sink = RecordsImportSink(db: db, importedAt: audit.at)
        try unchecked.body(sink)
        if sink.summary.changed { try Self.appendAudit(audit, in: db) }
        return sink.summary
      }
    }
  }

  /// The students a filter selects, by school, class and student number.
  public func recordStudents(_ filter: RecordFilter = RecordFilter()) throws -> [RecordStudent] {
    let (clause, arguments) = Self.studentWhere(filter, alias: "student")
    let all = try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM student \(clause) ORDER BY school, className, studentNumber",
        arguments: arguments
      ).map(Self.student(from:))
    }
    guard let ids = filter.nationalIds else { return all }
    return all.filter { ids.contains($0.nationalId) }
  }

  /// One student, or nil.
  public func recordStudent(nationalId: String) throws -> RecordStudent? {
    try read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM student WHERE nationalId = ?", arguments: [nationalId])
        .map(Self.student(from:))
    }
  }

  /// The entries of the students a filter selects, by national ID, each list by dimension, date and title.
  public func recordEntries(_ filter: RecordFilter = RecordFilter()) throws -> [String: [RecordEntry]] {
    let (clause, arguments) = Self.studentWhere(filter, alias: "s")
    return try read { db in
      try Self.entriesByStudent(
        db,
        sql: """
          SELECT e.id, \(Self.entryColumns(alias: "e")) FROM recordEntry e JOIN student s ON s.nationalId = e.nationalId \(clause)
          ORDER BY e.nationalId, e.dimension, e.date, e.title
          """, arguments: arguments, keep: filter.nationalIds)
    }
  }

  /// The test sittings of the students a filter selects, by national ID, each list by sitting date.
  public func recordTestSittings(_ filter: RecordFilter = RecordFilter()) throws -> [String: [RecordTestSitting]] {
    let (clause, arguments) = Self.studentWhere(filter, alias: "s")
    return try read { db in
      try Self.sittingsByStudent(
        db,
        sql: """
          SELECT t.* FROM recordTestSitting t JOIN student s ON s.nationalId = t.nationalId \(clause)
          ORDER BY t.nationalId, t.sittingDate, t.examId
          """, arguments: arguments, keep: filter.nationalIds)
    }
  }

  /// The entries and the test sittings of the given students, by national ID (each list in the order of
  /// `recordEntries` and `recordTestSittings`). For exports that go a few hundred students at a time (one SQL
  /// variable per student: keep it under SQLite's limit of 32,766).
  public func recordEntriesAndSittings(nationalIds: [String]) throws
    -> (entries: [String: [RecordEntry]], sittings: [String: [RecordTestSitting]])
  {
    guard !nationalIds.isEmpty else { return ([:], [:]) }
    let marks = Array(repeating: "?", count: nationalIds.count).joined(separator: ",")
    let arguments = StatementArguments(nationalIds)
    return try read { db in
      let entries = try Self.entriesByStudent(
        db,
        sql: """
          SELECT id, \(Self.entryColumns) FROM recordEntry WHERE nationalId IN (\(marks))
          ORDER BY nationalId, dimension, date, title
          """, arguments: arguments)
      let sittings = try Self.sittingsByStudent(
        db,
        sql: """
          SELECT * FROM recordTestSitting WHERE nationalId IN (\(marks)) ORDER BY nationalId, sittingDate, examId
          """, arguments: arguments)
      return (entries, sittings)
    }
  }

  /// Inserts or updates test sittings (by national ID and exam), in one transaction with its audit line (written
  /// only when something changed). Returns how many rows were inserted and updated.
  public func saveTestSittings(_ sittings: [RecordTestSitting], audit: AuditEntry) throws -> (
    inserted: Int, updated: Int
  ) {
    let encoded = try sittings.map {
      String(decoding: try ExamDatabase.encoder.encode($0.sectionScores), as: UTF8.self)
    }
    return try write { db in
      var inserted = 0
      var updated = 0
      for (s, sections) in zip(sittings, encoded) {
        if let row = try Row.fetchOne(
          db.cachedStatement(sql: "SELECT * FROM recordTestSitting WHERE nationalId = ? AND examId = ?"),
          arguments: [s.nationalId, s.examId])
        {
          if try Self.sitting(from: row) == s { continue }
          updated += 1
        } else {
          inserted += 1
        }
        try db.cachedStatement(
          sql: """
            INSERT INTO recordTestSitting (nationalId, examId, examTitle, candidateId, sittingDate, total, maxTotal,
              listening, speaking, sectionScoresJSON, level, counted, syncedAt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT(nationalId, examId) DO UPDATE SET examTitle=excluded.examTitle, candidateId=excluded.candidateId,
              sittingDate=excluded.sittingDate, total=excluded.total, maxTotal=excluded.maxTotal,
              listening=excluded.listening, speaking=excluded.speaking, sectionScoresJSON=excluded.sectionScoresJSON,
              level=excluded.level, counted=excluded.counted, syncedAt=excluded.syncedAt
            """
        ).execute(arguments: [
          s.nationalId, s.examId, s.examTitle, s.candidateId, s.sittingDate, s.total, s.maxTotal,
          s.listening, s.speaking, sections, s.level, s.counted, audit.at,
        ])
      }
      if inserted + updated > 0 { try Self.appendAudit(audit, in: db) }
      return (inserted, updated)
    }
  }

  // MARK: - Implementation details

  static func studentWhere(_ filter: RecordFilter, alias: String) -> (String, StatementArguments) {
    var parts: [String] = []
    var arguments: StatementArguments = []
    if let school = filter.school {
      parts.append("\(alias).school = ?")
      arguments += [school]
    }
    if let district = filter.district {
      parts.append("\(alias).district = ?")
      arguments += [district]
    }
    if let cohort = filter.cohort {
      parts.append("\(alias).cohort = ?")
      arguments += [cohort]
    }
    return (parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND "), arguments)
  }

  /// The entries a query returns (`id` then `entryColumns`), by national ID; only `keep`'s students when given.
  static func entriesByStudent(_ db: Database, sql: String, arguments: StatementArguments, keep: Set<String>? = nil)
    throws -> [String: [RecordEntry]]
  {
    var byStudent: [String: [RecordEntry]] = [:]
    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
    while let row = try rows.next() {
      let entry = entry(from: row)
      if let keep, !keep.contains(entry.nationalId) { continue }
      byStudent[entry.nationalId, default: []].append(entry)
    }
    return byStudent
  }

  /// The test sittings a query returns (`recordTestSitting` rows), by national ID; only `keep`'s students when given.
  static func sittingsByStudent(_ db: Database, sql: String, arguments: StatementArguments, keep: Set<String>? = nil)
    throws -> [String: [RecordTestSitting]]
  {
    var byStudent: [String: [RecordTestSitting]] = [:]
    let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
    while let row = try rows.next() {
      let sitting = try sitting(from: row)
      if let keep, !keep.contains(sitting.nationalId) { continue }
      byStudent[sitting.nationalId, default: []].append(sitting)
    }
    return byStudent
  }

  static func student(from row: Row) -> RecordStudent {
    RecordStudent(
      nationalId: row["nationalId"], studentNumber: row["studentNumber"], name: row["name"],
      school: row["school"], district: row["district"], className: row["className"], cohort: row["cohort"])
  }

  /// The columns `entry(from:)` reads, after the id, in its order.
  static let entryColumnNames = [
    "nationalId", "dimension", "indicator", "type", "title", "date", "hours", "score", "grade", "source", "evidence",
    "status",
  ]
  static var entryColumns: String { entryColumns(alias: nil) }
  static func entryColumns(alias: String?) -> String {
    entryColumnNames.map { (alias.map { $0 + "." } ?? "") + $0 }.joined(separator: ", ")
  }

  /// An entry from a row of `SELECT id, <entryColumns>`; read by position, which is faster than by
  /// name over a million rows.
  static func entry(from row: Row) -> RecordEntry {
    RecordEntry(
      nationalId: row[1], dimension: RecordDimension(rawValue: row[2]) ?? .academic,
      indicator: row[3], type: RecordEntryType(rawValue: row[4]) ?? .other, title: row[5],
      date: row[6], hours: row[7], score: row[8], grade: row[9], source: row[10],
      evidence: row[11], status: RecordEntryStatus(rawValue: row[12]) ?? .entered)
  }

  static func sitting(from row: Row) throws -> RecordTestSitting {
    let sections = try ExamDatabase.decoder.decode(
      [String: Double].self,
      from: Data((row["sectionScoresJSON"] as String).utf8))
    return RecordTestSitting(
      nationalId: row["nationalId"], examId: row["examId"], examTitle: row["examTitle"],
      candidateId: row["candidateId"], sittingDate: row["sittingDate"], total: row["total"], maxTotal: row["maxTotal"],
      listening: row["listening"], speaking: row["speaking"], sectionScores: sections, level: row["level"],
      counted: row["counted"])
  }
}

/// Writes students and entries inside `ExamDatabase.importRecords(audit:_:)`'s transaction; valid only there.
public final class RecordsImportSink {
  private let db: Database
  private let importedAt: String
  public private(set) var summary = RecordChangeSummary()

  init(db: Database, importedAt: String) {
    self.db = db
    self.importedAt = importedAt
  }

  /// Inserts the student, or updates their details when they differ.
  /// - Throws: `ExamError.conflict` when the student number already belongs to another national ID.
  public func put(_ s: RecordStudent) throws {
    if let owner = try String.fetchOne(
      db.cachedStatement(sql: "SELECT nationalId FROM student WHERE studentNumber = ? AND nationalId <> ?"),
      arguments: [s.studentNumber, s.nationalId])
    {
      throw ExamError(
        .conflict, location: "student \(NationalID.masked(s.nationalId))",
        "student number \(s.studentNumber) already belongs to the student with national ID \(NationalID.masked(owner))",
        fix: "check both students: one student number is one student")
    }
    if let row = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT * FROM student WHERE nationalId = ?"),
      arguments: [s.nationalId])
    {
      if ExamDatabase.student(from: row) == s { return }
      try db.cachedStatement(
        sql: """
          UPDATE student SET studentNumber=?, name=?, school=?, district=?, className=?, cohort=? WHERE nationalId=?
          """
      ).execute(arguments: [s.studentNumber, s.name, s.school, s.district, s.className, s.cohort, s.nationalId])
      summary.studentsUpdated += 1
    } else {
      try db.cachedStatement(
        sql: """
          INSERT INTO student (nationalId, studentNumber, name, school, district, className, cohort) VALUES (?,?,?,?,?,?,?)
          """
      ).execute(arguments: [s.nationalId, s.studentNumber, s.name, s.school, s.district, s.className, s.cohort])
      summary.studentsInserted += 1
    }
  }

  /// Inserts the entry, updates it when another field differs, or counts it unchanged (matched by `key`).
  public func put(_ e: RecordEntry) throws {
    let find = try db.cachedStatement(
      sql: """
        SELECT id, \(ExamDatabase.entryColumns) FROM recordEntry WHERE nationalId=? AND dimension=? AND type=? AND title=? AND date=?
        """)
    if let row = try Row.fetchOne(
      find, arguments: [e.nationalId, e.dimension.rawValue, e.type.rawValue, e.title, e.date])
    {
      if ExamDatabase.entry(from: row) == e {
        summary.entriesUnchanged += 1
        return
      }
      try db.cachedStatement(
        sql: """
          UPDATE recordEntry SET indicator=?, hours=?, score=?, grade=?, source=?, evidence=?, status=?, importedAt=?
          WHERE id=?
          """
      ).execute(arguments: [
        e.indicator, e.hours, e.score, e.grade, e.source, e.evidence, e.status.rawValue,
        importedAt, row[0] as Int64,
      ])
      summary.entriesUpdated += 1
    } else {
      try db.cachedStatement(
        sql: """
          INSERT INTO recordEntry (nationalId, dimension, indicator, type, title, date, hours, score, grade, source,
            evidence, status, importedAt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
          """
      ).execute(arguments: [
        e.nationalId, e.dimension.rawValue, e.indicator, e.type.rawValue, e.title, e.date,
        e.hours, e.score, e.grade, e.source, e.evidence, e.status.rawValue, importedAt,
      ])
      summary.entriesInserted += 1
    }
  }
}
