import ExamCore
import Foundation
import Signing
import ZIPFoundation

/// What `exam pack build` made.
public struct PackBuildResult: Sendable, Codable, Equatable {
  public var output: String
  public var examId: String
  /// SHA-256 of the pack file (the exam's `packSha256` once imported).
  public var sha256: String
  /// Bytes of the pack file.
  public var size: Int
  /// Content files packed (manifest and signature not counted).
  public var fileCount: Int
  public var encrypted: Bool
  /// Fingerprint of the signing key, when signed.
  public var signer: String?
}

/// Builds `.exampack` files: a zip of the validated pack folder with a manifest, a signature and optional
/// encryption, byte-for-byte reproducible (fixed entry dates, permissions and order; deterministic nonces).
public enum PackBuilder {
  /// The modification date of every entry: 1980-01-01 00:00:00 UTC, the first date a zip can hold.
  static let entryDate = Date(timeIntervalSince1970: 315_532_800)
  // Every entry is stored, not deflated: the few text files are small beside the audio, and deflate's final
  // byte can carry padding bits that change no decompressed byte, which the CRC and SHA-256 would then miss.

  /// Validates `directory` and writes the pack to `output` atomically (temporary file, fsync, rename).
  /// - Parameters:
  ///   - signingKey: signs the manifest; its public key and fingerprint go into the manifest.
  ///   - contentKey: encrypts every content file with AES-256-GCM; the key itself is never packed.
  /// - Throws: `ExamErrors` for an invalid source, `ExamError` for I/O failures.
  public static func build(
    directory: String, output: String, signingKey: SigningKey? = nil,
    contentKey: ContentKey? = nil
  ) throws -> PackBuildResult {
    let folder = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
    let target = URL(fileURLWithPath: output).standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath()
      .path
    if target == folder || target.hasPrefix(folder + "/") {
      throw ExamError(
        .usage, file: output, "the pack would be written inside the folder it packs",
        fix: "write it elsewhere, e.g. -o \(URL(fileURLWithPath: folder).lastPathComponent).exampack beside the folder")
    }
    let pack = try PackValidator.validate(directory: directory)
    var manifest = PackManifest(
      format: PackManifest.formatName, examId: pack.source.examId, title: pack.source.title,
      files: [], encryption: nil, signer: nil)
    var contents: [(entry: String, bytes: [UInt8])] = []
    for path in pack.files {
      let plain = try InputFile.bytes(directory + "/" + path)
      // Encrypted: a keyed digest, so the clear manifest lets nobody confirm a guessed file.
      let sha = contentKey?.digest(plain) ?? Digest.sha256(bytes: plain)
      var file = PackManifest.File(path: path, size: plain.count, sha256: sha, stored: nil)
      if let contentKey {
        let sealed = contentKey.seal(plain, nonceSeed: PackManifest.nonceSeed(path: path, digest: sha))
        file.stored = PackManifest.Stored(
          path: path + ".sealed", size: sealed.count, sha256: Digest.sha256(bytes: sealed))
        contents.append((file.entryPath, sealed))
      } else {
        contents.append((path, plain))
      }
      manifest.files.append(file)
    }
    if let contentKey {
      let check = contentKey.seal(PackManifest.keyCheckBlock, nonceSeed: PackManifest.keyCheckSeed)
      manifest.encryption = PackManifest.Encryption(
        algorithm: "AES-256-GCM", nonce: PackManifest.nonceRule,
        keyCheck: Digest.sha256(bytes: check), digest: PackManifest.digestRule)
    }
    if let signingKey {
      manifest.signer = SignedManifest.Signer(signingKey.publicKey)
    }
    let manifestBytes = manifest.encoded()
    var entries: [(entry: String, bytes: [UInt8])] = [(PackManifest.fileName, manifestBytes)]
    if let signingKey {
      entries.append(
        (PackManifest.signatureFileName, SignedManifest.signatureFile(signingKey.signature(for: manifestBytes))))
    }
    entries += contents.sorted { $0.entry.utf8.lexicographicallyPrecedes($1.entry.utf8) }

    try AtomicFile.makeDirectories(AtomicFile.parentOf(output))
    let temporary = output + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    do {
      try writeZip(entries, to: temporary)
      try PackFiles.fsyncFile(temporary)
      try AtomicFile.commit(temporary: temporary, to: output)
    } catch {
      unlink(temporary)
      throw error
    }
    return PackBuildResult(
      output: output, examId: manifest.examId, sha256: try Digest.sha256(fileAtPath: output),
      size: FileSystem.size(output) ?? 0, fileCount: manifest.files.count, encrypted: contentKey != nil,
      signer: manifest.signer?.fingerprint)
  }

  /// Writes the entries in the given order, each stored, with the fixed date and mode 0644.
  private static func writeZip(_ entries: [(entry: String, bytes: [UInt8])], to path: String) throws {
    do {
      let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
      for (name, bytes) in entries {
        try archive.addEntry(
          with: name, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: entryDate,
          permissions: 0o644, compressionMethod: .none
        ) { position, size in
          let start = Int(position)
          return Data(bytes[start..<min(bytes.count, start + size)])
        }
      }
    } catch let error as ExamError {
      throw error
    } catch {
      throw ExamError(
        .io, file: path, "cannot write the pack", fix: "check free space and permissions",
        underlying: "\(error)")
    }
  }
}
