import ExamCore
import ExamStorage

/// `exam records import`: checks a school's file, then writes it in one transaction.
public enum RecordsImporter {
  /// Reads, checks and stores the file; importing the same file again changes nothing.
  /// - Throws: `ExamErrors` listing every bad row (nothing is written), or `ExamError`.
  public static func importFile(_ path: String, database: ExamDatabase, audit: AuditEntry) throws -> RecordChangeSummary {
    let parsed = try RecordsImport.read(path: path)
    var line = audit
    line.summary = "records from \(path): \(parsed.students.count) student(s), \(parsed.entries.count) entr(ies)"
    do {
      return try database.importRecords(students: parsed.students, entries: parsed.entries, audit: line)
    } catch let error as ExamError {
      throw error.inFile(path)
    }
  }
}
