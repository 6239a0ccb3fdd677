/// One mark on one answer: the machine's, a rater's or an arbiter's, in rubric points.
public struct Mark: Sendable, Codable, Equatable {
  public enum Kind: String, Sendable, Codable { case machine, human, arbiter }
  public var id: Int64?
  public var recordingId: Int64
  /// `machine` for the machine's mark.
  public var raterId: String
  public var kind: Kind
  public var points: Double
  public var markedAt: String
  /// Where the mark came from: `marks.csv:12`, `model 3fa1…`, `exam marking arbitrate`.
  public var source: String
  public init(
    id: Int64? = nil, recordingId: Int64, raterId: String, kind: Kind, points: Double, markedAt: String,
    source: String
  ) {
    self.id = id
    self.recordingId = recordingId
    self.raterId = raterId
    self.kind = kind
    self.points = points
    self.markedAt = markedAt
    self.source = source
  }
}
