/// A finalised listening-and-speaking result, filed in the academic dimension.
public struct RecordTestSitting: Sendable, Codable, Equatable, Hashable {
  public var nationalId: String
  public var examId: String
  public var examTitle: String
  public var candidateId: String
  /// `YYYY-MM-DD`.
  public var sittingDate: String
  /// Points, out of `maxTotal`.
  public var total: Double
  public var maxTotal: Double
  public var listening: Double
  public var speaking: Double
  /// Points per section id.
  public var sectionScores: [String: Double]
  public var level: String
  /// Whether this sitting is the one that counts (the better of several).
  public var counted: Bool

  public init(
    nationalId: String, examId: String, examTitle: String, candidateId: String, sittingDate: String,
    total: Double, maxTotal: Double, listening: Double, speaking: Double, sectionScores: [String: Double],
    level: String, counted: Bool
  ) {
    self.nationalId = nationalId
    self.examId = examId
    self.examTitle = examTitle
    self.candidateId = candidateId
    self.sittingDate = sittingDate
    self.total = total
    self.maxTotal = maxTotal
    self.listening = listening
    self.speaking = speaking
    self.sectionScores = sectionScores
    self.level = level
    self.counted = counted
  }
}
