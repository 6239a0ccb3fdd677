import ArgumentParser
import ExamCore
import Packs

extension ExamCommand {
  struct PackInspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspect",
      abstract: "Verify a built pack and summarise it: sections, items, points and durations.",
      discussion: """
        The pack is verified first (as `exam pack verify`: signed by the --pubkey key, or --allow-unsigned); an \
        encrypted pack needs --key. Durations are seconds: \
        each section shows what its prompts, preparation and answer windows need against its time limit.

        Example:
          exam pack inspect SH-2026-EL.exampack --pubkey office.pub
          exam pack inspect draft.exampack --allow-unsigned --json
        """)

    @Argument(help: "The .exampack file.") var pack: String
    @OptionGroup var keys: PackKeyOptions
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
      InterruptCleanup.exitOnInterrupt()  // Ctrl-C removes the decrypted files (store/.scratch) at once
      let (trusted, content) = try keys.load()
      let opened = try OpenedPack.open(pack, trust: keys.storelessTrust(trusted), contentKey: content)
      defer { opened.close() }
      PackKeyOptions.warnIfUntrusted(opened.verification)
      let summary = PackSummary(opened)
      print(json ? JSONOutput.string(summary, pretty: true) : summary.text)
    }
  }
}
