/// Which exam a command works on: the one named with `--exam`, else the only exam in the store.
public enum ExamSelection {
  /// `given` when there is one, else the single id in `ids` (the exams in the store).
  /// - Throws: `ExamError.usage` when nothing was named and the store holds no exam or several.
  public static func resolve(_ given: String?, among ids: [String]) throws(ExamError) -> String {
    if let given { return given }
    guard ids.count == 1 else {
      throw ExamError(
        .usage, location: "--exam",
        ids.isEmpty ? "no exam is imported" : "the store holds several exams (\(ids.joined(separator: ", ")))",
        fix: ids.isEmpty ? "import the exam pack first (exam pack import)" : "name one with --exam ID")
    }
    return ids[0]
  }
}
