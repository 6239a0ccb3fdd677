import ExamCore
import Foundation

/// The signed-manifest format that built packs (`manifest.json` + `manifest.sig`) and records exports
/// (`MANIFEST.json` + `MANIFEST.json.sig`) share: every file with its `size` in bytes and SHA-256, the signer
/// as an Ed25519 public key with its fingerprint, and a signature file holding a header line and the base64
/// Ed25519 signature of the manifest's exact bytes.
///
/// Old records exports (`examkit-records-manifest/1`: `bytes` for the size, the signer as a bare base64 string,
/// a signature file of bare base64) are still read.
public enum SignedManifest {
  /// First line of a signature file.
  public static let signatureHeader = "examkit-ed25519-signature-v1"

  /// One listed file.
  public struct File: Sendable, Codable, Equatable {
    /// Path relative to the pack or export folder, `/`-separated.
    public var path: String
    /// Bytes of the file.
    public var size: Int
    /// SHA-256 of the file, lower-case hex.
    public var sha256: String

    public init(path: String, size: Int, sha256: String) {
      self.path = path
      self.size = size
      self.sha256 = sha256
    }

    enum CodingKeys: String, CodingKey { case path, size, sha256 }
    enum LegacyKeys: String, CodingKey { case bytes }

    /// Reads `size`, or `bytes` as old records manifests wrote it.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      path = try c.decode(String.self, forKey: .path)
      sha256 = try c.decode(String.self, forKey: .sha256)
      if let size = try c.decodeIfPresent(Int.self, forKey: .size) {
        self.size = size
      } else {
        size = try decoder.container(keyedBy: LegacyKeys.self).decode(Int.self, forKey: .bytes)
      }
    }
  }

  /// The key that signed a manifest.
  public struct Signer: Sendable, Codable, Equatable {
    /// `Ed25519`.
    public var algorithm: String
    /// Raw 32-byte public key, base64.
    public var publicKey: String
    /// First 16 hex digits of the public key's SHA-256 (as `exam keys generate` prints it).
    public var fingerprint: String

    public init(algorithm: String, publicKey: String, fingerprint: String) {
      self.algorithm = algorithm
      self.publicKey = publicKey
      self.fingerprint = fingerprint
    }

    /// The signer entry for `key`.
    public init(_ key: VerifyingKey) {
      self.init(algorithm: "Ed25519", publicKey: key.base64, fingerprint: key.fingerprint)
    }
  }

  /// The signature file's bytes for `signature`.
  public static func signatureFile(_ signature: [UInt8]) -> [UInt8] {
    Array("\(signatureHeader)\n\(Data(signature).base64EncodedString())\n".utf8)
  }

  /// The raw signature in a signature file, or nil when the file is in neither format. Reads the header-line
  /// format and, when `acceptingBareBase64`, the bare base64 of old records exports.
  public static func signature(inFile bytes: [UInt8], acceptingBareBase64: Bool = false) -> [UInt8]? {
    let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    if lines.count == 2, lines[0] == signatureHeader, let data = Data(base64Encoded: lines[1]) { return Array(data) }
    if acceptingBareBase64, lines.count == 1, let data = Data(base64Encoded: lines[0].trimmingSpaces()) {
      return Array(data)
    }
    return nil
  }

  /// Lists `path` (relative to `directory`) with its size and SHA-256.
  /// - Throws: `ExamError.notFound` or `.io` naming the file.
  public static func file(_ path: String, in directory: String) throws(ExamError) -> File {
    let full = directory + "/" + path
    return File(path: path, size: FileSystem.size(full) ?? 0, sha256: try Digest.sha256(fileAtPath: full))
  }
}
