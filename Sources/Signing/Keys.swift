import Crypto
import ExamCore
import Foundation

/// Ed25519 keys in small text files: a first line naming the kind, then the raw key in base64.
///
/// The private key file is written with mode 0600. `exam keys generate NAME` writes `NAME.key` and `NAME.pub`.
public struct SigningKey: Sendable {
  static let privateHeader = "examkit-ed25519-private-v1"
  static let publicHeader = "examkit-ed25519-public-v1"

  let key: Curve25519.Signing.PrivateKey

  public init() { key = Curve25519.Signing.PrivateKey() }

  /// Loads a private key written by `write(privateTo:publicTo:)`.
  /// - Throws: `ExamError.notFound` / `.invalidInput` naming the file.
  public init(contentsOf path: String) throws(ExamError) {
    let raw = try KeyFile.read(path, header: SigningKey.privateHeader, kind: "private signing key")
    do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
      throw ExamError(.invalidInput, file: path, "is not a valid Ed25519 private key", fix: KeyFile.generateHint)
    }
  }

  public var publicKey: VerifyingKey { VerifyingKey(key: key.publicKey) }

  /// Signs `message`; the signature is 64 bytes.
  public func signature(for message: [UInt8]) -> [UInt8] {
    // Ed25519 signing fails only on a broken private key, which init already refused.
    Array((try? key.signature(for: message)) ?? Data())
  }

  /// Writes the private key (mode 0600) and its public key, atomically.
  public func write(privateTo privatePath: String, publicTo publicPath: String) throws(ExamError) {
    try AtomicFile.write(
      text: "\(SigningKey.privateHeader)\n\(key.rawRepresentation.base64EncodedString())\n", to: privatePath,
      mode: 0o600)
    try publicKey.write(to: publicPath)
  }
}

/// An Ed25519 public key that checks signatures made by a `SigningKey`.
public struct VerifyingKey: Sendable {
  let key: Curve25519.Signing.PublicKey

  init(key: Curve25519.Signing.PublicKey) { self.key = key }

  public init(contentsOf path: String) throws(ExamError) {
    let raw = try KeyFile.read(path, header: SigningKey.publicHeader, kind: "public key")
    do { key = try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
      throw ExamError(.invalidInput, file: path, "is not a valid Ed25519 public key", fix: KeyFile.generateHint)
    }
  }

  /// Base64 of the raw 32-byte key, for embedding in a manifest.
  public var base64: String { key.rawRepresentation.base64EncodedString() }

  public init?(base64: String) {
    guard let data = Data(base64Encoded: base64), let k = try? Curve25519.Signing.PublicKey(rawRepresentation: data)
    else { return nil }
    key = k
  }

  /// A short fingerprint (first 16 hex digits of the key's SHA-256) to show people.
  public var fingerprint: String { String(Digest.sha256(bytes: Array(key.rawRepresentation)).prefix(16)) }

  public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
    key.isValidSignature(signature, for: message)
  }

  public func write(to path: String) throws(ExamError) {
    try AtomicFile.write(text: "\(SigningKey.publicHeader)\n\(base64)\n", to: path)
  }
}

enum KeyFile {
  static let generateHint = "make a key pair with `exam keys generate NAME` and pass NAME.key (or NAME.pub)"

  static func read(_ path: String, header: String, kind: String) throws(ExamError) -> Data {
    guard FileSystem.exists(path) else {
      throw ExamError(.notFound, file: path, "no such \(kind) file", fix: generateHint)
    }
    guard let text = String(validating: try InputFile.bytes(path), as: UTF8.self) else {
      throw ExamError(.invalidInput, file: path, "cannot be read as text", fix: generateHint)
    }
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
    guard lines.count >= 2, lines[0] == header else {
      throw ExamError(
        .invalidInput, file: path, location: "line 1",
        "expected '\(header)', found '\(lines.first ?? "")'", fix: generateHint)
    }
    guard let data = Data(base64Encoded: lines[1]) else {
      throw ExamError(.invalidInput, file: path, location: "line 2", "is not base64", fix: generateHint)
    }
    return data
  }
}
