import ArgumentParser
import ExamCore
import ExamStorage
import Records

extension ExamCommand.RecordsCommand {
  struct Check: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "List what each student's record still lacks, and a summary per school.",
      discussion: """
        Checks: a dimension with no entry, volunteer service under 60 hours, entries without evidence, entries not \
        yet approved by the school. Exits 0 even when records are incomplete; use --strict to exit 1 then.

        Example:
          exam records check --school 市实验中学
          exam records check --json
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this school.") var school: String?
    @Option(help: "Only this district.") var district: String?
    @Option(help: "Only this cohort (year of graduation).") var cohort: Int?
    @Flag(help: "Only the per-school summary.") var summaryOnly = false
    @Flag(help: "Print the checks as JSON.") var json = false
    @Flag(help: "Exit 1 when any record is incomplete.") var strict = false

    struct Report: Encodable {
      var schools: [SchoolCheck]
      var students: [StudentCheck]
    }

    func run(_ context: CommandContext) async throws {
      let (students, schools) = try await RecordChecks.run(
        RecordFilter(school: school, district: district, cohort: cohort), store: context.recordsStore)
      if json {
        print(
          JSONOutput.string(Report(schools: schools, students: summaryOnly ? [] : students.filter { !$0.isComplete })))
      } else {
        if !summaryOnly {
          for s in students where !s.isComplete {
            print("\(s.school) \(s.className) \(s.studentNumber) \(s.name) (\(NationalID.masked(s.nationalId))):")
            for issue in s.issues { print("  \(issue.kind.rawValue): \(issue.detail)") }
          }
        }
        for s in schools {
          let counts = RecordIssueKind.allCases.map { "\($0.rawValue) \(s.studentsByIssue[$0.rawValue] ?? 0)" }
          print(
            "\(s.school): \(s.students) student(s), \(s.studentsWithIssues) incomplete — \(counts.joined(separator: ", "))"
          )
        }
        if students.isEmpty { print("no student matches (import records with `exam records import FILE`)") }
      }
      if strict && students.contains(where: { !$0.isComplete }) { throw ExitCode(1) }
    }
  }
}
