import ExamCore
import ExamStorage
import Records

/// Small, valid record data for the tests.
enum Fixtures {
  /// A valid national ID: district 310101, born 2008-03-0d, serial `n`, with its check character.
  static func nationalId(_ n: Int) -> String {
    let serial = String(n % 1000)
    let first17 = "3101012008030" + String(1 + n / 1000 % 9) + String(repeating: "0", count: 3 - serial.count) + serial
    return first17 + String(NationalID.checkCharacter(for: first17.compactMap(\.wholeNumberValue)))
  }

  static let header =
    "national_id,student_number,name,school,district,class,cohort,dimension,indicator,type,title,date,hours,score,grade,source,evidence,status"

  /// A CSV line for student `n` (in school `school`).
  static func line(
    _ n: Int, school: String = "市实验中学", dimension: String, type: String, title: String,
    date: String = "2026-03-01", hours: String = "", score: String = "", evidence: String = "cert-1",
    status: String = "approved", indicator: String = ""
  ) -> String {
    "\(nationalId(n)),S\(n),学生\(n),\(school),浦东新区,高二(1)班,2027,\(dimension),\(indicator),\(type),\(CSVWriter.escape(title)),\(date),\(hours),\(score),,\(school),\(evidence),\(status)"
  }

  /// Student `n` with a complete record: all four dimensions, 64 volunteer hours, evidence, approved.
  static func completeStudent(_ n: Int, school: String = "市实验中学") -> [String] {
    [
      line(n, school: school, dimension: "character", type: "volunteer-service", title: "社区图书馆志愿者", hours: "40"),
      line(
        n, school: school, dimension: "品德发展与公民素养", type: "volunteer-service", title: "敬老院服务",
        date: "2026-04-02", hours: "24"),
      line(n, school: school, dimension: "academic", type: "course-grade", title: "高中数学", score: "92"),
      line(n, school: school, dimension: "health", type: "physical-test", title: "体质健康测试", score: "88"),
      line(
        n, school: school, dimension: "innovation", type: "research-project", title: "校园雨水回收研究",
        indicator: "科创社团"),
    ]
  }

  static func csv(_ lines: [String]) -> String { ([header] + lines).joined(separator: "\n") + "\n" }

  static func audit(_ command: String = "test", operator name: String = "tester") -> AuditEntry {
    AuditEntry(at: "2026-07-01T08:00:00Z", operator: name, command: command, arguments: "", summary: "")
  }

  /// An exam with `totalPoints` 2 from SampleData, and candidates whose national IDs are students 1…n.
  static func examWithCandidates(_ database: any RecordsStore, examId: String, students: ClosedRange<Int>)
    async throws
  {
    _ = try await database.importExam(SampleDataBridge.exam(id: examId), audit: audit())
    let candidates = students.map {
      Candidate(id: "C\($0)", name: "学生\($0)", nationalId: nationalId($0), school: "市实验中学", district: "浦东新区")
    }
    _ = try await database.importCandidates(candidates, audit: audit())
  }

  static func result(_ examId: String, _ n: Int, total: Double, date: String) -> CandidateResult {
    CandidateResult(
      examId: examId, candidateId: "C\(n)", sittingDate: date, total: total,
      listening: total / 2, speaking: total / 2, sectionScores: ["LA": total / 2, "SA": total / 2],
      level: total >= 1.5 ? "A" : "B", finalisedAt: "2026-06-20T10:00:00Z")
  }
}
