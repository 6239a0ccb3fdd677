/// The mark that counts for one spoken answer, and the marks it follows from.
public struct FinalMark: Sendable, Codable, Equatable {
  public var recordingId: Int64
  public var examId: String
  public var candidateId: String
  public var itemId: String
  public var points: Double
  /// How it was decided, e.g. `machine (confident)`, `mean of two marks`, `arbitrated: mean-of-closest`.
  public var method: String
  public var markIds: [Int64]
  public var decidedAt: String
  public init(
    recordingId: Int64, examId: String, candidateId: String, itemId: String, points: Double, method: String,
    markIds: [Int64], decidedAt: String
  ) {
    self.recordingId = recordingId
    self.examId = examId
    self.candidateId = candidateId
    self.itemId = itemId
    self.points = points
    self.method = method
    self.markIds = markIds
    self.decidedAt = decidedAt
  }
}
