import ExamCore

/// A candidate roster CSV read and checked: the good rows as candidates, and one error per bad value.
///
/// Header: `candidate,name,national_id,school,district,accommodations` (accommodations optional; `;`-separated
/// `accessible-seat`, `separate-room`, `extra-time`). Every bad row is reported with its line, column, value
/// and the reason; a row with any error is left out of `candidates`.
public struct RosterFile: Sendable {
  public static let header = ["candidate", "name", "national_id", "school", "district", "accommodations"]

  public var candidates: [Candidate]
  /// One `.invalidInput` error per bad value (line, column, value, why, fix).
  public var errors: [ExamError]
  public var encoding: TextDecoding.Encoding
  /// Data rows read (good and bad).
  public var rowCount: Int

  /// Lines of the file with at least one error.
  public var badLines: Set<Int> { Set(errors.compactMap { Self.line(of: $0) }) }

  /// Reads and checks the roster at `path`.
  /// - Parameter latestBirthYear: birth years after this make an ID invalid.
  /// - Throws: `ExamError` when the file cannot be read, is not text, or lacks a required column.
  public init(path: String, latestBirthYear: Int = 2100) throws(ExamError) {
    let bytes = try InputFile.bytes(path)
    let (text, encoding) = try TextDecoding.decode(bytes, source: path)
    try self.init(text: text, source: path, encoding: encoding, latestBirthYear: latestBirthYear)
  }

  public init(text: String, source: String, encoding: TextDecoding.Encoding = .utf8, latestBirthYear: Int = 2100)
    throws(ExamError)
  {
    self.encoding = encoding
    let table = try CSVTable(parsing: text, source: source)
    try table.require(columns: Array(Self.header.prefix(5)))
    var candidates: [Candidate] = []
    var errors: [ExamError] = []
    var firstLineOfId: [String: Int] = [:]
    var firstLineOfNationalId: [String: Int] = [:]
    for row in table.rows {
      var rowErrors: [ExamError] = []
      func bad(_ column: String, _ value: String, _ why: String, _ fix: String) {
        rowErrors.append(ExamError(.invalidInput, file: source, location: "line \(row.line), column \(column)",
          "value '\(value)' \(why)", fix: fix))
      }
      let value = { (column: String) in table.value(row, column).trimmingSpaces() }
      let id = value("candidate")
      if id.isEmpty {
        bad("candidate", id, "is empty", "give every candidate their admission number")
      } else if !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
        bad("candidate", id, "has characters other than letters, digits and '-'", "use the admission number as issued")
      } else if let first = firstLineOfId[id] {
        bad("candidate", id, "repeats the candidate number of line \(first)", "give each candidate one row")
      } else {
        firstLineOfId[id] = row.line
      }
      let name = value("name")
      if name.isEmpty { bad("name", name, "is empty", "give the candidate's name as on their ID card") }
      let nationalId = value("national_id").uppercased()
      // Messages show a national ID masked (class 13 of #17): the line number finds the row.
      if let problem = NationalID.problem(with: nationalId, latestYear: latestBirthYear) {
        bad("national_id", NationalID.masked(nationalId), problem.reason, "copy the 18-character ID from the candidate's ID card")
      } else if let first = firstLineOfNationalId[nationalId] {
        bad("national_id", NationalID.masked(nationalId), "repeats the national ID of line \(first)", "one person has one national ID")
      } else {
        firstLineOfNationalId[nationalId] = row.line
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
          bad("accommodations", word, "is not a known accommodation",
            "use accessible-seat, separate-room or extra-time, separated by ';'")
        }
      }
      if rowErrors.isEmpty {
        candidates.append(Candidate(id: id, name: name, nationalId: nationalId, school: school, district: district,
          accommodations: accommodations.sorted { $0.rawValue < $1.rawValue }))
      }
      errors += rowErrors
    }
    self.candidates = candidates
    self.errors = errors
    rowCount = table.rows.count
  }

  static func line(of error: ExamError) -> Int? {
    guard let location = error.location, location.hasPrefix("line ") else { return nil }
    return Int(location.dropFirst(5).prefix { $0.isNumber })
  }
}
