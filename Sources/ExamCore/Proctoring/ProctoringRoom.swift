/// A room within a centre.
public struct ProctoringRoom: Sendable, Hashable, Codable, Comparable {
  public var centreId: String
  public var roomId: String
  public init(centreId: String, roomId: String) {
    self.centreId = centreId
    self.roomId = roomId
  }
  public static func < (a: ProctoringRoom, b: ProctoringRoom) -> Bool {
    (a.centreId, a.roomId) < (b.centreId, b.roomId)
  }
}
