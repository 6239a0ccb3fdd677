/// One line of the audit trail: who changed what, when, with which command.
///
/// `operator` is the name the person gave (`--operator`, else $USER): useful on a shared office account, but free
/// text anyone can type. `account` is the identity the audit trail can stand behind.
public struct AuditEntry: Sendable, Equatable, Codable {
  public var id: Int64?
  public var at: String
  public var `operator`: String
  public var command: String
  public var arguments: String
  public var summary: String
  /// The operating-system account that ran the command (from the process's user id, which the kernel vouches
  /// for, not from $USER or `--operator`); nil on lines written before it was recorded, and for lines the
  /// library writes without a command.
  public var account: String?

  public init(at: String, operator: String, command: String, arguments: String, summary: String, account: String? = nil)
  {
    self.at = at
    self.operator = `operator`
    self.command = command
    self.arguments = arguments
    self.summary = summary
    self.account = account
  }
}
