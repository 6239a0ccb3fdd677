/// A seat reported failed during a session, and where its candidate was moved.
public struct SeatFailure: Sendable, Equatable, Codable {
  public var examId: String
  public var sessionId: String
  public var centreId: String
  public var roomId: String
  public var seatId: String
  public var candidateId: String?
  public var toCentreId: String?
  public var toRoomId: String?
  public var toSeatId: String?
  public var reason: String
  public var at: String
  public var `operator`: String

  public init(
    examId: String, sessionId: String, centreId: String, roomId: String, seatId: String, candidateId: String?,
    toCentreId: String?, toRoomId: String?, toSeatId: String?, reason: String, at: String, operator: String
  ) {
    self.examId = examId
    self.sessionId = sessionId
    self.centreId = centreId
    self.roomId = roomId
    self.seatId = seatId
    self.candidateId = candidateId
    self.toCentreId = toCentreId
    self.toRoomId = toRoomId
    self.toSeatId = toSeatId
    self.reason = reason
    self.at = at
    self.operator = `operator`
  }
}
