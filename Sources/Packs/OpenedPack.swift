import ExamCore
import Foundation
import Signing

/// A built pack verified, extracted to a private temporary folder and validated again from its own `pack.yaml`:
/// what `inspect` summarises and `import` registers. Call `close()` to delete the folder.
public struct OpenedPack: Sendable {
  public let verification: PackVerification
  /// The extracted pack, validated (its `directory` is the temporary folder).
  public let pack: ValidatedPack

  /// The exam (reference audio not yet in the content store).
  public var definition: ExamDefinition { pack.examDefinition(packSha256: verification.packSha256) }

  /// Verifies and opens `path`: nothing is extracted unless the signer is trusted and every file is intact.
  /// - Parameter scratchRoot: where the private (0700) folder of extracted files is made (default: the system's
  ///   temporary directory); stale folders of killed commands there are swept first (`PackScratch`).
  /// - Throws: `ExamErrors` from verification or from validating the packed `pack.yaml`.
  public static func open(
    _ path: String, trust: PackTrust, contentKey: ContentKey? = nil,
    scratchRoot: String? = nil, limits: PackLimits = .standard
  ) throws(ExamErrors) -> OpenedPack {
    let directory: String
    do {
      directory = try PackScratch.make(under: scratchRoot ?? PackFiles.systemTemporaryDirectory)
    } catch {
      throw ExamErrors([error])
    }
    do {
      let verification = try PackVerifier.verify(
        pack: path, trust: trust, contentKey: contentKey,
        extractTo: directory, limits: limits)
      let pack = try PackValidator.validate(directory: directory, displayDirectory: path)
      return OpenedPack(verification: verification, pack: pack)
    } catch {
      PackScratch.remove(directory)
      throw error
    }
  }

  /// Deletes the extracted files.
  public func close() { PackScratch.remove(pack.directory) }
}
