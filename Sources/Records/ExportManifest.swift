import ExamCore
import Foundation
import Signing

/// `MANIFEST.json` (every exported file's path, size and SHA-256, and the signer's public key) and
/// `MANIFEST.json.sig` (the Ed25519 signature of MANIFEST.json's exact bytes, base64).
public enum ExportManifest {
  public static let fileName = "MANIFEST.json"
  public static let signatureName = "MANIFEST.json.sig"
  static let format = "examkit-records-manifest/1"

  /// One listed file.
  public struct File: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
  }

  /// What a manifest says.
  public struct Contents: Sendable, Codable, Equatable {
    public var format: String
    public var createdAt: String
    /// Base64 of the signer's raw Ed25519 public key.
    public var signer: String
    public var fingerprint: String
    public var files: [File]
  }

  /// Hashes every file under `directory` (except the manifest itself), writes MANIFEST.json and its signature.
  static func write(in directory: String, createdAt: String, key: SigningKey) throws -> Contents {
    var files: [File] = []
    for relative in try listFiles(directory) {
      let path = directory + "/" + relative
      files.append(File(path: relative, bytes: FileSystem.size(path) ?? 0, sha256: try Digest.sha256(fileAtPath: path)))
    }
    let contents = Contents(format: format, createdAt: createdAt, signer: key.publicKey.base64,
      fingerprint: key.publicKey.fingerprint, files: files)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let bytes = Array(try encoder.encode(contents)) + [10]
    try OutputFile.write(String(decoding: bytes, as: UTF8.self), to: directory + "/" + fileName)
    let signature = key.signature(for: bytes)
    try OutputFile.write(Data(signature).base64EncodedString() + "\n", to: directory + "/" + signatureName)
    return contents
  }

  /// What `verify` found.
  public struct Verification: Sendable, Codable, Equatable {
    public var directory: String
    public var files: Int
    public var fingerprint: String
    public var createdAt: String
  }

  /// Proves that nothing in `directory` changed since it was signed: the signature of MANIFEST.json is the
  /// holder of `publicKey`'s, every listed file has its size and SHA-256, and no file was added.
  /// - Throws: `ExamError.integrity` (or `ExamErrors`, one per altered, added or missing file) naming the file;
  ///   `ExamError.notFound` when the folder or its manifest is missing.
  public static func verify(directory: String, publicKey: VerifyingKey) throws -> Verification {
    guard FileSystem.isDirectory(directory) else {
      throw ExamError(.notFound, file: directory, "no such export folder", fix: "give the folder `exam records export --out` wrote")
    }
    let manifestPath = directory + "/" + fileName
    guard let manifest = FileManager.default.contents(atPath: manifestPath) else {
      throw ExamError(.integrity, file: manifestPath, "the manifest is missing",
        fix: "the export is incomplete or was tampered with: export it again")
    }
    guard let signatureText = try? String(contentsOfFile: directory + "/" + signatureName, encoding: .utf8),
      let signature = Data(base64Encoded: signatureText.trimmingCharacters(in: .whitespacesAndNewlines))
    else {
      throw ExamError(.integrity, file: directory + "/" + signatureName, "the signature is missing or not base64",
        fix: "the export is incomplete or was tampered with: export it again")
    }
    guard publicKey.isValidSignature(Array(signature), for: Array(manifest)) else {
      throw ExamError(.integrity, file: manifestPath,
        "the signature does not match: MANIFEST.json was altered, or signed with another key than \(publicKey.fingerprint)",
        fix: "ask the exam office for the public key of the key that signed this export, or export it again")
    }
    let contents: Contents
    do { contents = try JSONDecoder().decode(Contents.self, from: manifest) } catch {
      throw ExamError(.corrupt, file: manifestPath, "is signed but not a records manifest", underlying: "\(error)")
    }
    var problems: [ExamError] = []
    var listed: Set<String> = []
    for file in contents.files {
      listed.insert(file.path)
      let path = directory + "/" + file.path
      guard !file.path.split(separator: "/").contains(".."), !file.path.hasPrefix("/") else {
        problems.append(ExamError(.integrity, file: manifestPath, location: file.path, "names a file outside the export"))
        continue
      }
      guard FileSystem.exists(path) else {
        problems.append(ExamError(.integrity, file: path, "is missing (listed in MANIFEST.json)",
          fix: "restore the file from the original export"))
        continue
      }
      let digest = try Digest.sha256(fileAtPath: path)
      if digest != file.sha256 || FileSystem.size(path) != file.bytes {
        problems.append(ExamError(.integrity, file: path,
          "was altered: its SHA-256 is \(digest.prefix(16))…, the manifest says \(file.sha256.prefix(16))…",
          fix: "restore the file from the original export"))
      }
    }
    for relative in try listFiles(directory) where !listed.contains(relative) {
      problems.append(ExamError(.integrity, file: directory + "/" + relative, "was added after the export was signed",
        fix: "remove it, or export again"))
    }
    if problems.count == 1 { throw problems[0] }
    if !problems.isEmpty { throw ExamErrors(problems) }
    return Verification(directory: directory, files: contents.files.count, fingerprint: contents.fingerprint,
      createdAt: contents.createdAt)
  }

  /// Every regular file under `directory`, relative, sorted, without the manifest and its signature.
  static func listFiles(_ directory: String) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
      throw ExamError(.io, file: directory, "cannot list the folder")
    }
    var out: [String] = []
    while let next = enumerator.nextObject() as? String {
      if next == fileName || next == signatureName { continue }
      if FileSystem.isDirectory(directory + "/" + next) { continue }
      out.append(next)
    }
    return out.sorted()
  }
}
