/// An irregularity found in the event logs or the recordings, with the evidence behind it.
public struct Incident: Sendable, Codable, Equatable {
  /// Categories proctors know from established platforms.
  public enum Category: String, Sendable, Codable, CaseIterable {
    case environment = "Environment"
    case examinee = "Examinee"
    case proctorStaff = "Proctor/Staff"
    case technical = "Technical"
    case other = "Other"
  }

  public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high
    var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
  }

  /// open until a decision: confirmed, dismissed or actioned (extra time, item voided, reseated).
  public enum Status: String, Sendable, Codable, CaseIterable {
    case open, confirmed, dismissed, actioned
  }

  public var id: Int64?
  public var examId: String
  /// Rule and subject (e.g. `wrong-seat:C12:M-T1-R1-04`): the same finding raised twice is one incident.
  public var key: String
  /// The rule that raised it, e.g. `wrong-seat`, `no-heartbeat`, `duplicate-recording`.
  public var rule: String
  public var category: Category
  /// e.g. `seating`, `late`, `ID/authorisation`, `network`, `testing workstation`, `microphone`, `no response`.
  public var subcategory: String
  public var severity: Severity
  public var sessionId: String?
  public var centreId: String?
  public var roomId: String?
  public var seatId: String?
  public var candidateId: String?
  /// Local wall-clock seconds since 1970 of the finding (same clock as `SeatEvent.at`), when known.
  public var at: Double?
  /// What was found, in a proctor's words, naming the values.
  public var comment: String
  /// `event:<id>` and `recording:<id>` references.
  public var evidence: [String]
  /// A suggested action, e.g. `reseat to T1/R1/2-3`.
  public var suggestion: String?
  public var status: Status
  /// ISO 8601 UTC time the incident was first raised, and by whom (operator or `exam proctor scan`).
  public var raisedAt: String
  public var raisedBy: String

  public init(
    id: Int64? = nil, examId: String, key: String, rule: String, category: Category, subcategory: String,
    severity: Severity, sessionId: String? = nil, centreId: String? = nil, roomId: String? = nil,
    seatId: String? = nil, candidateId: String? = nil, at: Double? = nil, comment: String, evidence: [String],
    suggestion: String? = nil, status: Status = .open, raisedAt: String = "", raisedBy: String = ""
  ) {
    self.id = id
    self.examId = examId
    self.key = key
    self.rule = rule
    self.category = category
    self.subcategory = subcategory
    self.severity = severity
    self.sessionId = sessionId
    self.centreId = centreId
    self.roomId = roomId
    self.seatId = seatId
    self.candidateId = candidateId
    self.at = at
    self.comment = comment
    self.evidence = evidence
    self.suggestion = suggestion
    self.status = status
    self.raisedAt = raisedAt
    self.raisedBy = raisedBy
  }
}
