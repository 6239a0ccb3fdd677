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

  /// Verifies and opens `path`.
  /// - Throws: `ExamErrors` from verification or from validating the packed `pack.yaml`.
  public static func open(_ path: String, trustedKey: VerifyingKey? = nil, contentKey: ContentKey? = nil,
    limits: PackLimits = .standard) throws(ExamErrors) -> OpenedPack
  {
    let directory: String
    do { directory = try PackFiles.makeTemporaryDirectory("examkit-pack") } catch { throw ExamErrors([error]) }
    do {
      let verification = try PackVerifier.verify(pack: path, trustedKey: trustedKey, contentKey: contentKey,
        extractTo: directory, limits: limits)
      let pack = try PackValidator.validate(directory: directory, displayDirectory: path)
      return OpenedPack(verification: verification, pack: pack)
    } catch {
      try? FileManager.default.removeItem(atPath: directory)
      throw error
    }
  }

  /// Deletes the extracted files.
  public func close() { try? FileManager.default.removeItem(atPath: pack.directory) }
}
