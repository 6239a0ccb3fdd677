import ExamCore
import Signing

/// Which packs a reader accepts, decided before anything in the pack is extracted or decoded.
///
/// By default a pack must be signed by one of `keys` (the store's trusted signers for `exam pack import`, or the
/// `--pubkey` given to `verify` and `inspect`): an unsigned pack, or one signed by a key carried only inside it,
/// is refused. `allowUnsigned` (`--allow-unsigned`, for drafts) accepts them anyway, but a signature that is
/// present must still be valid. A pack already in the content store is trusted by its SHA-256 (`pinned`), which
/// the import that stored it recorded.
public struct PackTrust: Sendable {
  /// Keys whose signature makes a pack trusted.
  public var keys: [VerifyingKey]
  /// Accept unsigned packs and packs signed by another key (integrity is still checked).
  public var allowUnsigned: Bool
  /// The pack file's expected SHA-256: trusted because these exact bytes were imported before.
  public var pinnedSha256: String?

  public init(keys: [VerifyingKey], allowUnsigned: Bool = false) {
    self.keys = keys
    self.allowUnsigned = allowUnsigned
  }

  /// Signed by `key`.
  public static func key(_ key: VerifyingKey) -> PackTrust { PackTrust(keys: [key]) }

  /// Any pack whose manifest and files are intact, signed or not (`--allow-unsigned`).
  public static let unsignedAllowed = PackTrust(keys: [], allowUnsigned: true)

  /// The pack whose file has this SHA-256.
  public static func pinned(sha256: String) -> PackTrust {
    var trust = PackTrust(keys: [])
    trust.pinnedSha256 = sha256
    return trust
  }

  /// How to make a refused signer trusted, for messages.
  var howToTrust: String {
    keys.isEmpty
      ? "trust the exam office's public key first (`exam keys trust office.pub`, or --pubkey office.pub for verify), "
        + "or pass --allow-unsigned for a draft you built yourself"
      : "get the pack from the office whose key you trust, trust its key with `exam keys trust NAME.pub`, "
        + "or pass --allow-unsigned for a draft you built yourself"
  }

  /// Whether `key` is one of the trusted keys.
  func trusts(_ key: VerifyingKey) -> Bool { keys.contains { $0.base64 == key.base64 } }
}
