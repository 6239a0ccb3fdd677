import ArgumentParser
import ExamCore
import Packs

extension ExamCommand {
  struct PackInspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspect",
      abstract: "Verify a built pack and summarise it: sections, items, points and durations.",
      discussion: """
        The pack is verified first (as `exam pack verify`); an encrypted pack needs --key. Durations are seconds: \
        each section shows what its prompts, preparation and answer windows need against its time limit.

        Example:
          exam pack inspect SH-2026-EL.exampack
          exam pack inspect SH-2026-EL.exampack --json
        """)

    @Argument(help: "The .exampack file.") var pack: String
    @OptionGroup var keys: PackKeyOptions
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
      let (trusted, content) = try keys.load()
      let opened = try OpenedPack.open(pack, trustedKey: trusted, contentKey: content)
      defer { opened.close() }
      let summary = PackSummary(opened)
      print(json ? JSONOutput.string(summary, pretty: true) : summary.text)
    }
  }
}
