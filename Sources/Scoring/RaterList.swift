import ExamCore
import ExamStorage

/// The rater list CSV: `rater_id` (or `id`), `name`, `school`.
public enum RaterList {
  public static func load(path: String) throws(ExamError) -> [Rater] {
    try parse(try InputFile.text(path), source: path)
  }

  /// - Throws: `ExamErrors` listing every bad row (empty id or school, duplicate id).
  public static func parse(_ text: String, source: String) throws(ExamError) -> [Rater] {
    let table = try CSVTable(parsing: text, source: source)
    let idColumn = table.index(of: "rater_id") != nil ? "rater_id" : "id"
    try table.require(columns: [idColumn, "name", "school"])
    var raters: [Rater] = []
    var seen: Set<String> = []
    for row in table.rows {
      let id = table.value(row, idColumn).trimmingSpaces()
      let name = table.value(row, "name").trimmingSpaces()
      let school = table.value(row, "school").trimmingSpaces()
      guard !id.isEmpty, !school.isEmpty else {
        throw ExamError(
          .invalidInput, file: source, location: "line \(row.line)",
          "rater '\(id)' has an empty \(id.isEmpty ? idColumn : "school")",
          fix: "give every rater an id and the school they teach at (they never mark their own school's candidates)")
      }
      guard seen.insert(id).inserted else {
        throw ExamError(
          .invalidInput, file: source, location: "line \(row.line), column \(idColumn)",
          "rater '\(id)' is listed twice", fix: "list each rater once")
      }
      raters.append(Rater(id: id, name: name, school: school))
    }
    guard raters.count >= 2 else {
      throw ExamError(
        .invalidInput, file: source, "lists \(raters.count) rater(s); double marking needs at least 2",
        fix: "add raters")
    }
    return raters
  }
}
