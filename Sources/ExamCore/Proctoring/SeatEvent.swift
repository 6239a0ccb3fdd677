/// The kinds of event a seat machine writes to its log (docs/schemas/seat-event.schema.json).
public enum SeatEventType: String, Sendable, Codable, CaseIterable {
  case login
  case idCheck = "id-check"
  case micCheck = "mic-check"
  case heartbeat
  case itemStart = "item-start"
  case itemEnd = "item-end"
  case recordingSaved = "recording-saved"
  case networkLost = "network-lost"
  case networkRestored = "network-restored"
  case clientCrash = "client-crash"
  case logout
}

/// One line of a seat machine's event log, as the store keeps it.
public struct SeatEvent: Sendable, Codable, Equatable {
  /// Row id once stored; incidents cite it as `event:<id>`.
  public var id: Int64?
  public var examId: String
  public var machineId: String
  /// The machine's own sequence number: (exam, machine, seq) identifies the event.
  public var seq: Int64
  /// Local wall-clock time of the sitting, seconds since 1970 (the line's UTC offset removed), so it
  /// compares directly with a session's `date`/`start`/`end`.
  public var at: Double
  public var centreId: String
  public var roomId: String
  public var seatId: String
  public var candidateId: String?
  public var type: SeatEventType
  /// item-start, item-end, recording-saved: the item.
  public var itemId: String?
  /// mic-check: input level, dBFS.
  public var level: Double?
  /// id-check: true for pass.
  public var passed: Bool?

  public init(
    id: Int64? = nil, examId: String, machineId: String, seq: Int64, at: Double, centreId: String,
    roomId: String, seatId: String, candidateId: String? = nil, type: SeatEventType, itemId: String? = nil,
    level: Double? = nil, passed: Bool? = nil
  ) {
    self.id = id
    self.examId = examId
    self.machineId = machineId
    self.seq = seq
    self.at = at
    self.centreId = centreId
    self.roomId = roomId
    self.seatId = seatId
    self.candidateId = candidateId
    self.type = type
    self.itemId = itemId
    self.level = level
    self.passed = passed
  }
}
