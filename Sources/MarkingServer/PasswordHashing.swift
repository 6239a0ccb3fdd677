import ExamCore
import HummingbirdBcrypt

/// Rater passwords: bcrypt (hummingbird-auth's HummingbirdBcrypt), salted per password, never stored in clear.
///
/// Cost 12 (2^12 rounds of the Blowfish key schedule; ≈ 0.35 s of CPU per hash here, measured as 2.2 s user for the
/// 6 demo raters of `exam raters import --passwords-out`) is the production default. Tests
/// and the load benchmark may lower it with `exam raters import --bcrypt-cost-for-tests`; the stored hash keeps its
/// cost, so verifying always uses the cost the password was stored with.
public struct PasswordHashing: Sendable, Equatable {
  public static let productionCost: UInt8 = 12
  /// The lowest cost bcrypt allows; for tests only.
  public static let minimumCost: UInt8 = 4
  public static let minimumPasswordLength = 10

  public var cost: UInt8

  public init(cost: UInt8 = PasswordHashing.productionCost) {
    self.cost = max(Self.minimumCost, min(cost, 31))
  }

  /// The bcrypt hash (`$2b$12$…`, salt included) of `password`.
  /// - Throws: `ExamError.invalidInput` when the password is too short or longer than bcrypt's 72 bytes.
  public func hash(_ password: String) throws(ExamError) -> String {
    try Self.check(password)
    return Bcrypt.hash(password, cost: cost)
  }

  /// Whether `password` matches `hash` (constant work for a given cost).
  public static func verify(_ password: String, hash: String) -> Bool {
    guard !hash.isEmpty, password.utf8.count <= 72 else { return false }
    return Bcrypt.verify(password, hash: hash)
  }

  /// Accepts passwords of 10 to 72 bytes (bcrypt ignores everything past 72).
  public static func check(_ password: String) throws(ExamError) {
    let bytes = password.utf8.count
    guard bytes >= minimumPasswordLength else {
      throw ExamError(
        .invalidInput, location: "password",
        "the password has \(bytes) characters; at least \(minimumPasswordLength) are needed",
        fix: "choose a longer password (a few words work well)")
    }
    guard bytes <= 72 else {
      throw ExamError(
        .invalidInput, location: "password", "the password has \(bytes) bytes; bcrypt uses only the first 72",
        fix: "choose a password of at most 72 bytes")
    }
  }
}
