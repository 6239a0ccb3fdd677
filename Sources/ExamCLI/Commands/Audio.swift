import ArgumentParser

extension ExamCommand {
  /// `exam audio`: commands over recorded audio. Subcommands live in `Commands/Audio<Verb>.swift`.
  struct Audio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Work with recorded answers: measure speech features.",
      subcommands: [Analyze.self])
  }
}
