/// One line of the audit trail: who changed what, when, with which command.
public struct AuditEntry: Sendable, Equatable, Codable {
  public var id: Int64?
  public var at: String
  public var `operator`: String
  public var command: String
  public var arguments: String
  public var summary: String

  public init(at: String, operator: String, command: String, arguments: String, summary: String) {
    self.at = at
    self.operator = `operator`
    self.command = command
    self.arguments = arguments
    self.summary = summary
  }
}
