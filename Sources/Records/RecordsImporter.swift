import ExamCore
import ExamStorage

/// `exam records import`: checks a school's file, then writes it in one transaction.
public enum RecordsImporter {
  /// Reads, checks and stores the file; importing the same file again changes nothing.
  ///
  /// A CSV file is read twice, a piece at a time, so memory does not grow with it: the first pass checks every
  /// row (and keeps only what rows are compared with: each student's details and a digest per entry); the second
  /// writes, inside one transaction. A JSON file is read whole.
  /// - Throws: `ExamErrors` listing every bad row (nothing is written), or `ExamError`.
  /// - Parameter showProgress: progress of each CSV pass on standard error, in KiB of the file.
  ///
  /// On PostgreSQL the second pass gathers the file's new students and entries and writes them with one statement
  /// each (a school's file; memory grows with its rows).
  public static func importFile(_ path: String, store: any RecordsStore, audit: AuditEntry, showProgress: Bool = false)
    async throws -> RecordChangeSummary
  {
    let kib = ((FileSystem.size(path) ?? 0) + 1023) / 1024
    var line = audit
    do {
      guard path.lowercased().hasSuffix(".csv") else {
        let parsed = try RecordsImport.read(path: path)
        line.summary = summary(path, students: parsed.students.count, entries: parsed.entries.count)
        return try await store.importRecords(students: parsed.students, entries: parsed.entries, audit: line)
      }
      var checking = ProgressReporter(label: "records import: checking (KiB)", total: kib, enabled: showProgress)
      let counted = try checkCSV(path, progress: &checking) { _, _ in }
      line.summary = summary(path, students: counted.students, entries: counted.entries)
      guard let database = store as? ExamDatabase else {
        var writing = ProgressReporter(label: "records import: writing (KiB)", total: kib, enabled: showProgress)
        var (students, entries) = ([RecordStudent](), [RecordEntry]())
        let read = try checkCSV(path, progress: &writing) { student, entry in
          if let student { students.append(student) }
          if let entry { entries.append(entry) }
        }
        guard read == counted else { throw changedWhileImported(path) }
        return try await store.importRecords(students: students, entries: entries, audit: line)
      }
      return try database.importRecords(audit: line) { sink in
        var writing = ProgressReporter(label: "records import: writing (KiB)", total: kib, enabled: showProgress)
        let written = try checkCSV(path, progress: &writing) { student, entry in
          if let student { try sink.put(student) }
          if let entry { try sink.put(entry) }
        }
        guard written == counted else { throw changedWhileImported(path) }
      }
    } catch let error as ExamError {
      throw error.inFile(path)
    }
  }

  static func changedWhileImported(_ path: String) -> ExamError {
    ExamError(
      .conflict, file: path, "the file changed while it was being imported",
      fix: "import it again once nobody is writing it")
  }

  static func summary(_ path: String, students: Int, entries: Int) -> String {
    "records from \(path): \(students) student(s), \(entries) entr(ies)"
  }

  /// One pass over a CSV records file: checks every row and hands `use` each student and entry the first time
  /// the file gives it (nil when already given). Returns how many of each there are.
  /// - Throws: `ExamErrors` with every bad row, after the whole file was read; `ExamError` for the file.
  static func checkCSV(
    _ path: String, progress: inout ProgressReporter, _ use: (RecordStudent?, RecordEntry?) throws -> Void
  )
    throws -> Counts
  {
    var checker = RecordsImport.RowChecker(source: path)
    var columns: [String: Int] = [:]
    var counts = Counts()
    try CSVFileReader(path: path).forEachRow(
      header: { names in
        try CSVTable.require(columns: RecordsImport.requiredColumns, in: names, source: path)
        for (i, name) in names.enumerated() where columns[name] == nil { columns[name] = i }
      }, bytesRead: { bytes in progress.advance(by: (bytes + 1023) / 1024 - progress.completed) }
    ) { row in
      let raw = RecordsImport.RawRow(
        location: "line \(row.line)", fieldLabel: { "column \($0)" },
        value: { column in columns[column].map { row.fields[$0].trimmingSpaces() } ?? "" })
      guard let checked = checker.check(raw), checked.newStudent || checked.newEntry else { return }
      if checked.newStudent { counts.students += 1 }
      if checked.newEntry { counts.entries += 1 }
      // Bad rows are still being collected: nothing is handed on once one is found.
      if checker.errors.isEmpty {
        try use(checked.newStudent ? checked.student : nil, checked.newEntry ? checked.entry : nil)
      }
    }
    try checker.finish()
    return counts
  }

  struct Counts: Equatable {
    var students = 0
    var entries = 0
  }
}
