import ExamCore
import ExamStorage
import Foundation

/// Reads schools' record files (CSV or JSON) into students and entries, checking every row.
///
/// CSV header (UTF-8, a BOM is allowed): `national_id,student_number,name,school,district,class,cohort,dimension,
/// type,title,date,status` are required; `indicator,hours,score,grade,source,evidence` are optional. JSON: an array
/// of objects with the same keys, or `{"entries": [...]}`. Every bad row is reported (line or index, field, value,
/// why) and nothing is returned when any row is bad.
public enum RecordsImport {
  /// Required columns, in the order the sample files use.
  public static let requiredColumns = [
    "national_id", "student_number", "name", "school", "district", "class", "cohort", "dimension", "type", "title",
    "date", "status",
  ]
  /// Optional columns.
  public static let optionalColumns = ["indicator", "hours", "score", "grade", "source", "evidence"]

  /// What a file holds once checked.
  public struct Parsed: Sendable {
    public var students: [RecordStudent]
    public var entries: [RecordEntry]
  }

  /// Reads and checks the file at `path` (`.csv` or `.json`).
  /// - Throws: `ExamError` (`.notFound`, `.unsupportedFormat`, `.invalidInput`) for the file as a whole, or
  ///   `ExamErrors` listing every bad row.
  public static func read(path: String) throws -> Parsed {
    let bytes = try InputFile.bytes(path)
    let lower = path.lowercased()
    if lower.hasSuffix(".json") { return try parse(json: Data(bytes), source: path) }
    if lower.hasSuffix(".csv") {
      return try parse(csv: try TextDecoding.decode(bytes, source: path).text, source: path)
    }
    throw ExamError(.unsupportedFormat, file: path, "is neither .csv nor .json", fix: "give a .csv or .json file")
  }

  /// Checks CSV text.
  public static func parse(csv text: String, source: String) throws -> Parsed {
    let table = try CSVTable(parsing: text, source: source)
    try table.require(columns: requiredColumns)
    let rows = table.rows.map { row in
      RawRow(
        location: "line \(row.line)", fieldLabel: { "column \($0)" },
        value: { column in table.index(of: column).map { row.fields[$0].trimmingSpaces() } ?? "" })
    }
    return try check(rows, source: source)
  }

  /// Checks JSON data: an array of objects, or an object whose `entries` is one.
  public static func parse(json data: Data, source: String) throws -> Parsed {
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: data) } catch {
      throw ExamError(
        .invalidInput, file: source, "is not valid JSON", fix: "check the file with a JSON validator",
        underlying: "\(error)")
    }
    let list: [Any]
    let prefix: String
    if let array = object as? [Any] {
      (list, prefix) = (array, "")
    } else if let dictionary = object as? [String: Any], let array = dictionary["entries"] as? [Any] {
      (list, prefix) = (array, "entries")
    } else {
      throw ExamError(
        .invalidInput, file: source, location: "top level", "is neither an array nor {\"entries\": [...]}",
        fix: "give an array of entry objects")
    }
    var errors: [ExamError] = []
    var rows: [RawRow] = []
    let lines = objectLines(Array(data), wrapped: !prefix.isEmpty)
    for (i, element) in list.enumerated() {
      let location = "\(prefix)[\(i)]" + (lines.count == list.count ? " (line \(lines[i]))" : "")
      guard let dictionary = element as? [String: Any] else {
        errors.append(
          ExamError(
            .invalidInput, file: source, location: location, "is not an object",
            fix: "give each entry as {\"national_id\": …, …}"))
        continue
      }
      let fields = dictionary.mapValues { value -> String in
        switch value {
        case let s as String: s.trimmingSpaces()
        case let n as NSNumber: n.stringValue
        case is NSNull: ""
        default: "\(value)"
        }
      }
      rows.append(RawRow(location: location, fieldLabel: { "key \($0)" }, value: { fields[$0] ?? "" }))
    }
    if !errors.isEmpty { throw ExamErrors(errors) }
    return try check(rows, source: source)
  }

  // MARK: - Implementation details

  struct RawRow {
    var location: String
    var fieldLabel: (String) -> String
    var value: (String) -> String
  }

  static func check(_ rows: [RawRow], source: String) throws -> Parsed {
    var checker = RowChecker(source: source)
    var students: [RecordStudent] = []
    var entries: [RecordEntry] = []
    for row in rows {
      guard let checked = checker.check(row) else { continue }
      if checked.newStudent { students.append(checked.student) }
      if checked.newEntry { entries.append(checked.entry) }
    }
    try checker.finish()
    return Parsed(students: students, entries: entries)
  }

  /// Checks one row at a time, remembering what it needs to compare rows with each other: each student's details
  /// and, per entry key, a digest of the entry (not the entry), so a million-row file is checked in little memory.
  struct RowChecker {
    let source: String
    var errors: [ExamError] = []
    var rowCount = 0
    var students: [String: (student: RecordStudent, location: String)] = [:]
    var numbers: [String: String] = [:]  // student number → national ID
    var entries: [EntryDigest: (values: EntryDigest, location: String)] = [:]

    init(source: String) { self.source = source }

    /// The row's student and entry when the row is sound (`newStudent`/`newEntry`: first seen in the file);
    /// nil when it is bad (its errors are kept) or the same entry was already given.
    mutating func check(_ row: RawRow) -> (
      student: RecordStudent, entry: RecordEntry, newStudent: Bool, newEntry: Bool
    )? {
      rowCount += 1
      var rowErrors: [ExamError] = []
      let source = source
      func bad(_ column: String, _ message: String, _ fix: String) {
        rowErrors.append(
          ExamError(
            .invalidInput, file: source, location: "\(row.location), \(row.fieldLabel(column))",
            message, fix: fix))
      }
      func required(_ column: String) -> String {
        let v = row.value(column)
        if v.isEmpty { bad(column, "is empty", "give a value for \(column)") }
        return v
      }
      let nationalId = NationalID.normalised(required("national_id"))
      if !nationalId.isEmpty, let problem = NationalID.problem(with: nationalId) {
        bad(
          "national_id", "'\(NationalID.masked(nationalId))' \(problem.reason)",
          "copy the 18-character ID from the student's register")
      }
      let number = required("student_number")
      let name = required("name")
      let school = required("school")
      let district = required("district")
      let className = required("class")
      let cohortText = required("cohort")
      let cohort = Int(cohortText) ?? 0
      if !cohortText.isEmpty && !(2000...2100).contains(cohort) {
        bad("cohort", "'\(cohortText)' is not a year of graduation", "give the four-digit year, e.g. 2027")
      }
      let dimensionText = required("dimension")
      let dimension = RecordDimension(text: dimensionText)
      if !dimensionText.isEmpty && dimension == nil {
        bad(
          "dimension", "'\(dimensionText)' is not a dimension",
          "use one of " + RecordDimension.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", "))
      }
      let typeText = required("type")
      let type = RecordEntryType(rawValue: typeText.lowercased())
      if !typeText.isEmpty && type == nil {
        bad(
          "type", "'\(typeText)' is not an entry type",
          "use one of " + RecordEntryType.allCases.map(\.rawValue).joined(separator: ", "))
      }
      if let dimension, let type, !type.allowedDimensions.contains(dimension) {
        bad(
          "dimension",
          "a \(type.rawValue) entry cannot be filed under \(dimension.rawValue) (\(dimension.chineseName))",
          "file it under " + type.allowedDimensions.sorted().map(\.rawValue).joined(separator: " or "))
      }
      if type == .levelTest {
        bad(
          "type", "level-test entries come from finalised results, not from school files",
          "remove the row; run `exam records sync --exam ID` after `exam results finalise`")
      }
      let title = required("title")
      let date = required("date")
      if !date.isEmpty && !CalendarDate.isValid(date) {
        bad("date", "'\(date)' is not a date", "write it as YYYY-MM-DD, e.g. 2026-05-20")
      }
      let statusText = required("status")
      let status = RecordEntryStatus(text: statusText)
      if !statusText.isEmpty && status == nil {
        bad(
          "status", "'\(statusText)' is not a status",
          "use entered (学校录入), confirmed (学生确认) or approved (学校审核)")
      }
      func numeric(_ column: String, max: Double) -> Double? {
        let text = row.value(column)
        guard !text.isEmpty else { return nil }
        guard let v = Double(text), v.isFinite, v >= 0, v <= max else {
          bad(column, "'\(text)' is not a number from 0 to \(Int(max))", "give a plain number such as 12.5")
          return nil
        }
        return v
      }
      let hours = numeric("hours", max: 2000)
      if let type, type.requiresHours, hours == nil, row.value("hours").isEmpty {
        bad("hours", "is empty, but \(type.rawValue) is counted in hours", "give the hours served, e.g. 8")
      }
      let score = numeric("score", max: 1000)
      let optional = { (column: String) -> String? in
        let v = row.value(column)
        return v.isEmpty ? nil : v
      }
      if !rowErrors.isEmpty {
        errors += rowErrors
        return nil
      }
      guard let dimension, let type, let status else { return nil }
      let student = RecordStudent(
        nationalId: nationalId, studentNumber: number, name: name, school: school,
        district: district, className: className, cohort: cohort)
      var newStudent = false
      if let seen = students[nationalId] {
        if seen.student != student {
          errors.append(
            ExamError(
              .invalidInput, file: source, location: row.location,
              "gives other details (number, name, school, district, class or cohort) for student \(NationalID.masked(nationalId)) than \(seen.location)",
              fix: "make every row of one student agree"))
          return nil
        }
      } else {
        if let other = numbers[number] {
          errors.append(
            ExamError(
              .invalidInput, file: source, location: "\(row.location), \(row.fieldLabel("student_number"))",
              "student number \(number) is also used for national ID \(NationalID.masked(other))",
              fix: "one student number is one student"))
          return nil
        }
        students[nationalId] = (student, row.location)
        numbers[number] = nationalId
        newStudent = true
      }
      let entry = RecordEntry(
        nationalId: nationalId, dimension: dimension, indicator: optional("indicator"),
        type: type, title: title, date: date, hours: hours, score: score, grade: optional("grade"),
        source: optional("source") ?? school, evidence: optional("evidence"), status: status)
      let key = EntryDigest(entry.key)
      let values = EntryDigest(entry)
      if let seen = entries[key] {
        if seen.values != values {
          errors.append(
            ExamError(
              .invalidInput, file: source, location: row.location,
              "repeats the entry of \(seen.location) (same student, dimension, type, title and date) with other values",
              fix: "keep one of the two rows"))
          return nil
        }
        return (student, entry, newStudent, false)
      }
      entries[key] = (values, row.location)
      return (student, entry, newStudent, true)
    }

    /// Throws every error found, or that the file held no rows.
    func finish() throws {
      if !errors.isEmpty { throw ExamErrors(errors) }
      if rowCount == 0 {
        throw ExamError(.invalidInput, file: source, "holds no entries", fix: "give at least one entry row")
      }
    }
  }

  /// Two differently salted 64-bit `Hasher` values of a value: equal values, equal digests; two different values
  /// collide with odds of 2⁻⁶⁴ per pair or less (under 10⁻⁷ for a million entries). Hashes differ between
  /// processes, so digests never leave one.
  struct EntryDigest: Hashable {
    let a: Int
    let b: Int
    init(_ value: some Hashable) {
      var first = Hasher()
      first.combine(0x5EED_0001)
      first.combine(value)
      var second = Hasher()
      second.combine(0x5EED_0002)
      second.combine(value)
      (a, b) = (first.finalize(), second.finalize())
    }
  }

  /// The line each entry object starts on, in order: objects directly inside the top-level array, or inside the
  /// array under the top-level key `entries`. Strings (with escapes) are skipped, so braces in values do not count.
  static func objectLines(_ bytes: [UInt8], wrapped: Bool) -> [Int] {
    var lines: [Int] = []
    var line = 1
    var depth = 0
    var inString = false
    var escaped = false
    var stringStart = 0
    var lastString: ArraySlice<UInt8> = []
    var arrayDepth: Int? = wrapped ? nil : 1  // depth inside the entries array, once found
    for (i, b) in bytes.enumerated() {
      if b == 10 { line += 1 }
      if inString {
        if escaped {
          escaped = false
        } else if b == UInt8(ascii: "\\") {
          escaped = true
        } else if b == UInt8(ascii: "\"") {
          inString = false
          lastString = bytes[stringStart..<i]
        }
        continue
      }
      switch b {
      case UInt8(ascii: "\""):
        inString = true
        stringStart = i + 1
      case UInt8(ascii: "["):
        depth += 1
        if arrayDepth == nil && depth == 2 && Array(lastString) == Array("entries".utf8) { arrayDepth = 2 }
      case UInt8(ascii: "{"):
        depth += 1
        if let a = arrayDepth, depth == a + 1 { lines.append(line) }
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        if b == UInt8(ascii: "]"), let a = arrayDepth, depth == a { arrayDepth = -1 }  // the entries array ended
        depth -= 1
      default: break
      }
    }
    return lines
  }
}
