import ExamCore
import Foundation
import Signing

/// Checks a built pack against its manifest and signature, naming every changed, added or missing file.
public enum PackVerifier {
  /// Verifies `pack`, and writes the plain content files under `extractTo` when given.
  /// - Parameters:
  ///   - trustedKey: the exam office's public key; the pack must be signed by it.
  ///   - contentKey: decrypts an encrypted pack so its plain contents are checked (and can be extracted).
  ///   - extractTo: an existing empty folder to receive the plain files (needs `contentKey` when encrypted).
  /// - Throws: `ExamErrors` listing every problem; each names the pack file and the entry (`audio/LA3.flac`).
  public static func verify(pack: String, trustedKey: VerifyingKey? = nil, contentKey: ContentKey? = nil,
    extractTo: String? = nil, limits: PackLimits = .standard) throws(ExamErrors) -> PackVerification
  {
    let archive = try SafeArchive(path: pack, limits: limits)
    var errors: [ExamError] = []
    func fail(_ location: String?, _ message: String, _ fix: String) {
      errors.append(ExamError(.integrity, file: pack, location: location, message, fix: fix))
    }
    let refetch = "the pack was changed after it was built: get a fresh copy from the exam office"
    guard archive.contains(PackManifest.fileName) else {
      throw ExamErrors([ExamError(.integrity, file: pack, location: PackManifest.fileName, "the pack has no manifest.json",
        fix: "this is not a pack built by `exam pack build`, or it was altered: get a fresh copy")])
    }
    if let size = archive.size(of: PackManifest.fileName), size > PackManifest.maxBytes {
      throw ExamErrors([ExamError(.integrity, file: pack, location: PackManifest.fileName,
        "manifest.json is \(size) bytes, more than \(PackManifest.maxBytes)", fix: refetch)])
    }
    let manifestBytes: [UInt8]
    let manifest: PackManifest
    do {
      manifestBytes = try archive.read(PackManifest.fileName)
      manifest = try PackManifest.decode(manifestBytes, pack: pack)
    } catch {
      throw ExamErrors([error])
    }

    // Signature: over the manifest's exact bytes, which pin every file's hash.
    let hasSignature = archive.contains(PackManifest.signatureFileName)
    var signerTrusted = false
    if let signer = manifest.signer {
      if !hasSignature {
        fail(PackManifest.signatureFileName, "the manifest names a signer but manifest.sig is missing", refetch)
      } else if let key = VerifyingKey(base64: signer.publicKey) {
        let signature = (try? archive.read(PackManifest.signatureFileName)).flatMap { SignedManifest.signature(inFile: $0) }
        if let signature, key.isValidSignature(signature, for: manifestBytes) {
          if let trustedKey {
            if trustedKey.base64 == key.base64 {
              signerTrusted = true
            } else {
              fail(PackManifest.fileName, "signed by key \(key.fingerprint), not by the trusted key \(trustedKey.fingerprint)",
                "use the public key of the office that built this pack, or refuse the pack")
            }
          }
        } else {
          fail(PackManifest.fileName, "the signature does not match: manifest.json or manifest.sig was altered", refetch)
        }
      } else {
        fail(PackManifest.fileName, "the signer's public key in the manifest is not a valid Ed25519 key", refetch)
      }
    } else if hasSignature {
      fail(PackManifest.signatureFileName, "manifest.sig is present but the manifest names no signer", refetch)
    } else if let trustedKey {
      fail(PackManifest.fileName, "the pack is not signed, but --pubkey \(trustedKey.fingerprint) requires a signature",
        "ask the exam office for a pack built with `exam pack build --sign`")
    }

    // Every entry is either the manifest, its signature or a listed file; every listed file is present.
    var expected: Set<String> = [PackManifest.fileName]
    if hasSignature { expected.insert(PackManifest.signatureFileName) }
    var seenPaths: Set<String> = []
    for file in manifest.files {
      if !PackFiles.isContained(file.path) || !PackFiles.isContained(file.entryPath) || !seenPaths.insert(file.path).inserted
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
    if manifest.encryption != nil, manifest.files.contains(where: { $0.stored == nil }) {
      fail(PackManifest.fileName, "the pack is marked encrypted but lists files stored in the clear", refetch)
    }

    // Content key: the key check tells a wrong key from damaged files.
    var key: ContentKey?
    if let contentKey {
      if let encryption = manifest.encryption {
        let check = contentKey.seal(PackManifest.keyCheckBlock, nonceSeed: PackManifest.keyCheckSeed)
        if Digest.sha256(bytes: check) == encryption.keyCheck {
          key = contentKey
        } else {
          fail(nil, "the content key does not belong to this pack", "pass the .key file written when this pack was built")
        }
      }
    }
    if extractTo != nil, manifest.encryption != nil, contentKey == nil {
      errors.append(ExamError(.usage, file: pack, "the pack is encrypted", fix: "pass its content key with --key FILE.key"))
    }

    var contentBytes = 0
    for file in manifest.files where archive.contains(file.entryPath) && PackFiles.isContained(file.path) {
      do {
        let stored = try archive.read(file.entryPath)
        let expectedSize = file.stored?.size ?? file.size
        let expectedSha = file.stored?.sha256 ?? file.sha256
        let actualSha = Digest.sha256(bytes: stored)
        guard stored.count == expectedSize, actualSha == expectedSha else {
          fail(file.entryPath, "content differs from the manifest (\(stored.count) bytes, sha256 \(actualSha.prefix(12))…; expected \(expectedSize) bytes, \(expectedSha.prefix(12))…)", refetch)
          continue
        }
        var plain = stored
        if file.stored != nil {
          guard let key else { continue }
          plain = try key.open(stored, source: pack)
          guard plain.count == file.size, Digest.sha256(bytes: plain) == file.sha256 else {
            fail(file.path, "decrypted content differs from the manifest", refetch)
            continue
          }
        }
        contentBytes += plain.count
        if let extractTo {
          let target = extractTo + "/" + file.path
          try AtomicFile.makeDirectories(AtomicFile.parentOf(target))
          try PackFiles.writeScratch(plain, to: target)
        }
      } catch let error as ExamError {
        var located = error
        if located.location == nil { located.location = file.entryPath }
        errors.append(located)
      } catch {
        fail(file.entryPath, "\(error)", refetch)
      }
    }
    // Contents are intact: now any other changed byte must be in the zip's bookkeeping.
    if errors.isEmpty { errors += ZipLayout.problems(path: pack) }
    guard errors.isEmpty else { throw ExamErrors(errors) }
    let sha: String
    do { sha = try Digest.sha256(fileAtPath: pack) } catch { throw ExamErrors([error]) }
    if manifest.encryption == nil || key != nil {
      contentBytes = manifest.files.reduce(0) { $0 + $1.size }
    }
    return PackVerification(pack: pack, packSha256: sha, examId: manifest.examId, title: manifest.title,
      fileCount: manifest.files.count, contentBytes: contentBytes, signer: manifest.signer?.fingerprint,
      signerTrusted: signerTrusted, encrypted: manifest.encryption != nil, decrypted: key != nil)
  }
}
