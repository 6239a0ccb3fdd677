import ArgumentParser

extension ExamCommand {
  /// `exam audio …`: the recorded answers.
  struct Audio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Take in and examine the candidates' recorded answers.",
      subcommands: [Ingest.self, Expected.self])
  }
}
