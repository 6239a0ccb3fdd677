import ExamCore
import Foundation
import Signing

/// `manifest.json` inside a built pack: every content file with its size and SHA-256, how the files are
/// encrypted (if they are), and who signed the pack. `manifest.sig` holds the Ed25519 signature of these bytes.
/// Files and signer follow `SignedManifest`, the format records exports share; a file adds where its
/// ciphertext is stored when the pack is encrypted.
public struct PackManifest: Sendable, Codable, Equatable {
  public static let formatName = "examkit-pack-manifest/1"
  /// Zip entry names the pack reserves.
  public static let fileName = "manifest.json"
  public static let signatureFileName = "manifest.sig"
  /// Largest manifest read, bytes (a real one lists a file in about 200 bytes).
  static let maxBytes: UInt64 = 16 << 20

  /// One content file.
  public struct File: Sendable, Codable, Equatable {
    /// Path in the pack folder (`audio/LA1.flac`).
    public var path: String
    /// Bytes of the plain file.
    public var size: Int
    /// Digest of the plain file, lower-case hex: its SHA-256 in a clear pack; in an encrypted pack the keyed
    /// digest `ContentKey.digest` (HMAC-SHA256), so the clear manifest does not let anyone confirm a guessed
    /// file (`encryption.digest` names the rule).
    public var sha256: String
    /// When encrypted: the zip entry holding the ciphertext, with its own size and SHA-256.
    public var stored: Stored?

    /// Name of the zip entry that holds this file.
    public var entryPath: String { stored?.path ?? path }
  }

  /// Where and what an encrypted file's ciphertext is.
  public struct Stored: Sendable, Codable, Equatable {
    public var path: String
    public var size: Int
    public var sha256: String
  }

  /// How content files are encrypted.
  public struct Encryption: Sendable, Codable, Equatable {
    /// `AES-256-GCM`.
    public var algorithm: String
    /// How each file's nonce is made (documented, so another implementation can decrypt).
    public var nonce: String
    /// SHA-256 of a known block sealed under the key: tells a wrong key apart from a damaged file.
    public var keyCheck: String
    /// How the files' `sha256` is made (`digestRule`). Missing in packs built before plain digests were keyed:
    /// their clear manifest lists each plain file's SHA-256, so they are refused and must be rebuilt.
    public var digest: String?
  }

  /// The key that signed the manifest (the shared format's signer).
  public typealias Signer = SignedManifest.Signer

  public var format: String
  public var examId: String
  public var title: String
  public var files: [File]
  public var encryption: Encryption?
  public var signer: SignedManifest.Signer?

  /// Manifest bytes as packed and signed: sorted keys, no whitespace, so the same content gives the same bytes.
  public func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding plain strings, integers and optionals cannot fail.
    return Array(try! encoder.encode(self))
  }

  /// - Throws: `ExamError.corrupt` naming `manifest.json` in `pack`.
  public static func decode(_ bytes: [UInt8], pack: String) throws(ExamError) -> PackManifest {
    do {
      let manifest = try JSONDecoder().decode(PackManifest.self, from: Data(bytes))
      guard manifest.format == formatName else {
        throw ExamError(
          .unsupportedFormat, file: pack, location: fileName,
          "manifest format '\(manifest.format)' is not supported",
          fix: "rebuild the pack with this version of `exam pack build`")
      }
      return manifest
    } catch let error as ExamError {
      throw error
    } catch {
      throw ExamError(
        .corrupt, file: pack, location: fileName, "manifest.json is not a valid pack manifest",
        fix: "rebuild the pack with `exam pack build`; the file was damaged or altered", underlying: "\(error)")
    }
  }

  /// Nonce rule written into `encryption.nonce`: the seed holds the keyed digest, so the nonce (stored in the
  /// clear before each ciphertext) reveals nothing about the plaintext either.
  static let nonceRule = "first 12 bytes of SHA-256(\"examkit-pack/1\" 0x00 path 0x00 keyed-digest-hex-of-plaintext)"

  /// Digest rule written into `encryption.digest`.
  static let digestRule =
    "HMAC-SHA256 of the plain file under HKDF-SHA256(content key, info \"\(ContentKey.digestInfo)\"), hex"

  static func nonceSeed(path: String, digest: String) -> [UInt8] {
    Array("examkit-pack/1".utf8) + [0] + Array(path.utf8) + [0] + Array(digest.utf8)
  }

  static let keyCheckSeed = Array("examkit-pack/1 key-check".utf8)
  static let keyCheckBlock = [UInt8](repeating: 0, count: 32)
}
