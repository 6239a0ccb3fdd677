import ExamCore
import ExamStorage

/// Everything exported about one student: details, entries, test sittings and checks.
public struct StudentRecord: Sendable {
  public var student: RecordStudent
  /// Entries by dimension, each list by date and title.
  public var entries: [RecordDimension: [RecordEntry]]
  /// Listening-and-speaking sittings, by date.
  public var sittings: [RecordTestSitting]
  public var check: StudentCheck

  /// The national ID as exported: masked unless `unmask`.
  public func nationalId(unmask: Bool) -> String {
    unmask ? student.nationalId : NationalID.masked(student.nationalId)
  }

  /// Loads the records of every student the filter selects, by school, class and student number.
  public static func load(_ filter: RecordFilter, store: any RecordsStore) async throws -> [StudentRecord] {
    var all: [StudentRecord] = []
    try await forEachBatch(of: try await store.recordStudents(filter), store: store) { all += $0 }
    return all
  }

  /// The records of `students`, `batchSize` students at a time and in their order, so an export of a whole city
  /// holds one batch of entries in memory, not all of them.
  public static func forEachBatch(
    of students: [RecordStudent], store: any RecordsStore, batchSize: Int = 500,
    _ body: ([StudentRecord]) throws -> Void
  ) async throws {
    var start = 0
    while start < students.count {
      let batch = students[start..<min(students.count, start + batchSize)]
      let (entries, sittings) = try await store.recordEntriesAndSittings(nationalIds: batch.map(\.nationalId))
      try body(
        batch.map { s in
          let own = entries[s.nationalId] ?? []
          let tests = sittings[s.nationalId] ?? []
          return StudentRecord(
            student: s, entries: Dictionary(grouping: own, by: \.dimension), sittings: tests,
            check: RecordChecks.check(s, entries: own, sittings: tests))
        })
      start += batchSize
    }
  }
}
