import ExamCore

/// Collects every problem found in a pack source, so that one run reports them all.
///
/// Each error names the file (`pack.yaml` in the pack folder), the key path (`sections[2].items[0].reference_audio`)
/// with its line when known, what is wrong and how to fix it. Not thread-safe: one per validation.
final class PackDiagnostics {
  /// The file errors are reported against.
  let file: String
  private(set) var errors: [ExamError] = []

  init(file: String) { self.file = file }

  /// Records a problem at `path` (a key path; empty for the whole file).
  func report(
    _ code: ExamError.Code = .invalidInput, at path: String, line: Int? = nil, _ message: String,
    fix: String, underlying: String? = nil
  ) {
    errors.append(
      ExamError(code, file: file, location: Self.location(path, line: line), message, fix: fix, underlying: underlying))
  }

  /// `sections[2].items[0].answer (line 57)`.
  static func location(_ path: String, line: Int?) -> String? {
    switch (path.isEmpty, line) {
    case (true, nil): nil
    case (true, let line?): "line \(line)"
    case (false, nil): path
    case (false, let line?): "\(path) (line \(line))"
    }
  }

  var isEmpty: Bool { errors.isEmpty }
}
