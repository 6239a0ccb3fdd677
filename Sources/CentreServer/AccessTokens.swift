import ExamCore
import ExamStorage
import Foundation
import Signing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Making and checking the secrets behind `exam centres tokens issue`: 32 random bytes from the OS, shown once as
/// `exk_<64 hex>`; the store keeps only their SHA-256.
public enum AccessTokens {
  /// A new secret and its public id (8 hex digits, for `list` and `revoke`).
  public static func makeSecret() -> (secret: String, id: String) {
    let bytes = randomBytes(36)
    return ("exk_" + Digest.hex(bytes[0..<32]), Digest.hex(bytes[32..<36]))
  }

  /// The hex SHA-256 the store keeps for `secret`.
  public static func hash(_ secret: String) -> String { Digest.sha256(text: secret) }

  /// Issues a token for `centreId` (or an office token when nil) and returns the secret, which is not kept.
  public static func issue(
    in store: any ServerStore, centreId: String?, label: String, operatorName: String,
    arguments: [String]
  ) async throws -> (secret: String, token: AccessToken) {
    let (secret, id) = makeSecret()
    let token = AccessToken(
      id: id, role: centreId == nil ? .office : .centre, centreId: centreId, label: label,
      issuedAt: Timestamp.now(), issuedBy: operatorName)
    try await store.issueToken(
      token, tokenSha256: hash(secret),
      audit: AuditEntry(
        at: token.issuedAt, operator: operatorName,
        command: "centres tokens issue", arguments: arguments.joined(separator: " "),
        summary: "issued \(token.role.rawValue) token \(id)" + (centreId.map { " for centre \($0)" } ?? "")))
    return (secret, token)
  }

  /// The token a request presents, from `Authorization: Bearer <secret>` or `Basic` with the secret as password
  /// (so a browser can open `/status`). Nil when the header is missing or unreadable.
  static func secret(fromAuthorization header: String?) -> String? {
    guard let header else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2 else { return nil }
    switch parts[0].lowercased() {
    case "bearer":
      return String(parts[1]).trimmingCharacters(in: .whitespaces)
    case "basic":
      guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8),
        let colon = text.firstIndex(of: ":")
      else { return nil }
      return String(text[text.index(after: colon)...])
    default:
      return nil
    }
  }

  /// Writes `secret` and a newline to `path`, readable and writable by the owner only (mode 600).
  public static func writeSecret(_ secret: String, to path: String) throws(ExamError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw ExamError(
        .io, file: path, "cannot write the token file", fix: "choose a writable path with --out",
        underlying: String(cString: strerror(errno)))
    }
    defer { close(descriptor) }
    let bytes = Array((secret + "\n").utf8)
    guard fchmod(descriptor, 0o600) == 0, write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0
    else {
      throw ExamError(
        .io, file: path, "cannot write the token file", fix: "check the disk",
        underlying: String(cString: strerror(errno)))
    }
  }

  /// `count` bytes from the system's cryptographically secure generator (getrandom on Linux).
  static func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
  }
}
