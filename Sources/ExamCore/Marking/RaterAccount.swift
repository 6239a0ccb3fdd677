/// A rater's login for the marking desk of `exam serve`: the rater, what they may do, and whether they can log in.
/// The password itself is never here; the store keeps only its bcrypt hash.
public struct RaterAccount: Sendable, Codable, Equatable {
  /// What an account may do on the desk.
  public enum Role: String, Sendable, Codable, CaseIterable {
    /// Marks the answers assigned to them (`/mark`).
    case rater
    /// Marks, and settles answers whose two marks disagree (`/arbitrate`); sees the office view.
    case arbiter
    /// Sees the office view (`/marking`) only.
    case office
  }

  public var rater: Rater
  public var role: Role
  public var hasPassword: Bool
  public var disabled: Bool
  /// Wrong passwords in a row since the last successful login.
  public var failedLogins: Int
  /// ISO 8601 UTC time until which logins are refused after too many wrong passwords; nil when not locked.
  public var lockedUntil: String?

  public init(
    rater: Rater, role: Role, hasPassword: Bool = false, disabled: Bool = false, failedLogins: Int = 0,
    lockedUntil: String? = nil
  ) {
    self.rater = rater
    self.role = role
    self.hasPassword = hasPassword
    self.disabled = disabled
    self.failedLogins = failedLogins
    self.lockedUntil = lockedUntil
  }
}

/// A logged-in browser on the marking desk: whose it is, its CSRF token and when it ends.
public struct DeskSession: Sendable, Codable, Equatable {
  public var raterId: String
  public var role: RaterAccount.Role
  /// Sent back in every POST form (`csrf` field); compared in constant time.
  public var csrfToken: String
  public var createdAt: String
  public var expiresAt: String
  /// The rater's name, for the page header (read with the session, so a page needs no second query for it).
  public var raterName: String

  public init(
    raterId: String, role: RaterAccount.Role, csrfToken: String, createdAt: String, expiresAt: String,
    raterName: String = ""
  ) {
    self.raterId = raterId
    self.role = role
    self.csrfToken = csrfToken
    self.createdAt = createdAt
    self.expiresAt = expiresAt
    self.raterName = raterName
  }
}
