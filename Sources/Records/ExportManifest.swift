import ExamCore
import Foundation
import Signing

/// `MANIFEST.json` (every exported file's path, size and SHA-256, and the signer) and `MANIFEST.json.sig`
/// (the Ed25519 signature of MANIFEST.json's exact bytes), in the `SignedManifest` format packs use.
/// Exports written before that format (`examkit-records-manifest/1`) still verify.
public enum ExportManifest {
  public static let fileName = "MANIFEST.json"
  public static let signatureName = "MANIFEST.json.sig"
  static let format = "examkit-records-manifest/2"
  static let legacyFormat = "examkit-records-manifest/1"

  /// What a manifest says.
  public struct Contents: Sendable, Codable, Equatable {
    public var format: String
    public var createdAt: String
    public var signer: SignedManifest.Signer
    public var files: [SignedManifest.File]

    enum CodingKeys: String, CodingKey { case format, createdAt, signer, files }
    enum LegacyKeys: String, CodingKey { case signer, fingerprint }

    init(format: String, createdAt: String, signer: SignedManifest.Signer, files: [SignedManifest.File]) {
      self.format = format
      self.createdAt = createdAt
      self.signer = signer
      self.files = files
    }

    /// Reads both formats: format 1 gave the signer as a base64 string beside a top-level `fingerprint`.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      format = try c.decode(String.self, forKey: .format)
      createdAt = try c.decode(String.self, forKey: .createdAt)
      files = try c.decode([SignedManifest.File].self, forKey: .files)
      if let signer = try? c.decode(SignedManifest.Signer.self, forKey: .signer) {
        self.signer = signer
      } else {
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        signer = SignedManifest.Signer(
          algorithm: "Ed25519", publicKey: try legacy.decode(String.self, forKey: .signer),
          fingerprint: try legacy.decode(String.self, forKey: .fingerprint))
      }
    }
  }

  /// Hashes every file under `directory` (except the manifest itself), writes MANIFEST.json and its signature.
  static func write(in directory: String, createdAt: String, key: SigningKey) throws -> Contents {
    let files = try listFiles(directory).map { relative throws(ExamError) in
      try SignedManifest.file(relative, in: directory)
    }
    let contents = Contents(
      format: format, createdAt: createdAt, signer: SignedManifest.Signer(key.publicKey), files: files)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let bytes = Array(try encoder.encode(contents)) + [10]
    try PrivateOutputFile.write(String(decoding: bytes, as: UTF8.self), to: directory + "/" + fileName)
    let signature = SignedManifest.signatureFile(key.signature(for: bytes))
    try PrivateOutputFile.write(String(decoding: signature, as: UTF8.self), to: directory + "/" + signatureName)
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
      throw ExamError(
        .notFound, file: directory, "no such export folder", fix: "give the folder `exam records export --out` wrote")
    }
    let manifestPath = directory + "/" + fileName
    guard let manifest = try? InputFile.bytes(manifestPath) else {
      throw ExamError(
        .integrity, file: manifestPath, "the manifest is missing",
        fix: "the export is incomplete or was tampered with: export it again")
    }
    guard let signatureFile = try? InputFile.bytes(directory + "/" + signatureName),
      let signature = SignedManifest.signature(inFile: signatureFile, acceptingBareBase64: true)
    else {
      throw ExamError(
        .integrity, file: directory + "/" + signatureName, "the signature is missing or not base64",
        fix: "the export is incomplete or was tampered with: export it again")
    }
    guard publicKey.isValidSignature(signature, for: manifest) else {
      throw ExamError(
        .integrity, file: manifestPath,
        "the signature does not match: MANIFEST.json was altered, or signed with another key than \(publicKey.fingerprint)",
        fix: "ask the exam office for the public key of the key that signed this export, or export it again")
    }
    let contents: Contents
    do {
      contents = try JSONDecoder().decode(Contents.self, from: Data(manifest))
      guard contents.format == format || contents.format == legacyFormat else {
        throw ExamError(
          .unsupportedFormat, file: manifestPath, "manifest format '\(contents.format)' is not supported",
          fix: "verify it with the version of `exam` that exported it")
      }
    } catch let error as ExamError {
      throw error
    } catch {
      throw ExamError(.corrupt, file: manifestPath, "is signed but not a records manifest", underlying: "\(error)")
    }
    var problems: [ExamError] = []
    var listed: Set<String> = []
    for file in contents.files {
      listed.insert(file.path)
      let path = directory + "/" + file.path
      guard !file.path.split(separator: "/").contains(".."), !file.path.hasPrefix("/") else {
        problems.append(
          ExamError(.integrity, file: manifestPath, location: file.path, "names a file outside the export"))
        continue
      }
      // lstat, not stat: a listed file swapped for a link (to a file with the same bytes, or anywhere) or for a
      // folder is a change, and is reported without being followed or read.
      let kind = FileSystem.kind(path)
      guard kind == .file else {
        problems.append(
          ExamError(
            .integrity, file: path,
            kind == .missing
              ? "is missing (listed in MANIFEST.json)" : "is \(kind.noun) where MANIFEST.json lists a file",
            fix: "restore the file from the original export"))
        continue
      }
      let digest = try Digest.sha256(fileAtPath: path)
      if digest != file.sha256 || FileSystem.size(path) != file.size {
        problems.append(
          ExamError(
            .integrity, file: path,
            "was altered: its SHA-256 is \(digest.prefix(16))…, the manifest says \(file.sha256.prefix(16))…",
            fix: "restore the file from the original export"))
      }
    }
    // Folders that hold a listed file belong to the export; anything else found (a file, an empty folder, a
    // link, a pipe) was added.
    var folders: Set<String> = []
    for path in listed {
      var parts = path.split(separator: "/").dropLast()
      while !parts.isEmpty {
        folders.insert(parts.joined(separator: "/"))
        parts = parts.dropLast()
      }
    }
    for (relative, kind) in try listEntries(directory) {
      if kind == .file ? listed.contains(relative) : (kind == .directory && folders.contains(relative)) { continue }
      if kind != .file && listed.contains(relative) { continue }  // reported above
      problems.append(
        ExamError(
          .integrity, file: directory + "/" + relative,
          kind == .file ? "was added after the export was signed" : "is \(kind.noun) added after the export was signed",
          fix: "remove it, or export again"))
    }
    if problems.count == 1 { throw problems[0] }
    if !problems.isEmpty { throw ExamErrors(problems) }
    return Verification(
      directory: directory, files: contents.files.count, fingerprint: contents.signer.fingerprint,
      createdAt: contents.createdAt)
  }

  /// Every regular file under `directory`, relative, sorted, without the manifest and its signature.
  static func listFiles(_ directory: String) throws -> [String] {
    try listEntries(directory).filter { $0.kind == .file }.map(\.path)
  }

  /// Everything under `directory` (files, folders, links, …) with its kind, relative, sorted, without the
  /// manifest and its signature. Links are listed, never followed.
  static func listEntries(_ directory: String) throws -> [(path: String, kind: FileSystem.Kind)] {
    var out: [(path: String, kind: FileSystem.Kind)] = []
    func walk(_ relative: String) throws {
      let full = relative.isEmpty ? directory : directory + "/" + relative
      let names: [String]
      do { names = try FileManager.default.contentsOfDirectory(atPath: full) } catch {
        throw ExamError(.io, file: full, "cannot list the folder", underlying: "\(error)")
      }
      for name in names {
        let path = relative.isEmpty ? name : relative + "/" + name
        if path == fileName || path == signatureName { continue }
        let kind = FileSystem.kind(directory + "/" + path)
        out.append((path, kind))
        if kind == .directory { try walk(path) }
      }
    }
    try walk("")
    return out.sorted { $0.path < $1.path }
  }
}
