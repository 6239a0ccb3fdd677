import ExamCore
import ExamStorage

/// A problem in a student's record that the school should fix before admissions read it.
public enum RecordIssueKind: String, Sendable, Codable, CaseIterable, Comparable {
  /// A dimension has no entry at all.
  case missingDimension = "missing-dimension"
  /// Volunteer service adds up to fewer than `RecordChecks.volunteerHoursRequired` hours.
  case volunteerHoursShort = "volunteer-hours-short"
  /// An entry names no evidence.
  case noEvidence = "no-evidence"
  /// An entry is not yet approved by the school.
  case notApproved = "not-approved"

  public static func < (a: RecordIssueKind, b: RecordIssueKind) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// One problem, with what it concerns.
public struct RecordIssue: Sendable, Codable, Equatable {
  public var kind: RecordIssueKind
  /// What it is about: the dimension, the entry's title, or the hours found.
  public var detail: String
}

/// The checks of one student.
public struct StudentCheck: Sendable, Codable, Equatable {
  public var nationalId: String
  public var studentNumber: String
  public var name: String
  public var school: String
  public var className: String
  /// Volunteer service hours, summed over volunteer-service entries.
  public var volunteerHours: Double
  public var missingDimensions: [RecordDimension]
  public var issues: [RecordIssue]
  public var isComplete: Bool { issues.isEmpty }
}

/// The checks of one school: how many students have each kind of problem.
public struct SchoolCheck: Sendable, Codable, Equatable {
  public var school: String
  public var students: Int
  public var studentsWithIssues: Int
  /// Students with at least one issue of each kind, by kind's raw value.
  public var studentsByIssue: [String: Int]
}

/// The record checks: missing dimensions, volunteer service under 60 hours, entries without evidence, entries
/// not yet approved.
public enum RecordChecks {
  /// Volunteer service a senior-secondary student must have, in hours.
  public static let volunteerHoursRequired = 60.0

  /// Checks one student's entries and test sittings (sittings count for the academic dimension and need no
  /// evidence or approval: they come from the exam office).
  public static func check(_ student: RecordStudent, entries: [RecordEntry], sittings: [RecordTestSitting])
    -> StudentCheck
  {
    var present = Set(entries.map(\.dimension))
    if !sittings.isEmpty { present.insert(.academic) }
    let missing = RecordDimension.allCases.filter { !present.contains($0) }
    var issues = missing.map { RecordIssue(kind: .missingDimension, detail: "\($0.rawValue) (\($0.chineseName))") }
    let hours = entries.filter { $0.type == .volunteerService }.reduce(0.0) { $0 + ($1.hours ?? 0) }
    if hours < volunteerHoursRequired {
      issues.append(
        RecordIssue(
          kind: .volunteerHoursShort,
          detail: "\(RecordsFormat.number(hours)) of \(RecordsFormat.number(volunteerHoursRequired)) hours"))
    }
    for e in entries where e.evidence == nil {
      issues.append(RecordIssue(kind: .noEvidence, detail: "\(e.date) \(e.title)"))
    }
    for e in entries where e.status != .approved {
      issues.append(RecordIssue(kind: .notApproved, detail: "\(e.date) \(e.title) (\(e.status.rawValue))"))
    }
    return StudentCheck(
      nationalId: student.nationalId, studentNumber: student.studentNumber, name: student.name,
      school: student.school, className: student.className, volunteerHours: hours, missingDimensions: missing,
      issues: issues)
  }

  /// Checks every student the filter selects (a batch of students' entries in memory at a time); returns the
  /// students' checks and a summary per school.
  public static func run(_ filter: RecordFilter, store: any RecordsStore) async throws -> (
    students: [StudentCheck], schools: [SchoolCheck]
  ) {
    var checks: [StudentCheck] = []
    try await StudentRecord.forEachBatch(of: try await store.recordStudents(filter), store: store) { batch in
      checks += batch.map(\.check)
    }
    return (checks, summarise(checks))
  }

  /// Per-school counts of the students' checks, by school name.
  public static func summarise(_ checks: [StudentCheck]) -> [SchoolCheck] {
    var schools: [String: SchoolCheck] = [:]
    for c in checks {
      var s =
        schools[c.school]
        ?? SchoolCheck(
          school: c.school, students: 0, studentsWithIssues: 0,
          studentsByIssue: Dictionary(uniqueKeysWithValues: RecordIssueKind.allCases.map { ($0.rawValue, 0) }))
      s.students += 1
      if !c.isComplete { s.studentsWithIssues += 1 }
      for kind in Set(c.issues.map(\.kind)) { s.studentsByIssue[kind.rawValue, default: 0] += 1 }
      schools[c.school] = s
    }
    return schools.values.sorted { $0.school < $1.school }
  }
}
