import AudioIO
import Foundation
import _ExamTestSupport

@testable import Packs

/// A small valid pack folder written into a temporary directory: one listening section (one choice item with a
/// 2 s prompt played twice) and one speaking section (a read-aloud sentence and a picture talk), two forms.
struct PackFixture {
  static let yaml = """
    format: examkit-pack/1
    exam:
      id: T-1
      title: Test paper
      total_points: 3
      part_points: {listening: 1, speaking: 2}
      forms:
        - id: A
        - id: B
          item_order: {SP: [SB1, SA1]}
    sections:
      - id: LA
        title: Listening
        part: listening
        points: 1
        time_limit_seconds: 30
        items:
          - id: LA1
            type: choice
            points: 1
            prompt_audio: audio/LA1.flac
            plays: 2
            question: Where is Tom?
            options: {A: Here., B: There.}
            answer: B
            max_answer_seconds: 8
      - id: SP
        title: Speaking
        part: speaking
        points: 2
        time_limit_seconds: 60
        items:
          - id: SA1
            type: read-sentence
            points: 1
            reference_text: We call it bear.
            reference_audio: audio/SA1.flac
            preparation_seconds: 5
            min_answer_seconds: 1
            max_answer_seconds: 10
            rubric:
              criteria:
                - {name: pronunciation, points: 0.5}
                - {name: fluency, points: 0.5}
              tolerance: 0.5
          - id: SB1
            type: picture-talk
            points: 1
            picture: pictures/p.svg
            min_answer_seconds: 2
            max_answer_seconds: 20
            rubric: {criteria: [{name: content, points: 1}], tolerance: 0.5}

    """

  let directory: TemporaryDirectory
  var path: String { directory.path + "/pack" }

  /// Writes the pack, with `yaml` replacing the standard text when given.
  init(yaml: String = PackFixture.yaml) throws {
    directory = TemporaryDirectory("packs-test")
    let fm = FileManager.default
    try fm.createDirectory(atPath: path + "/audio", withIntermediateDirectories: true)
    try fm.createDirectory(atPath: path + "/pictures", withIntermediateDirectories: true)
    try yaml.write(toFile: path + "/pack.yaml", atomically: true, encoding: .utf8)
    try writeMono(
      TestSignal.sine(hertz: 440, seconds: 2), sampleRate: 16_000, to: path + "/audio/LA1.flac", encoding: .flac16)
    // The reference reading at 22.05 kHz, so import has to resample it.
    try writeMono(
      TestSignal.sine(hertz: 220, seconds: 1.5, sampleRate: 22_050), sampleRate: 22_050,
      to: path + "/audio/SA1.flac", encoding: .flac16)
    try #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#
      .write(toFile: path + "/pictures/p.svg", atomically: true, encoding: .utf8)
  }

  /// A fixture whose pack.yaml has `old` replaced by `new` (which must occur).
  static func replacing(_ old: String, with new: String) throws -> PackFixture {
    precondition(yaml.contains(old), "fixture text lacks \(old)")
    return try PackFixture(yaml: yaml.replacingOccurrences(of: old, with: new))
  }

  func file(_ relative: String) -> String { path + "/" + relative }

  func remove() { directory.remove() }
}

/// The repository's sample pack.
enum SamplePack {
  static var path: String { SharedData.repositoryRoot + "/ExamPacks/SH-2026-EL" }
}
