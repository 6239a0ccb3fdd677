/// A decision on an incident: who decided what, when and why. Every decision is kept.
public struct IncidentDecision: Sendable, Codable, Equatable {
  public enum Action: String, Sendable, Codable, CaseIterable {
    case dismiss, confirm
    case extraTime = "extra-time"
    case voidItem = "void-item"
    case reseat
  }

  public var id: Int64?
  public var incidentId: Int64
  public var action: Action
  public var reason: String
  public var `operator`: String
  /// ISO 8601 UTC.
  public var at: String

  public init(id: Int64? = nil, incidentId: Int64, action: Action, reason: String, operator: String, at: String) {
    self.id = id
    self.incidentId = incidentId
    self.action = action
    self.reason = reason
    self.operator = `operator`
    self.at = at
  }

  /// The incident's status after this decision.
  public var resultingStatus: Incident.Status {
    switch action {
    case .dismiss: .dismissed
    case .confirm: .confirmed
    case .extraTime, .voidItem, .reseat: .actioned
    }
  }
}
