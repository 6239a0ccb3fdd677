/// A senior-secondary student whose record is kept.
public struct RecordStudent: Sendable, Codable, Equatable, Hashable {
  /// 18-character national ID (ISO 7064 MOD 11-2 check character, which may be X); the key.
  public var nationalId: String
  /// The student's registration number (学籍号), unique.
  public var studentNumber: String
  public var name: String
  public var school: String
  public var district: String
  /// Class name, e.g. `高二(3)班`.
  public var className: String
  /// Year of graduation, e.g. 2027.
  public var cohort: Int

  public init(
    nationalId: String, studentNumber: String, name: String, school: String, district: String,
    className: String, cohort: Int
  ) {
    self.nationalId = nationalId
    self.studentNumber = studentNumber
    self.name = name
    self.school = school
    self.district = district
    self.className = className
    self.cohort = cohort
  }
}
