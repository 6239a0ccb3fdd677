/// A failure the user can act on: a stable code, where it happened, what went wrong and how to fix it.
///
/// Rendered as `<file>:<where>: <what> — <how to fix>` (the parts that are known), so that an exam officer
/// can open the named file at the named line or key and mend it.
public struct ExamError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable classification, checked by tests and mapped to exit codes.
  public enum Code: String, Sendable, Equatable, Codable {
    /// The command was called wrongly (exit 64).
    case usage
    /// A named file, record or id does not exist (exit 65).
    case notFound
    /// Input data breaks a rule: bad CSV row, bad YAML key, bad value (exit 65).
    case invalidInput
    /// A file is not in a format we read (exit 65).
    case unsupportedFormat
    /// A file is damaged or truncated (exit 65).
    case corrupt
    /// A signature, checksum or manifest does not match (exit 65).
    case integrity
    /// The request conflicts with what is stored (exit 65).
    case conflict
    /// The store is not in a state that allows this (exit 1).
    case state
    /// The operating system refused a read or write (exit 1).
    case io
  }

  public var code: Code
  /// The file (or other source) the problem is in, when there is one.
  public var file: String?
  /// Where in the file: `line 12, column national_id`, `items[3].audio`, `manifest.json`.
  public var location: String?
  /// What went wrong, naming the offending value.
  public var message: String
  /// How to fix it.
  public var fix: String?
  /// Text from a C library or the OS, verbatim.
  public var underlying: String?

  public init(
    _ code: Code, file: String? = nil, location: String? = nil, _ message: String, fix: String? = nil,
    underlying: String? = nil
  ) {
    self.code = code
    self.file = file
    self.location = location
    self.message = message
    self.fix = fix
    self.underlying = underlying
  }

  public var description: String {
    var text = ""
    if let file { text += file + ":" }
    if let location { text += (text.isEmpty ? "" : " ") + location + ":" }
    text += (text.isEmpty ? "" : " ") + message
    if let underlying { text += " (\(underlying))" }
    if let fix { text += " — " + fix }
    return text
  }

  /// The process exit code for this error: 64 usage, 65 bad input data, 1 other failure.
  public var exitCode: Int32 {
    switch code {
    case .usage: 64
    case .notFound, .invalidInput, .unsupportedFormat, .corrupt, .integrity, .conflict: 65
    case .state, .io: 1
    }
  }

  /// The same error with a file name filled in where it had none.
  public func inFile(_ path: String) -> ExamError {
    var copy = self
    if copy.file == nil { copy.file = path }
    return copy
  }
}

/// Several input errors found in one pass (every bad row of a CSV, every bad key of a pack).
///
/// Thrown when nothing was changed because of them; `description` lists each on its own line.
public struct ExamErrors: Error, Sendable, CustomStringConvertible {
  public var errors: [ExamError]
  public init(_ errors: [ExamError]) { self.errors = errors }
  public var description: String {
    errors.map(\.description).joined(separator: "\n")
  }
  public var exitCode: Int32 { errors.map(\.exitCode).max() ?? 1 }
}
