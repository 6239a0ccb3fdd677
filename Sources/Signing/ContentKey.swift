import Crypto
import ExamCore
import Foundation

/// A 256-bit AES-GCM content key, kept in its own file so papers stay secret until the exam starts.
public struct ContentKey: Sendable {
  static let header = "examkit-aes256gcm-key-v1"
  let key: SymmetricKey

  public init() { key = SymmetricKey(size: .bits256) }

  public init(contentsOf path: String) throws(ExamError) {
    let raw = try KeyFile.read(path, header: ContentKey.header, kind: "content key")
    guard raw.count == 32 else {
      throw ExamError(
        .invalidInput, file: path, location: "line 2", "the key is \(raw.count) bytes, not 32",
        fix: "use the .key file written by `exam pack build --encrypt`")
    }
    key = SymmetricKey(data: raw)
  }

  public func write(to path: String) throws(ExamError) {
    let text = key.withUnsafeBytes { Data($0).base64EncodedString() }
    try AtomicFile.write(text: "\(ContentKey.header)\n\(text)\n", to: path, mode: 0o600)
  }

  /// Encrypts `plaintext` with a nonce derived from `nonceSeed` (SHA-256, first 12 bytes), so the same
  /// key and input give the same bytes (reproducible packs). Never reuse a key across different plaintexts
  /// with the same seed. Output: nonce ‖ ciphertext ‖ tag.
  public func seal(_ plaintext: [UInt8], nonceSeed: [UInt8]) -> [UInt8] {
    let seed = Array(SHA256.hash(data: nonceSeed)).prefix(12)
    // A 12-byte nonce is always valid and AES-GCM sealing cannot otherwise fail.
    let nonce = try! AES.GCM.Nonce(data: Array(seed))
    let box = try! AES.GCM.seal(plaintext, using: key, nonce: nonce)
    return Array(box.combined!)
  }

  /// A keyed digest of `bytes`, lower-case hex: HMAC-SHA256 under a key derived from this content key
  /// (HKDF-SHA256, info `examkit-pack/1 file digest`). An encrypted pack's clear manifest lists this instead of
  /// the plain file's SHA-256, so a reader without the key cannot confirm a guess of a file's contents.
  public func digest(_ bytes: [UInt8]) -> String {
    let digestKey = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: key, info: Array(Self.digestInfo.utf8), outputByteCount: 32)
    return Digest.hex(HMAC<SHA256>.authenticationCode(for: bytes, using: digestKey))
  }

  /// HKDF info of the digest key (documented in docs/pack-format.md).
  public static let digestInfo = "examkit-pack/1 file digest"

  /// Decrypts what `seal` made. - Throws: `ExamError.integrity` when the key is wrong or a byte changed.
  public func open(_ sealed: [UInt8], source: String) throws(ExamError) -> [UInt8] {
    do {
      let box = try AES.GCM.SealedBox(combined: sealed)
      return Array(try AES.GCM.open(box, using: key))
    } catch {
      throw ExamError(
        .integrity, file: source, "cannot be decrypted: the content key is wrong or the file was altered",
        fix: "pass the .key file written when the pack was built, and rebuild the pack if it was altered")
    }
  }
}
