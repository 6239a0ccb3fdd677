import ArgumentParser

extension ExamCommand {
  /// `exam audio …`: the recorded answers. Subcommands live in `Commands/Audio<Verb>.swift`.
  struct Audio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Take in, list and measure the candidates' recorded answers.",
      subcommands: [AudioIngest.self, Status.self, Expected.self, Analyze.self])
  }
}
