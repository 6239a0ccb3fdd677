import ExamCore

/// Students' comprehensive quality evaluation records on either backend (workflow step 6): students, their record
/// entries, and the test sittings results are written into. `exam records` works on it; the tests run the same cases
/// on both backends (`TestStores`).
public protocol RecordsStore: MarkingStore {
  /// Writes students and their entries in one transaction, with the audit line when something changed (students by
  /// national ID, entries by `RecordEntry.key`; importing a file twice adds nothing).
  /// - Throws: `ExamError.conflict` when a student number already belongs to another national ID; nothing is written.
  func importRecords(students: [RecordStudent], entries: [RecordEntry], audit: AuditEntry) async throws
    -> RecordChangeSummary
  /// The students a filter selects, by school, class and student number.
  func recordStudents(_ filter: RecordFilter) async throws -> [RecordStudent]
  func recordStudent(nationalId: String) async throws -> RecordStudent?
  /// The entries of the students a filter selects, by national ID, each list by dimension, date and title.
  func recordEntries(_ filter: RecordFilter) async throws -> [String: [RecordEntry]]
  /// The test sittings of the students a filter selects, by national ID, each list by sitting date.
  func recordTestSittings(_ filter: RecordFilter) async throws -> [String: [RecordTestSitting]]
  /// The entries and test sittings of the given students, by national ID, for exports a few hundred at a time.
  func recordEntriesAndSittings(nationalIds: [String]) async throws
    -> (entries: [String: [RecordEntry]], sittings: [String: [RecordTestSitting]])
  /// Inserts or updates test sittings (by national ID and exam), with the audit line when something changed.
  func saveTestSittings(_ sittings: [RecordTestSitting], audit: AuditEntry) async throws -> (
    inserted: Int, updated: Int
  )
}

extension ExamDatabase: RecordsStore {}
