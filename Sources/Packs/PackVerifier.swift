import ExamCore
import Foundation
import Signing

/// Checks a built pack against its manifest and signature, naming every changed, added or missing file.
///
/// Order (nothing is extracted or decrypted until everything that can be checked has been): the zip's entry
/// table (`SafeArchive`), the manifest, the signature and the signer's trust (`PackTrust`), the entry list, the
/// content key, every stored entry's size and SHA-256, the zip's bookkeeping; only then are encrypted files
/// decrypted and files written under `extractTo`.
public enum PackVerifier {
  /// Verifies `pack`, and writes the plain content files under `extractTo` when given.
  /// - Parameters:
  ///   - trust: which signers are accepted (`PackTrust`); an unsigned or untrusted pack is refused unless it allows them.
  ///   - contentKey: decrypts an encrypted pack so its plain contents are checked (and can be extracted).
  ///   - extractTo: an existing empty folder to receive the plain files (needs `contentKey` when encrypted).
  /// - Throws: `ExamErrors` listing every problem; each names the pack file and the entry (`audio/LA3.flac`).
  public static func verify(
    pack: String, trust: PackTrust, contentKey: ContentKey? = nil,
    extractTo: String? = nil, limits: PackLimits = .standard
  ) throws(ExamErrors) -> PackVerification {
    let archive = try SafeArchive(path: pack, limits: limits)
    var errors: [ExamError] = []
    func fail(_ location: String?, _ message: String, _ fix: String) {
      errors.append(ExamError(.integrity, file: pack, location: location, message, fix: fix))
    }
    let refetch = "the pack was changed after it was built: get a fresh copy from the exam office"
    var packSha256: String?
    if let pinned = trust.pinnedSha256 {
      do { packSha256 = try Digest.sha256(fileAtPath: pack) } catch { throw ExamErrors([error]) }
      if packSha256 != pinned {
        throw ExamErrors([
          ExamError(
            .integrity, file: pack, "the stored pack's SHA-256 is not the one recorded at import",
            fix: "the content store was altered: import the pack again from the exam office's copy")
        ])
      }
    }
    let (manifestBytes, manifest) = try readManifest(archive, pack: pack)

    // Signature and trust first: an untrusted pack is refused before any of its files is read.
    let signerTrusted = checkSignature(
      archive, manifest: manifest, manifestBytes: manifestBytes, trust: trust,
      pack: pack, fail: fail)
    guard errors.isEmpty else { throw ExamErrors(errors) }

    // Every entry is either the manifest, its signature or a listed file; every listed file is present.
    var expected: Set<String> = [PackManifest.fileName]
    if archive.contains(PackManifest.signatureFileName) { expected.insert(PackManifest.signatureFileName) }
    var seenPaths: Set<String> = []
    for file in manifest.files {
      if !PackFiles.isContained(file.path) || !PackFiles.isContained(file.entryPath)
        || !seenPaths.insert(file.path).inserted
        || file.path == PackManifest.fileName || file.path == PackManifest.signatureFileName
      {
        fail(PackManifest.fileName, "the manifest lists an unsafe or repeated path '\(file.path)'", refetch)
        continue
      }
      expected.insert(file.entryPath)
      if !archive.contains(file.entryPath) {
        fail(file.entryPath, "is listed in the manifest but missing from the pack", refetch)
      }
    }
    for name in archive.names where !expected.contains(name) {
      fail(name, "was added to the pack: it is not listed in the manifest", refetch)
    }
    if let encryption = manifest.encryption {
      if manifest.files.contains(where: { $0.stored == nil }) {
        fail(PackManifest.fileName, "the pack is marked encrypted but lists files stored in the clear", refetch)
      }
      if encryption.digest != PackManifest.digestRule {
        errors.append(
          ExamError(
            .unsupportedFormat, file: pack, location: PackManifest.fileName,
            "the pack was built by an older `exam pack build` whose clear manifest lists each plain file's SHA-256 "
              + "(anyone holding the pack could confirm a guessed answer key)",
            fix: "rebuild it with this version: `exam pack build DIR -o FILE --sign KEY --reuse-key FILE.key`"))
      }
    }
    guard errors.isEmpty else { throw ExamErrors(errors) }

    // Content key: the key check tells a wrong key from damaged files.
    var key: ContentKey?
    if let contentKey, let encryption = manifest.encryption {
      let check = contentKey.seal(PackManifest.keyCheckBlock, nonceSeed: PackManifest.keyCheckSeed)
      if Digest.sha256(bytes: check) == encryption.keyCheck {
        key = contentKey
      } else {
        fail(nil, "the content key does not belong to this pack", "pass the .key file written when this pack was built")
      }
    }
    if extractTo != nil, manifest.encryption != nil, contentKey == nil {
      errors.append(
        ExamError(.usage, file: pack, "the pack is encrypted", fix: "pass its content key with --key FILE.key"))
    }
    guard errors.isEmpty else { throw ExamErrors(errors) }

    // Every stored entry against the manifest, then the zip's own bookkeeping — all before extracting a byte.
    let contents = PackContents(archive: archive, manifest: manifest, pack: pack)
    errors += contents.checkStored()
    if errors.isEmpty { errors += ZipLayout.problems(path: pack) }
    guard errors.isEmpty else { throw ExamErrors(errors) }
    var contentBytes = manifest.files.reduce(0) { $0 + ($1.stored == nil ? $1.size : 0) }
    if key != nil || extractTo != nil {
      errors += contents.open(key: key, extractTo: extractTo)
      guard errors.isEmpty else { throw ExamErrors(errors) }
    }
    if manifest.encryption == nil || key != nil {
      contentBytes = manifest.files.reduce(0) { $0 + $1.size }
    }
    let sha: String
    if let packSha256 {
      sha = packSha256
    } else {
      do { sha = try Digest.sha256(fileAtPath: pack) } catch { throw ExamErrors([error]) }
    }
    return PackVerification(
      pack: pack, packSha256: sha, examId: manifest.examId, title: manifest.title,
      fileCount: manifest.files.count, contentBytes: contentBytes, signer: manifest.signer?.fingerprint,
      signerTrusted: signerTrusted, encrypted: manifest.encryption != nil, decrypted: key != nil)
  }

  /// The manifest's exact bytes (what the signature covers) and its decoded form.
  private static func readManifest(_ archive: SafeArchive, pack: String) throws(ExamErrors) -> ([UInt8], PackManifest) {
    guard archive.contains(PackManifest.fileName) else {
      throw ExamErrors([
        ExamError(
          .integrity, file: pack, location: PackManifest.fileName, "the pack has no manifest.json",
          fix: "this is not a pack built by `exam pack build`, or it was altered: get a fresh copy")
      ])
    }
    if let size = archive.size(of: PackManifest.fileName), size > PackManifest.maxBytes {
      throw ExamErrors([
        ExamError(
          .integrity, file: pack, location: PackManifest.fileName,
          "manifest.json is \(size) bytes, more than \(PackManifest.maxBytes)",
          fix: "the pack was changed after it was built: get a fresh copy from the exam office")
      ])
    }
    do {
      let bytes = try archive.read(PackManifest.fileName)
      return (bytes, try PackManifest.decode(bytes, pack: pack))
    } catch {
      throw ExamErrors([error])
    }
  }

  /// Checks manifest.sig against the signer the manifest names, and that signer against `trust`.
  /// - Returns: whether the signer is one of the trusted keys.
  private static func checkSignature(
    _ archive: SafeArchive, manifest: PackManifest, manifestBytes: [UInt8],
    trust: PackTrust, pack: String, fail: (String?, String, String) -> Void
  ) -> Bool {
    let refetch = "the pack was changed after it was built: get a fresh copy from the exam office"
    let hasSignature = archive.contains(PackManifest.signatureFileName)
    guard let signer = manifest.signer else {
      if hasSignature {
        fail(PackManifest.signatureFileName, "manifest.sig is present but the manifest names no signer", refetch)
      } else if !trust.allowUnsigned && trust.pinnedSha256 == nil {
        fail(
          PackManifest.fileName, "the pack is not signed, so nothing shows that the exam office made it",
          "ask the exam office for a pack built with `exam pack build --sign`; for a draft you built yourself, "
            + "pass --allow-unsigned")
      }
      return false
    }
    guard hasSignature else {
      fail(PackManifest.signatureFileName, "the manifest names a signer but manifest.sig is missing", refetch)
      return false
    }
    guard let key = VerifyingKey(base64: signer.publicKey) else {
      fail(PackManifest.fileName, "the signer's public key in the manifest is not a valid Ed25519 key", refetch)
      return false
    }
    let signature = (try? archive.read(PackManifest.signatureFileName)).flatMap { SignedManifest.signature(inFile: $0) }
    guard let signature, key.isValidSignature(signature, for: manifestBytes) else {
      fail(PackManifest.fileName, "the signature does not match: manifest.json or manifest.sig was altered", refetch)
      return false
    }
    if trust.trusts(key) { return true }
    if !trust.allowUnsigned && trust.pinnedSha256 == nil {
      let known = trust.keys.map(\.fingerprint).joined(separator: ", ")
      fail(
        PackManifest.fileName,
        "signed by key \(key.fingerprint), which is not trusted"
          + (known.isEmpty ? " (no signing key is trusted here)" : " (trusted: \(known))"),
        trust.howToTrust)
    }
    return false
  }
}
