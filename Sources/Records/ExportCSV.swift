import ExamCore
import ExamStorage

/// Writes `records.csv`: UTF-8 with a byte-order mark (so Excel on Chinese Windows opens it as UTF-8), one row
/// per entry and per test sitting, and one row for a student with neither.
enum ExportCSV {
  static let header = [
    "national_id", "student_number", "name", "school", "district", "class", "cohort", "dimension", "dimension_name",
    "indicator", "type", "type_name", "title", "date", "hours", "score", "max_score", "grade", "sections", "source",
    "evidence", "status", "counted",
  ]

  /// `records.csv` being written, a batch of students at a time.
  final class Writer: RecordsFileWriter, @unchecked Sendable {
    private let file: PrivateOutputFile
    private let unmask: Bool

    init(path: String, unmask: Bool) throws {
      file = try PrivateOutputFile(path: path)
      self.unmask = unmask
      try file.write("\u{FEFF}" + line(header))
    }

    func append(_ records: [StudentRecord]) throws {
      for r in records { try file.write(rows(r, unmask: unmask)) }
    }

    func finish() throws { try file.close() }
  }

  /// The rows of one student.
  static func rows(_ r: StudentRecord, unmask: Bool) -> String {
    typealias F = RecordsFormat
    let s = r.student
    let person = [
      r.nationalId(unmask: unmask), s.studentNumber, s.name, s.school, s.district, s.className,
      String(s.cohort),
    ]
    var rows = 0
    var chunk = ""
    for dimension in RecordDimension.allCases {
      for e in r.entries[dimension] ?? [] {
        chunk += line(
          person + [
            dimension.rawValue, dimension.chineseName, e.indicator ?? "", e.type.rawValue, e.type.chineseName, e.title,
            e.date, e.hours.map(F.number) ?? "", e.score.map(F.number) ?? "", "", e.grade ?? "", "", e.source,
            e.evidence ?? "", e.status.rawValue, "",
          ])
        rows += 1
      }
      if dimension == .academic {
        for t in r.sittings {
          let sections = t.sectionScores.sorted { $0.key < $1.key }.map { "\($0.key)=\(F.number($0.value))" }
            .joined(separator: ";")
          chunk += line(
            person + [
              dimension.rawValue, dimension.chineseName, "", RecordEntryType.levelTest.rawValue,
              RecordEntryType.levelTest.chineseName, t.examTitle, t.sittingDate, "", F.number(t.total),
              F.number(t.maxTotal), t.level, sections, "exam:\(t.examId)", "candidate \(t.candidateId)",
              RecordEntryStatus.approved.rawValue, t.counted ? "yes" : "no",
            ])
          rows += 1
        }
      }
    }
    if rows == 0 { chunk += line(person + Array(repeating: "", count: header.count - person.count)) }
    return chunk
  }

  static func line(_ fields: [String]) -> String {
    var out = ""
    out.reserveCapacity(256)
    for (i, field) in fields.enumerated() {
      if i > 0 { out += "," }
      // Scan bytes, not Characters: grapheme breaking made this the slowest step of a 100,000-student export.
      if CSVWriter.mayNeedSpreadsheetEscaping(field) {
        out += CSVWriter.escapeForSpreadsheet(field)
      } else {
        out += field
      }
    }
    out += "\n"
    return out
  }
}
