import ArgumentParser
import ExamCore
import Packs

extension ExamCommand {
  struct PackValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "validate",
      abstract: "Check a pack folder completely and list every problem (changes nothing).",
      discussion: """
        Checks pack.yaml against the schema (unknown keys with a suggestion, missing keys, wrong kinds), item ids, \
        media files (present, inside the folder, readable by libsndfile), point totals (criteria → item → section → \
        part → paper) and timings (prompt audio against prompt_seconds, each section against its time limit). \
        Each problem is printed as `error: DIR/pack.yaml: KEY.PATH (line N): what — how to fix`.

        Example:
          exam pack validate ExamPacks/SH-2026-EL
          exam pack validate ExamPacks/SH-2026-EL --json
        """)

    @Argument(help: "The pack folder (holding pack.yaml).") var directory: String
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
      let pack = try PackValidator.validate(directory: directory)
      let exam = pack.examDefinition(packSha256: "")
      let summary = PackFolderSummary(
        examId: exam.id, title: exam.title, totalPoints: exam.totalPoints,
        formCount: exam.formCount, sections: exam.sections.count, items: exam.items.count, files: pack.files.count,
        unreferencedFiles: pack.unreferencedFiles)
      if json {
        print(JSONOutput.string(summary))
      } else {
        print(
          "\(directory): valid — exam \(exam.id), \(exam.sections.count) sections, \(exam.items.count) items, "
            + "\(NumberText.plain(exam.totalPoints)) points, \(exam.formCount) form(s), \(pack.files.count) files")
        let unused = pack.unreferencedFiles
        if !unused.isEmpty {
          print("note: not named in pack.yaml but packed all the same: \(unused.joined(separator: ", "))")
        }
      }
    }
  }
}

struct PackFolderSummary: Codable {
  var examId: String
  var title: String
  var totalPoints: Double
  var formCount: Int
  var sections: Int
  var items: Int
  var files: Int
  var unreferencedFiles: [String]
}
