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
  public static func load(_ filter: RecordFilter, database: ExamDatabase) throws -> [StudentRecord] {
    let students = try database.recordStudents(filter)
    let entries = try database.recordEntries(filter)
    let sittings = try database.recordTestSittings(filter)
    return students.map { s in
      let own = entries[s.nationalId] ?? []
      let tests = sittings[s.nationalId] ?? []
      return StudentRecord(student: s, entries: Dictionary(grouping: own, by: \.dimension), sittings: tests,
        check: RecordChecks.check(s, entries: own, sittings: tests))
    }
  }
}
