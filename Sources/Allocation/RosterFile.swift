import ExamCore

/// A candidate roster CSV read and checked: the good rows as candidates, and one error per bad value.
///
/// Header: `candidate,name,national_id,school,district,accommodations` (accommodations optional; `;`-separated
/// `accessible-seat`, `separate-room`, `extra-time`). Every bad row is reported with its line, column, value
/// and the reason; a row with any error is left out of `candidates`.
public struct RosterFile: Sendable {
  public static let header = ["candidate", "name", "national_id", "school", "district", "accommodations"]

  public var candidates: [Candidate]
  /// One `.invalidInput` error per bad value (line, column, value, why, fix) — the first `maxErrorsKept` of them;
  /// `errorCount` counts them all.
  public var errors: [ExamError]
  /// Bad values in the whole file (`errors` keeps only the first `maxErrorsKept`).
  public var errorCount: Int
  /// Lines of the file with at least one error.
  public var badLineCount: Int
  public var encoding: TextDecoding.Encoding
  /// Data rows read (good and bad).
  public var rowCount: Int

  /// Errors kept for the report: a roster that is wrong throughout (the wrong file, a shifted column) would
  /// otherwise hold and print one error per row — 1.5 million for a 96 MB file.
  public static let maxErrorsKept = 100

  /// Reads and checks the roster at `path`, a piece at a time (`CSVFileReader`): memory holds the good
  /// candidates and the ids seen, never the file's text or a table of it.
  /// - Parameter latestBirthYear: birth years after this make an ID invalid.
  /// - Throws: `ExamError` when the file cannot be read, is not text, or lacks a required column.
  public init(path: String, latestBirthYear: Int = 2100) throws(ExamError) {
    try InputFile.requireRegularFile(path)
    var checker = RowChecker(source: path, latestBirthYear: latestBirthYear)
    var columns: [String: Int] = [:]
    do {
      let found = try CSVFileReader(path: path).forEachRow(header: { names in
        try CSVTable.require(columns: Array(Self.header.prefix(5)), in: names, source: path)
        for (i, name) in names.enumerated() where columns[name] == nil { columns[name] = i }
      }) { row in
        checker.check(line: row.line) { column in columns[column].map { row.fields[$0].trimmingSpaces() } ?? "" }
      }
      encoding = found ?? .utf8
    } catch let error as ExamError {
      throw error
    } catch {
      throw ExamError(.io, file: path, "cannot be read", underlying: "\(error)")
    }
    (candidates, errors, errorCount, badLineCount, rowCount) =
      (checker.candidates, checker.errors, checker.errorCount, checker.badLineCount, checker.rowCount)
  }

  public init(text: String, source: String, encoding: TextDecoding.Encoding = .utf8, latestBirthYear: Int = 2100)
    throws(ExamError)
  {
    self.encoding = encoding
    let table = try CSVTable(parsing: text, source: source)
    try table.require(columns: Array(Self.header.prefix(5)))
    var checker = RowChecker(source: source, latestBirthYear: latestBirthYear)
    for row in table.rows {
      checker.check(line: row.line) { column in table.value(row, column).trimmingSpaces() }
    }
    (candidates, errors, errorCount, badLineCount, rowCount) =
      (checker.candidates, checker.errors, checker.errorCount, checker.badLineCount, checker.rowCount)
  }

  /// Checks one row at a time: the good ones become candidates, the bad ones errors (the first
  /// `maxErrorsKept`, all counted).
  struct RowChecker {
    let source: String
    let latestBirthYear: Int
    var candidates: [Candidate] = []
    var errors: [ExamError] = []
    var errorCount = 0
    var badLineCount = 0
    var rowCount = 0
    var firstLineOfId: [String: Int] = [:]
    var firstLineOfNationalId: [String: Int] = [:]

    init(source: String, latestBirthYear: Int) {
      self.source = source
      self.latestBirthYear = latestBirthYear
    }

    mutating func check(line: Int, _ value: (String) -> String) {
      rowCount += 1
      var rowErrors: [ExamError] = []
      func bad(_ column: String, _ value: String, _ why: String, _ fix: String) {
        rowErrors.append(
          ExamError(
            .invalidInput, file: source, location: "line \(line), column \(column)",
            "value '\(value)' \(why)", fix: fix))
      }
      let id = value("candidate")
      if id.isEmpty {
        bad("candidate", id, "is empty", "give every candidate their admission number")
      } else if !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
        bad(
          "candidate", String(id.prefix(64)), "has characters other than letters, digits and '-'",
          "use the admission number as issued")
      } else if let first = firstLineOfId[id] {
        bad("candidate", id, "repeats the candidate number of line \(first)", "give each candidate one row")
      } else {
        firstLineOfId[id] = line
      }
      let name = value("name")
      if name.isEmpty { bad("name", name, "is empty", "give the candidate's name as on their ID card") }
      let nationalId = value("national_id").uppercased()
      // Messages show a national ID masked (class 13 of #17): the line number finds the row.
      if let problem = NationalID.problem(with: nationalId, latestYear: latestBirthYear) {
        bad(
          "national_id", NationalID.masked(String(nationalId.prefix(64))), problem.reason,
          "copy the 18-character ID from the candidate's ID card")
      } else if let first = firstLineOfNationalId[nationalId] {
        bad(
          "national_id", NationalID.masked(nationalId), "repeats the national ID of line \(first)",
          "one person has one national ID")
      } else {
        firstLineOfNationalId[nationalId] = line
      }
      let school = value("school")
      if school.isEmpty { bad("school", school, "is empty", "give the candidate's school") }
      let district = value("district")
      if district.isEmpty { bad("district", district, "is empty", "give the district the candidate's school is in") }
      var accommodations: [Candidate.Accommodation] = []
      for part in value("accommodations").split(separator: ";") {
        let word = String(part).trimmingSpaces()
        guard !word.isEmpty else { continue }
        if let a = Candidate.Accommodation(rawValue: word) {
          if !accommodations.contains(a) { accommodations.append(a) }
        } else {
          bad(
            "accommodations", String(word.prefix(64)), "is not a known accommodation",
            "use accessible-seat, separate-room or extra-time, separated by ';'")
        }
      }
      if rowErrors.isEmpty {
        candidates.append(
          Candidate(
            id: id, name: name, nationalId: nationalId, school: school, district: district,
            accommodations: accommodations.sorted { $0.rawValue < $1.rawValue }))
        return
      }
      badLineCount += 1
      errorCount += rowErrors.count
      errors += rowErrors.prefix(max(0, RosterFile.maxErrorsKept - errors.count))
    }
  }

  static func line(of error: ExamError) -> Int? {
    guard let location = error.location, location.hasPrefix("line ") else { return nil }
    return Int(location.dropFirst(5).prefix { $0.isNumber })
  }
}
