import ExamCore
import Foundation

/// Where pocketsphinx's US English model lives: the HMM folder (PTM, 5,126 senones) and its CMUdict.
///
/// Debian 12's `pocketsphinx-en-us` installs it in `/usr/share/pocketsphinx/model/en-us`;
/// `$EXAMKIT_POCKETSPHINX_MODEL` points elsewhere (a folder with the same layout).
public struct AcousticModel: Sendable, Equatable {
  /// The acoustic model folder (`mdef`, `means`, `sendump`, …).
  public var hmmDirectory: String
  /// The pronunciation dictionary shipped beside it (CMUdict, ARPAbet with stress digits).
  public var dictionaryPath: String

  public init(hmmDirectory: String, dictionaryPath: String) {
    self.hmmDirectory = hmmDirectory
    self.dictionaryPath = dictionaryPath
  }

  /// The default folder: `$EXAMKIT_POCKETSPHINX_MODEL`, else Debian's `/usr/share/pocketsphinx/model/en-us`.
  public static var defaultFolder: String {
    ProcessInfo.processInfo.environment["EXAMKIT_POCKETSPHINX_MODEL"] ?? "/usr/share/pocketsphinx/model/en-us"
  }

  /// Finds the model in `folder` (`en-us/` + `cmudict-en-us.dict`).
  /// - Throws: `ExamError.notFound` naming the missing file and the package that installs it.
  public static func locate(in folder: String = defaultFolder) throws(ExamError) -> AcousticModel {
    let model = AcousticModel(hmmDirectory: folder + "/en-us", dictionaryPath: folder + "/cmudict-en-us.dict")
    for path in [model.hmmDirectory + "/mdef", model.dictionaryPath]
    where !FileManager.default.fileExists(atPath: path) {
      throw ExamError(
        .notFound, file: path, "the English acoustic model is not installed",
        fix:
          "run Tools/bootstrap (apt-get install pocketsphinx-en-us libpocketsphinx-dev) or set EXAMKIT_POCKETSPHINX_MODEL"
      )
    }
    return model
  }
}
