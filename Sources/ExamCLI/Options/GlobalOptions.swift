import ArgumentParser

/// Options every command that touches the store accepts.
public struct GlobalOptions: ParsableArguments {
  @Option(name: .long, help: "Path to the exam store (default: $EXAM_DB, else ./exam.sqlite).")
  public var db: String?

  @Option(name: .customLong("operator"), help: "Who is running this, for the audit trail (default: $USER).")
  public var operatorName: String?

  @Flag(name: .long, help: "Print no progress lines.")
  public var quiet = false

  public init() {}
}
