/// One entry of a student's record, filed under a dimension.
public struct RecordEntry: Sendable, Codable, Equatable, Hashable {
  public var nationalId: String
  public var dimension: RecordDimension
  /// A school-specific indicator (校本特色指标) the entry belongs to, or nil.
  public var indicator: String?
  public var type: RecordEntryType
  public var title: String
  /// `YYYY-MM-DD`.
  public var date: String
  /// Hours of service or practice.
  public var hours: Double?
  /// A numeric score (course mark, physical-test points), when there is one.
  public var score: Double?
  /// A grade or level in words (`A`, `优秀`), when there is one.
  public var grade: String?
  /// Who reported it (school, organiser, exam).
  public var source: String
  /// Reference to the evidence (certificate number, file name), or nil when none was given.
  public var evidence: String?
  public var status: RecordEntryStatus

  public init(
    nationalId: String, dimension: RecordDimension, indicator: String? = nil, type: RecordEntryType,
    title: String, date: String, hours: Double? = nil, score: Double? = nil, grade: String? = nil, source: String,
    evidence: String? = nil, status: RecordEntryStatus
  ) {
    self.nationalId = nationalId
    self.dimension = dimension
    self.indicator = indicator
    self.type = type
    self.title = title
    self.date = date
    self.hours = hours
    self.score = score
    self.grade = grade
    self.source = source
    self.evidence = evidence
    self.status = status
  }

  /// What makes an entry the same entry when a file is imported again: student, dimension, type, title, date.
  public var key: String { [nationalId, dimension.rawValue, type.rawValue, title, date].joined(separator: "\u{1F}") }
}
