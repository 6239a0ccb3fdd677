import CentreServer
import ExamCore
import ExamStorage
import Foundation
import Hummingbird
import NIOPosix
import Signing

/// Logins, sessions and CSRF for the desk. A session is a random 32-byte cookie (`desk_session`, HttpOnly,
/// SameSite=Strict, Secure over TLS) of which the store keeps only the SHA-256; each has its own CSRF token that
/// every POST form must carry. Wrong passwords lock the account after `maximumFailuresPerAccount` in a row and
/// refuse an address after `maximumFailuresPerAddress` in the window; each attempt is in the audit trail.
struct DeskAuthenticator: Sendable {
  static let sessionCookie = "desk_session"
  /// The login form's own CSRF cookie (double submit: the form field must equal it).
  static let loginCookie = "desk_login"
  let database: any ServerStore
  let configuration: DeskConfiguration
  let throttle: LoginThrottle
  /// Where a login's store work runs (the other checks here are called from handlers already on it).
  let store: StoreThreads
  /// A bcrypt hash to verify against when the account does not exist, so that a wrong name takes as long as a
  /// wrong password.
  let decoyHash: String

  init(database: any ServerStore, configuration: DeskConfiguration, store: StoreThreads) {
    self.database = database
    self.configuration = configuration
    self.store = store
    throttle = LoginThrottle(
      limit: configuration.maximumFailuresPerAddress, windowSeconds: configuration.addressWindowSeconds)
    decoyHash = (try? PasswordHashing(cost: PasswordHashing.minimumCost).hash("decoy password, never valid")) ?? ""
  }

  /// The session of the request's cookie, or nil.
  func session(_ request: Request) async throws -> DeskSession? {
    guard let cookie = DeskForm.cookie(Self.sessionCookie, in: request), cookie.count == 64 else { return nil }
    return try await database.deskSession(
      tokenSha256: Digest.sha256(text: cookie), now: Timestamp.format(epochSeconds: Int(Date().timeIntervalSince1970)))
  }

  /// The session, or 401; with `roles`, 403 for any other role.
  func require(_ request: Request, roles: Set<RaterAccount.Role>? = nil) async throws -> DeskSession {
    guard let session = try await session(request) else { throw DeskError.notLoggedIn }
    if let roles, !roles.contains(session.role) {
      throw DeskError.forbidden("Your account (\(session.role.rawValue)) may not open this page.")
    }
    return session
  }

  /// Checks the form's `csrf` field against the session's token.
  func checkCSRF(_ fields: [String: String], session: DeskSession) throws {
    guard DeskForm.constantTimeEquals(fields["csrf"] ?? "", session.csrfToken) else { throw DeskError.badCSRF }
  }

  /// Checks a password and starts a session. Returns the cookie value and the session. The only place bcrypt runs
  /// on the desk (on NIO's thread pool); every other request is checked against the stored session.
  /// - Throws: `DeskError` 429 when the address or account is locked out, 401 for a wrong name or password.
  func login(raterId: String, password: String, address: String) async throws -> (cookie: String, session: DeskSession)
  {
    let now = Date().timeIntervalSince1970
    let database = database
    guard await throttle.allows(address, now: now) else {
      let line = audit(raterId, address, "login refused: too many wrong passwords from \(address)")
      try await store.perform { try await database.appendAudit(line) }
      throw DeskError(
        .tooManyRequests,
        "Too many wrong passwords from this computer. Wait \(configuration.addressWindowSeconds / 60) minutes.")
    }
    let found = try await store.perform { try await database.raterAccount(id: raterId) }
    if let locked = found?.account.lockedUntil, let until = Timestamp.parse(locked), until > now {
      let line = audit(raterId, address, "login refused: account locked until \(locked)")
      try await store.perform { try await database.appendAudit(line) }
      throw DeskError(.tooManyRequests, "This account is locked after too many wrong passwords until \(locked) (UTC).")
    }
    let hash = found?.passwordHash ?? decoyHash
    let matches = try await NIOThreadPool.singleton.runIfActive { PasswordHashing.verify(password, hash: hash) }
    guard let found, matches, found.passwordHash != nil, !found.account.disabled else {
      await throttle.recordFailure(address, now: now)
      if found != nil {
        let lockUntil = Timestamp.format(epochSeconds: Int(now) + configuration.lockSeconds)
        let line = audit(
          raterId, address, "login failed" + (found?.account.disabled == true ? " (account disabled)" : ""))
        let maximum = configuration.maximumFailuresPerAccount
        let outcome = try await store.perform {
          try await database.recordLoginFailure(
            raterId: raterId, maximumFailures: maximum, lockUntil: lockUntil, audit: line)
        }
        if let locked = outcome.lockedUntil {
          throw DeskError(.tooManyRequests, "Wrong password. The account is now locked until \(locked) (UTC).")
        }
      } else {
        let line = audit(raterId, address, "login failed: no such account")
        try await store.perform { try await database.appendAudit(line) }
      }
      throw DeskError(.unauthorized, "Wrong rater id or password.")
    }
    let cookie = DeskForm.randomToken()
    let at = Timestamp.now()
    let session = DeskSession(
      raterId: raterId, role: found.account.role, csrfToken: DeskForm.randomToken(), createdAt: at,
      expiresAt: Timestamp.format(epochSeconds: Int(now) + configuration.sessionSeconds),
      raterName: found.account.rater.name)
    let line = audit(raterId, address, "logged in")
    try await store.perform {
      try await database.beginDeskSession(session, tokenSha256: Digest.sha256(text: cookie), audit: line)
    }
    return (cookie, session)
  }

  func logout(_ request: Request, session: DeskSession) async throws {
    guard let cookie = DeskForm.cookie(Self.sessionCookie, in: request) else { return }
    try await database.endDeskSession(
      tokenSha256: Digest.sha256(text: cookie), audit: audit(session.raterId, nil, "logged out"))
  }

  func audit(_ raterId: String, _ address: String?, _ summary: String) -> AuditEntry {
    AuditEntry(
      at: Timestamp.now(), operator: "rater \(raterId)", command: "serve /login",
      arguments: address.map { "from \($0)" } ?? "", summary: summary)
  }
}
