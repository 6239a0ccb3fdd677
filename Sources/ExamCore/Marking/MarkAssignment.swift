/// One answer given to one rater to mark (slot 1 or 2; slot 3 is the arbiter).
public struct MarkAssignment: Sendable, Codable, Equatable {
  public var recordingId: Int64
  public var raterId: String
  public var slot: Int
  public var assignedAt: String
  public init(recordingId: Int64, raterId: String, slot: Int, assignedAt: String) {
    self.recordingId = recordingId
    self.raterId = raterId
    self.slot = slot
    self.assignedAt = assignedAt
  }
}
