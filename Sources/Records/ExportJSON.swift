import ExamCore
import ExamStorage

/// Writes `records.json`, which validates against `docs/schemas/records-export.schema.json`.
///
/// Written by hand, student by student, into a buffered file: JSONEncoder would hold the whole export in memory
/// and is several times slower on Linux.
enum ExportJSON {
  static let format = "examkit-records-export/1"

  /// `records.json` being written, a batch of students at a time.
  final class Writer: RecordsFileWriter, @unchecked Sendable {
    private let file: PrivateOutputFile
    private let unmask: Bool
    private var written = 0

    init(path: String, header: ExportHeader, studentCount: Int) throws {
      file = try PrivateOutputFile(path: path)
      unmask = header.unmask
      typealias F = RecordsFormat
      try file.write(
        """
        {"format":"\(format)","generatedAt":\(F.jsonString(header.generatedAt)),\
        "nationalIdsMasked":\(!header.unmask),"filters":{"school":\(F.jsonString(header.filter.school)),\
        "district":\(F.jsonString(header.filter.district)),"cohort":\(header.filter.cohort.map(String.init) ?? "null"),\
        "idsFile":\(F.jsonString(header.idsFile))},"studentCount":\(studentCount),"students":[
        """)
    }

    func append(_ records: [StudentRecord]) throws {
      for record in records {
        try file.write((written == 0 ? "\n" : ",\n") + student(record, unmask: unmask))
        written += 1
      }
    }

    func finish() throws {
      try file.write("\n]}\n")
      try file.close()
    }
  }

  static func student(_ r: StudentRecord, unmask: Bool) -> String {
    typealias F = RecordsFormat
    let s = r.student
    var out = """
      {"nationalId":\(F.jsonString(r.nationalId(unmask: unmask))),"studentNumber":\(F.jsonString(s.studentNumber)),\
      "name":\(F.jsonString(s.name)),"school":\(F.jsonString(s.school)),"district":\(F.jsonString(s.district)),\
      "class":\(F.jsonString(s.className)),"cohort":\(s.cohort),"dimensions":[
      """
    for (d, dimension) in RecordDimension.allCases.enumerated() {
      if d > 0 { out += "," }
      out += """
        {"key":"\(dimension.rawValue)","name":\(F.jsonString(dimension.chineseName)),\
        "nameEn":\(F.jsonString(dimension.englishName)),"entries":[
        """
      for (i, e) in (r.entries[dimension] ?? []).enumerated() {
        if i > 0 { out += "," }
        out += """
          {"type":"\(e.type.rawValue)","title":\(F.jsonString(e.title)),"date":"\(e.date)",\
          "indicator":\(F.jsonString(e.indicator)),"hours":\(F.jsonNumber(e.hours)),"score":\(F.jsonNumber(e.score)),\
          "grade":\(F.jsonString(e.grade)),"source":\(F.jsonString(e.source)),"evidence":\(F.jsonString(e.evidence)),\
          "status":"\(e.status.rawValue)"}
          """
      }
      out += "],\"testResults\":["
      if dimension == .academic {
        for (i, t) in r.sittings.enumerated() {
          if i > 0 { out += "," }
          let sections = t.sectionScores.sorted { $0.key < $1.key }
            .map { "\(F.jsonString($0.key)):\(F.number($0.value))" }.joined(separator: ",")
          out += """
            {"examId":\(F.jsonString(t.examId)),"examTitle":\(F.jsonString(t.examTitle)),\
            "sittingDate":"\(t.sittingDate)","total":\(F.number(t.total)),"maxTotal":\(F.number(t.maxTotal)),\
            "listening":\(F.number(t.listening)),"speaking":\(F.number(t.speaking)),"sections":{\(sections)},\
            "level":\(F.jsonString(t.level)),"counted":\(t.counted)}
            """
        }
      }
      out += "]}"
    }
    let c = r.check
    out += """
      ],"checks":{"complete":\(c.isComplete),"volunteerHours":\(F.number(c.volunteerHours)),\
      "missingDimensions":[\(c.missingDimensions.map { "\"\($0.rawValue)\"" }.joined(separator: ","))],"issues":[
      """
    out += c.issues.map { "{\"kind\":\"\($0.kind.rawValue)\",\"detail\":\(F.jsonString($0.detail))}" }
      .joined(separator: ",")
    out += "]}}"
    return out
  }
}
