import ExamCore
import Signing

/// The content files of a pack whose manifest is trusted: first every stored entry is checked against the
/// manifest (`checkStored`), and only when all are intact are they decrypted and written out (`open`).
struct PackContents {
  let archive: SafeArchive
  let manifest: PackManifest
  let pack: String

  private static let refetch = "the pack was changed after it was built: get a fresh copy from the exam office"

  /// Checks each listed entry's stored bytes (ciphertext when encrypted) against its size and SHA-256; reads
  /// one entry at a time and writes nothing.
  func checkStored() -> [ExamError] {
    var errors: [ExamError] = []
    for file in manifest.files {
      do {
        _ = try storedBytes(file)
      } catch {
        errors.append(error)
      }
    }
    return errors
  }

  /// Decrypts (with `key`) and checks each file's plain digest, writing it under `extractTo` when given. The
  /// stored bytes are checked again as they are read, so a file swapped since `checkStored` is caught.
  func open(key: ContentKey?, extractTo: String?) -> [ExamError] {
    var errors: [ExamError] = []
    for file in manifest.files {
      do {
        var plain = try storedBytes(file)
        if file.stored != nil {
          guard let key else { continue }
          plain = try key.open(plain, source: pack)
          guard plain.count == file.size, key.digest(plain) == file.sha256 else {
            errors.append(
              ExamError(
                .integrity, file: pack, location: file.path, "decrypted content differs from the manifest",
                fix: Self.refetch))
            continue
          }
        }
        if let extractTo {
          let target = extractTo + "/" + file.path
          try AtomicFile.makeDirectories(AtomicFile.parentOf(target))
          try PackFiles.writeScratch(plain, to: target)
        }
      } catch {
        var located = error
        if located.location == nil { located.location = file.entryPath }
        errors.append(located)
      }
    }
    return errors
  }

  /// The entry's stored bytes, checked against the manifest.
  private func storedBytes(_ file: PackManifest.File) throws(ExamError) -> [UInt8] {
    let stored = try archive.read(file.entryPath)
    let expectedSize = file.stored?.size ?? file.size
    let expectedSha = file.stored?.sha256 ?? file.sha256
    let actualSha = Digest.sha256(bytes: stored)
    guard stored.count == expectedSize, actualSha == expectedSha else {
      throw ExamError(
        .integrity, file: pack, location: file.entryPath,
        "content differs from the manifest (\(stored.count) bytes, sha256 \(actualSha.prefix(12))…; "
          + "expected \(expectedSize) bytes, \(expectedSha.prefix(12))…)", fix: Self.refetch)
    }
    return stored
  }
}
