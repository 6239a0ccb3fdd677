import ExamCore

/// One row of a batch's `manifest.csv`: `candidate,item,file,seat,recorded_at,sha256`.
public struct ManifestRow: Sendable, Equatable {
  /// 1-based line in manifest.csv.
  public var line: Int
  public var candidateId: String
  public var itemId: String
  /// Path relative to the manifest's folder, `/`-separated.
  public var file: String
  public var seat: String
  /// ISO 8601, as the seat machine wrote it.
  public var recordedAt: String
  /// Lower-case hex SHA-256 the seat machine computed.
  public var sha256: String
}

/// One row of a batch's `answers.csv`: `candidate,item,choice,answered_at`.
public struct AnswerRow: Sendable, Equatable {
  public var line: Int
  public var candidateId: String
  public var itemId: String
  public var choice: String
  public var answeredAt: String
}

/// Reads `manifest.csv` and `answers.csv`. Whole-file problems (missing, unreadable, wrong header) throw;
/// problems of single rows are left to the checks so that one bad row refuses only itself.
enum BatchManifest {
  static let manifestColumns = ["candidate", "item", "file", "seat", "recorded_at", "sha256"]
  static let answersColumns = ["candidate", "item", "choice", "answered_at"]
  /// Largest manifest or answers file read (bytes): about a million rows.
  static let maximumBytes = 64 << 20

  static func readText(_ path: String) throws(ExamError) -> [UInt8] {
    guard let size = FileSystem.size(path) else {
      throw ExamError(
        .notFound, file: path, "the batch has no such file",
        fix: "put manifest.csv (candidate,item,file,seat,recorded_at,sha256) at the top of the batch")
    }
    guard size <= maximumBytes else {
      throw ExamError(
        .invalidInput, file: path, "is \(size) bytes, more than the \(maximumBytes >> 20) MiB allowed",
        fix: "split the batch")
    }
    return try InputFile.bytes(path)
  }

  static func manifest(bytes: [UInt8], source: String) throws(ExamError) -> [ManifestRow] {
    let table = try CSVTable(decoding: bytes, source: source)
    try table.require(columns: manifestColumns)
    return table.rows.map { row in
      ManifestRow(
        line: row.line, candidateId: table.value(row, "candidate").trimmingSpaces(),
        itemId: table.value(row, "item").trimmingSpaces(), file: table.value(row, "file").trimmingSpaces(),
        seat: table.value(row, "seat").trimmingSpaces(), recordedAt: table.value(row, "recorded_at").trimmingSpaces(),
        sha256: table.value(row, "sha256").trimmingSpaces().lowercased())
    }
  }

  static func answers(bytes: [UInt8], source: String) throws(ExamError) -> [AnswerRow] {
    let table = try CSVTable(decoding: bytes, source: source)
    try table.require(columns: answersColumns)
    return table.rows.map { row in
      AnswerRow(
        line: row.line, candidateId: table.value(row, "candidate").trimmingSpaces(),
        itemId: table.value(row, "item").trimmingSpaces(), choice: table.value(row, "choice").trimmingSpaces(),
        answeredAt: table.value(row, "answered_at").trimmingSpaces())
    }
  }
}
