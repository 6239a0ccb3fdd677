import AudioIO
import Foundation
import Pronunciation
import _ExamTestSupport

/// Audio made at test time: espeak-ng readings, silence, noise; and the shared scorer.
enum SpeechFixtures {
  /// The installed model and espeak-ng; tests that need them skip (and say so) when either is missing.
  static let isAvailable: Bool = {
    let model = (try? AcousticModel.locate()) != nil
    let espeak = LetterToSound().isAvailable
    if !model || !espeak {
      print("note: pocketsphinx-en-us or espeak-ng is not installed (run Tools/bootstrap); alignment tests are skipped")
    }
    return model && espeak
  }()

  /// CMUdict plus speechocean762's lexicon when ../shared has it.
  static let scorer: PronunciationScorer? = {
    let extra = SharedData.path("speechocean762/lexicon.txt")
    return try? PronunciationScorer.standard(
      extraLexicons: FileManager.default.fileExists(atPath: extra) ? [extra] : [])
  }()

  static func temporaryPath(_ name: String) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pron-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
  }

  /// espeak-ng reading `text` (US English, 140 words per minute) as a WAV file (22.05 kHz).
  ///
  /// Tests running at once ask for the same sentences: espeak-ng writes a file of its own, which is then renamed
  /// over the shared name, so a test never reads a reading another test is still writing (a truncated file, which
  /// once failed an alignment in CI).
  static func reading(_ text: String, wordsPerMinute: Int = 140) throws -> String {
    let path = temporaryPath("espeak-\(wordsPerMinute)-\(abs(text.hashValue)).wav")
    let partial = path + ".\(UUID().uuidString).partial"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: LetterToSound().executable)
    process.arguments = ["-v", "en-us", "-s", String(wordsPerMinute), "-w", partial, text]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0, rename(partial, path) == 0 else {
      try? FileManager.default.removeItem(atPath: partial)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    return path
  }

  /// A 16 kHz file of `samples`.
  static func file(_ samples: [Float], sampleRate: Int = 16_000, name: String) throws -> String {
    let path = temporaryPath(name)
    try writeMono(samples, sampleRate: sampleRate, to: path, encoding: .wav16)
    return path
  }
}
