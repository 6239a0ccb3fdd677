import ArgumentParser

/// Options every command that touches the store accepts.
public struct GlobalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "The exam store: a SQLite file, or postgres://USER:PASSWORD@HOST/DB (default: $EXAM_DB, else ./exam.sqlite).")
  public var db: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "With a PostgreSQL --db: the shared content store every machine mounts (default: $EXAM_STORE, else ./store).",
      discussion: "A SQLite store keeps its content store beside its file.", valueName: "dir"))
  public var store: String?

  @Option(name: .customLong("operator"), help: "Who is running this, for the audit trail (default: $USER).")
  public var operatorName: String?

  @Flag(name: .long, help: "Print no progress lines.")
  public var quiet = false

  public init() {}
}
