import ExamCore
import Foundation
import PostgresNIO

/// `RecordsStore` on PostgreSQL: the same behaviour as `ExamDatabase`'s methods of the same names. Rows travel to the
/// server as JSON arrays of up to 10,000 rows a statement (`jsonb_to_recordset`), so optional fields keep their NULLs.
extension PostgresStore: RecordsStore {
  /// As `ExamDatabase.importRecords`: the stored students and entries of the file's students are read once and
  /// compared here; the new and changed rows are written by one statement each.
  public func importRecords(students: [RecordStudent], entries: [RecordEntry], audit: AuditEntry) async throws
    -> RecordChangeSummary
  {
    var byId: [String: RecordStudent] = [:]
    var numbers: [String: String] = [:]
    for s in students {
      if let owner = numbers[s.studentNumber], owner != s.nationalId { throw Self.studentNumberTaken(s, by: owner) }
      numbers[s.studentNumber] = s.nationalId
      byId[s.nationalId] = s
    }
    var byKey: [String: RecordEntry] = [:]
    for e in entries { byKey[e.key] = e }
    let (studentList, entryList, owners) = (Array(byId.values), Array(byKey.values), numbers)
    let ids = Array(Set(studentList.map(\.nationalId)).union(entryList.map(\.nationalId)))
    return try await retrying("import \(students.count) students' records") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        var summary = RecordChangeSummary()
        for try await (owner, number) in try await connection.query(
          "SELECT national_id, student_number FROM student WHERE student_number = ANY(\(Array(owners.keys)))",
          logger: logger
        ).decode((String, String).self) where owners[number] != owner {
          throw Self.studentNumberTaken(studentList.first { $0.nationalId == owners[number] }!, by: owner)
        }
        var stored: [String: RecordStudent] = [:]
        for try await row in try await connection.query(
          "SELECT \(unescaped: Self.studentColumns) FROM student WHERE national_id = ANY(\(ids))", logger: logger)
        {
          let s = try Self.student(row)
          stored[s.nationalId] = s
        }
        let changed = studentList.filter { stored[$0.nationalId] != $0 }
        summary.studentsInserted = changed.filter { stored[$0.nationalId] == nil }.count
        summary.studentsUpdated = changed.count - summary.studentsInserted
        for piece in Self.pieces(changed) {
          try await connection.query(
            """
            INSERT INTO student (national_id, student_number, name, school, district, class_name, cohort)
            SELECT "nationalId", "studentNumber", name, school, district, "className", cohort
            FROM jsonb_to_recordset(\(try Self.json(piece))::jsonb) AS x("nationalId" text, "studentNumber" text,
              name text, school text, district text, "className" text, cohort integer)
            ON CONFLICT (national_id) DO UPDATE SET student_number = excluded.student_number, name = excluded.name,
              school = excluded.school, district = excluded.district, class_name = excluded.class_name,
              cohort = excluded.cohort
            """, logger: logger)
        }
        var storedEntries: [String: (id: Int64, entry: RecordEntry)] = [:]
        for try await row in try await connection.query(
          "SELECT id, \(unescaped: Self.entryColumns) FROM record_entry WHERE national_id = ANY(\(ids))",
          logger: logger)
        {
          let (id, entry) = try Self.entry(row)
          storedEntries[entry.key] = (id, entry)
        }
        var fresh: [RecordEntry] = []
        var updates: [StoredEntry] = []
        for e in entryList {
          guard let s = storedEntries[e.key] else {
            fresh.append(e)
            continue
          }
          if s.entry == e { summary.entriesUnchanged += 1 } else { updates.append(StoredEntry(id: s.id, entry: e)) }
        }
        summary.entriesInserted = fresh.count
        summary.entriesUpdated = updates.count
        for piece in Self.pieces(fresh) {
          try await connection.query(
            """
            INSERT INTO record_entry (national_id, dimension, indicator, type, title, date, hours, score, grade, source,
              evidence, status, imported_at)
            SELECT "nationalId", dimension, indicator, type, title, date, hours, score, grade, source, evidence, status,
              \(audit.at)
            FROM jsonb_to_recordset(\(try Self.json(piece))::jsonb) AS x(\(unescaped: Self.entryRecordset))
            """, logger: logger)
        }
        for piece in Self.pieces(updates) {
          try await connection.query(
            """
            UPDATE record_entry e SET indicator = x.indicator, hours = x.hours, score = x.score, grade = x.grade,
              source = x.source, evidence = x.evidence, status = x.status, imported_at = \(audit.at)
            FROM jsonb_to_recordset(\(try Self.json(piece))::jsonb) AS x(id bigint, \(unescaped: Self.entryRecordset))
            WHERE e.id = x.id
            """, logger: logger)
        }
        if summary.changed { try await Self.appendAudit(audit, on: connection, logger: logger) }
        return summary
      }
    }
  }

  /// `rows` in pieces of 10,000, one statement each, so no one JSON document holds a whole city's file.
  static func pieces<T>(_ rows: [T]) -> [[T]] {
    stride(from: 0, to: rows.count, by: 10_000).map { Array(rows[$0..<min(rows.count, $0 + 10_000)]) }
  }

  /// An entry to update, with the id of its row: encoded flat, as `jsonb_to_recordset` reads it.
  struct StoredEntry: Encodable {
    var id: Int64
    var entry: RecordEntry
    func encode(to encoder: any Encoder) throws {
      try entry.encode(to: encoder)
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(id, forKey: .id)
    }
    enum Key: CodingKey { case id }
  }

  static let entryRecordset = """
    "nationalId" text, dimension text, indicator text, type text, title text, date text, hours float8, score float8,
    grade text, source text, evidence text, status text
    """

  static func json(_ rows: some Encodable) throws -> String {
    String(decoding: try ExamDatabase.encoder.encode(rows), as: UTF8.self)
  }

  static func studentNumberTaken(_ s: RecordStudent, by owner: String) -> ExamError {
    ExamError(
      .conflict, location: "student \(NationalID.masked(s.nationalId))",
      "student number \(s.studentNumber) already belongs to the student with national ID \(NationalID.masked(owner))",
      fix: "check both students: one student number is one student")
  }

  public func recordStudents(_ filter: RecordFilter) async throws -> [RecordStudent] {
    let all = try await retrying("read the students") { [self] in
      var out: [RecordStudent] = []
      for try await row in try await client.query(
        """
        SELECT \(unescaped: Self.studentColumns) FROM student s WHERE (\(filter.school == nil) OR s.school = \(filter.school ?? ""))
          AND (\(filter.district == nil) OR s.district = \(filter.district ?? ""))
          AND (\(filter.cohort == nil) OR s.cohort = \(filter.cohort ?? 0))
        ORDER BY school COLLATE "C", class_name COLLATE "C", student_number COLLATE "C"
        """, logger: logger)
      { out.append(try Self.student(row)) }
      return out
    }
    guard let ids = filter.nationalIds else { return all }
    return all.filter { ids.contains($0.nationalId) }
  }

  public func recordStudent(nationalId: String) async throws -> RecordStudent? {
    try await retrying("read a student") { [self] in
      var out: RecordStudent?
      for try await row in try await client.query(
        "SELECT \(unescaped: Self.studentColumns) FROM student s WHERE national_id = \(nationalId)", logger: logger)
      { out = try Self.student(row) }
      return out
    }
  }

  public func recordEntries(_ filter: RecordFilter) async throws -> [String: [RecordEntry]] {
    try await retrying("read the record entries") { [self] in
      var out: [String: [RecordEntry]] = [:]
      for try await row in try await client.query(
        """
        SELECT e.id, \(unescaped: Self.entryColumns(alias: "e")) FROM record_entry e
        JOIN student s ON s.national_id = e.national_id WHERE (\(filter.school == nil) OR s.school = \(filter.school ?? ""))
          AND (\(filter.district == nil) OR s.district = \(filter.district ?? ""))
          AND (\(filter.cohort == nil) OR s.cohort = \(filter.cohort ?? 0))
        ORDER BY e.national_id COLLATE "C", e.dimension COLLATE "C", e.date COLLATE "C", e.title COLLATE "C"
        """, logger: logger)
      {
        let entry = try Self.entry(row).entry
        if let keep = filter.nationalIds, !keep.contains(entry.nationalId) { continue }
        out[entry.nationalId, default: []].append(entry)
      }
      return out
    }
  }

  public func recordTestSittings(_ filter: RecordFilter) async throws -> [String: [RecordTestSitting]] {
    try await sittings(
      """
      SELECT \(unescaped: Self.sittingColumns(alias: "t")) FROM record_test_sitting t
      JOIN student s ON s.national_id = t.national_id WHERE (\(filter.school == nil) OR s.school = \(filter.school ?? ""))
          AND (\(filter.district == nil) OR s.district = \(filter.district ?? ""))
          AND (\(filter.cohort == nil) OR s.cohort = \(filter.cohort ?? 0))
      ORDER BY t.national_id COLLATE "C", t.sitting_date COLLATE "C", t.exam_id COLLATE "C"
      """, keep: filter.nationalIds)
  }

  public func recordEntriesAndSittings(nationalIds: [String]) async throws
    -> (entries: [String: [RecordEntry]], sittings: [String: [RecordTestSitting]])
  {
    guard !nationalIds.isEmpty else { return ([:], [:]) }
    let entries = try await retrying("read the record entries") { [self] in
      var out: [String: [RecordEntry]] = [:]
      for try await row in try await client.query(
        """
        SELECT id, \(unescaped: Self.entryColumns) FROM record_entry WHERE national_id = ANY(\(nationalIds))
        ORDER BY national_id COLLATE "C", dimension COLLATE "C", date COLLATE "C", title COLLATE "C"
        """, logger: logger)
      {
        let entry = try Self.entry(row).entry
        out[entry.nationalId, default: []].append(entry)
      }
      return out
    }
    let sittings = try await sittings(
      """
      SELECT \(unescaped: Self.sittingColumns(alias: "t")) FROM record_test_sitting t
      WHERE national_id = ANY(\(nationalIds))
      ORDER BY national_id COLLATE "C", sitting_date COLLATE "C", exam_id COLLATE "C"
      """, keep: nil)
    return (entries, sittings)
  }

  /// As `ExamDatabase.saveTestSittings`: the stored sittings of these students are read once and compared here.
  public func saveTestSittings(_ sittings: [RecordTestSitting], audit: AuditEntry) async throws
    -> (inserted: Int, updated: Int)
  {
    guard !sittings.isEmpty else { return (0, 0) }
    let stored = try await self.sittings(
      """
      SELECT \(unescaped: Self.sittingColumns(alias: "t")) FROM record_test_sitting t
      WHERE national_id = ANY(\(Array(Set(sittings.map(\.nationalId)))))
      """, keep: nil)
    var changed: [String: RecordTestSitting] = [:]
    var inserted = 0
    for s in sittings {
      let before = stored[s.nationalId]?.first { $0.examId == s.examId }
      if before == s { continue }
      if before == nil && changed[s.nationalId + "\u{1}" + s.examId] == nil { inserted += 1 }
      changed[s.nationalId + "\u{1}" + s.examId] = s
    }
    guard !changed.isEmpty else { return (0, 0) }
    let rows = try changed.values.map { s in
      SittingRow(sitting: s, sectionScoresJSON: try Self.json(s.sectionScores), syncedAt: audit.at)
    }
    let updated = changed.count - inserted
    try await retrying("store \(changed.count) test sittings") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        for piece in Self.pieces(rows) {
          try await connection.query(
            """
            INSERT INTO record_test_sitting (national_id, exam_id, exam_title, candidate_id, sitting_date, total, max_total,
              listening, speaking, section_scores_json, level, counted, synced_at)
            SELECT "nationalId", "examId", "examTitle", "candidateId", "sittingDate", total, "maxTotal", listening,
              speaking, "sectionScoresJSON", level, counted, "syncedAt"
            FROM jsonb_to_recordset(\(try Self.json(piece))::jsonb) AS x("nationalId" text, "examId" text,
              "examTitle" text, "candidateId" text, "sittingDate" text, total float8, "maxTotal" float8, listening float8,
              speaking float8, "sectionScoresJSON" text, level text, counted boolean, "syncedAt" text)
            ON CONFLICT (national_id, exam_id) DO UPDATE SET exam_title = excluded.exam_title,
              candidate_id = excluded.candidate_id, sitting_date = excluded.sitting_date, total = excluded.total,
              max_total = excluded.max_total, listening = excluded.listening, speaking = excluded.speaking,
              section_scores_json = excluded.section_scores_json, level = excluded.level, counted = excluded.counted,
              synced_at = excluded.synced_at
            """, logger: logger)
        }
        try await Self.appendAudit(audit, on: connection, logger: logger)
      }
    }
    return (inserted, updated)
  }

  /// A test sitting as `jsonb_to_recordset` reads it: its fields, its section scores as stored, and when.
  struct SittingRow: Encodable {
    var sitting: RecordTestSitting
    var sectionScoresJSON: String
    var syncedAt: String
    func encode(to encoder: any Encoder) throws {
      try sitting.encode(to: encoder)
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(sectionScoresJSON, forKey: .sectionScoresJSON)
      try container.encode(syncedAt, forKey: .syncedAt)
    }
    enum Key: CodingKey { case sectionScoresJSON, syncedAt }
  }

  func sittings(_ query: PostgresQuery, keep: Set<String>?) async throws(ExamError) -> [String: [RecordTestSitting]] {
    try await retrying("read the test sittings") { [self] in
      var out: [String: [RecordTestSitting]] = [:]
      for try await row in try await client.query(query, logger: logger) {
        let s = try Self.sitting(row)
        if let keep, !keep.contains(s.nationalId) { continue }
        out[s.nationalId, default: []].append(s)
      }
      return out
    }
  }

  // MARK: Rows

  static let studentColumns = "national_id, student_number, name, school, district, class_name, cohort"

  static func student(_ row: PostgresRow) throws -> RecordStudent {
    let (id, number, name, school, district, className, cohort) = try row.decode(
      (String, String, String, String, String, String, Int).self)
    return RecordStudent(
      nationalId: id, studentNumber: number, name: name, school: school, district: district, className: className,
      cohort: cohort)
  }

  static var entryColumns: String { entryColumns(alias: nil) }
  static func entryColumns(alias: String?) -> String {
    [
      "national_id", "dimension", "indicator", "type", "title", "date", "hours", "score", "grade", "source", "evidence",
      "status",
    ].map { (alias.map { $0 + "." } ?? "") + $0 }.joined(separator: ", ")
  }

  /// An entry from `SELECT id, <entryColumns>`, with its id.
  static func entry(_ row: PostgresRow) throws -> (id: Int64, entry: RecordEntry) {
    let c = row.makeRandomAccess()
    return (
      try c[0].decode(Int64.self),
      RecordEntry(
        nationalId: try c[1].decode(String.self),
        dimension: RecordDimension(rawValue: try c[2].decode(String.self)) ?? .academic,
        indicator: try c[3].decode(String?.self),
        type: RecordEntryType(rawValue: try c[4].decode(String.self)) ?? .other,
        title: try c[5].decode(String.self), date: try c[6].decode(String.self), hours: try c[7].decode(Double?.self),
        score: try c[8].decode(Double?.self), grade: try c[9].decode(String?.self),
        source: try c[10].decode(String.self),
        evidence: try c[11].decode(String?.self),
        status: RecordEntryStatus(rawValue: try c[12].decode(String.self)) ?? .entered)
    )
  }

  static func sittingColumns(alias: String) -> String {
    [
      "national_id", "exam_id", "exam_title", "candidate_id", "sitting_date", "total", "max_total", "listening",
      "speaking", "section_scores_json", "level", "counted",
    ].map { alias + "." + $0 }.joined(separator: ", ")
  }

  static func sitting(_ row: PostgresRow) throws -> RecordTestSitting {
    let c = row.makeRandomAccess()
    return RecordTestSitting(
      nationalId: try c[0].decode(String.self), examId: try c[1].decode(String.self),
      examTitle: try c[2].decode(String.self), candidateId: try c[3].decode(String.self),
      sittingDate: try c[4].decode(String.self), total: try c[5].decode(Double.self),
      maxTotal: try c[6].decode(Double.self), listening: try c[7].decode(Double.self),
      speaking: try c[8].decode(Double.self),
      sectionScores: try ExamDatabase.decoder.decode(
        [String: Double].self, from: Data(try c[9].decode(String.self).utf8)),
      level: try c[10].decode(String.self), counted: try c[11].decode(Bool.self))
  }
}
