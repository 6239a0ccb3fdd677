/// What `exam pack verify` established about a pack file.
public struct PackVerification: Sendable, Codable, Equatable {
  public var pack: String
  /// SHA-256 of the pack file.
  public var packSha256: String
  public var examId: String
  public var title: String
  /// Content files checked (manifest and signature not counted).
  public var fileCount: Int
  /// Bytes of the content files (plain).
  public var contentBytes: Int
  /// Fingerprint of the key that signed the manifest, if signed.
  public var signer: String?
  /// Whether the signer is the key given with --pubkey (otherwise the signature was only checked against the
  /// key named inside the pack, which proves integrity but not origin).
  public var signerTrusted: Bool
  public var encrypted: Bool
  /// Whether encrypted contents were decrypted with the content key and checked too.
  public var decrypted: Bool
}
