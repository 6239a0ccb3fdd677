import ExamCore
import Foundation

extension SpeechEncoderModel {
  /// The encoder model file ExamKit uses: `EXAM_SPEECH_ENCODER` when set, else
  /// `ExamPacks/models/moonshine-base-encoder.bin` in the working directory or above the executable's (the
  /// repository's, for a built `exam`). Loaded once per process and path.
  /// - Throws: `ExamError` `.notFound` naming where it looked, `.invalidInput` for a file that is not a model.
  public static func locate() throws(ExamError) -> SpeechEncoderModel {
    let path = try locatePath()
    return try LoadedEncoders.shared.model(at: path)
  }

  static func locatePath() throws(ExamError) -> String {
    if let path = ProcessInfo.processInfo.environment["EXAM_SPEECH_ENCODER"], !path.isEmpty { return path }
    var candidates = [FileManager.default.currentDirectoryPath + "/" + defaultPath]
    // The executable's own path (/proc/self/exe on Linux), not argv[0], which is a bare name when run from PATH.
    let executable = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "."
    var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      candidates.append(folder.appendingPathComponent(defaultPath).path)
      folder.deleteLastPathComponent()
    }
    if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
    throw ExamError(
      .notFound, file: defaultPath,
      "the speech encoder model is not in the working directory nor above the executable",
      fix: "run exam from the ExamKit folder, or set EXAM_SPEECH_ENCODER to the path of moonshine-base-encoder.bin")
  }
}

/// Encoder models loaded so far in this process, by path: 80 MB each, read once.
private final class LoadedEncoders: @unchecked Sendable {
  static let shared = LoadedEncoders()
  private let lock = NSLock()
  private var models: [String: SpeechEncoderModel] = [:]

  func model(at path: String) throws(ExamError) -> SpeechEncoderModel {
    lock.lock()
    defer { lock.unlock() }
    if let model = models[path] { return model }
    let model = try SpeechEncoderModel(path: path)
    models[path] = model
    return model
  }
}
