/// Thresholds of the proctoring rules. Defaults follow the issue and common proctoring practice.
public struct RuleSettings: Sendable, Codable, Equatable {
  /// A machine silent longer than this (seconds) in an active session is down.
  public var heartbeatGapSeconds = 60.0
  /// A first login later than the session's start plus this (seconds) is late.
  public var lateLoginGraceSeconds = 600.0
  /// Activity later than the session's end plus this (seconds) is an overrun.
  public var overrunGraceSeconds = 60.0
  /// A mic check below this level (dBFS) is a device fault.
  public var minMicLevelDb = -45.0
  /// Events this long (seconds) before a session's start or after its end still belong to it.
  public var sessionSlackBeforeSeconds = 3600.0
  public var sessionSlackAfterSeconds = 7200.0

  public init() {}
}
