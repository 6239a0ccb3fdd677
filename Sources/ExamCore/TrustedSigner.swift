/// A pack signer's public key the store trusts (`exam keys trust NAME.pub`): `exam pack import` accepts a pack
/// only when its manifest is signed by one of these keys and the key is not revoked.
public struct TrustedSigner: Sendable, Codable, Equatable {
  /// First 16 hex digits of the key's SHA-256 (as `exam keys generate` prints it); the key's id in the store.
  public var fingerprint: String
  /// Raw 32-byte Ed25519 public key, base64.
  public var publicKey: String
  /// Who the key belongs to (the file's base name unless `--label` was given).
  public var label: String
  public var trustedAt: String
  public var trustedBy: String
  public var revokedAt: String?
  public var revokedBy: String?

  public init(fingerprint: String, publicKey: String, label: String, trustedAt: String, trustedBy: String) {
    self.fingerprint = fingerprint
    self.publicKey = publicKey
    self.label = label
    self.trustedAt = trustedAt
    self.trustedBy = trustedBy
  }

  public var isRevoked: Bool { revokedAt != nil }
}
