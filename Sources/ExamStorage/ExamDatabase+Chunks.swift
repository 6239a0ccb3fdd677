import GRDB

extension ExamDatabase {
  /// The rows of `sql(marks)` for `ids`, 500 ids a statement (`marks` is their `?,?,…`; SQLite allows at most
  /// 32,766 variables in one), after the arguments in `leading`.
  static func rows(
    _ db: Database, ids: some Collection<String>, leading: [any DatabaseValueConvertible] = [],
    sql: (_ marks: String) -> String
  ) throws -> [Row] {
    let sorted = ids.sorted()
    var rows: [Row] = []
    for start in stride(from: 0, to: sorted.count, by: 500) {
      let chunk = sorted[start..<min(start + 500, sorted.count)]
      let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
      let arguments = StatementArguments(leading.map { $0.databaseValue } + chunk.map { $0.databaseValue })
      rows += try Row.fetchAll(db, sql: sql(marks), arguments: arguments)
    }
    return rows
  }
}
