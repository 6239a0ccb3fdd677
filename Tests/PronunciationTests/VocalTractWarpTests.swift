import AudioIO
import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import Pronunciation

/// Vocal tract length normalisation: the answer's pitch picks a warp of `AlignerSettings.frequencyWarps`, or without
/// a pitch the aligner decodes at each and keeps the best fit, so a shorter vocal tract (a child's) is aligned with
/// the mel filters moved to where its formants are.
@Suite(.enabled(if: SpeechFixtures.isAvailable))
struct VocalTractWarpTests {
  let scorer = SpeechFixtures.scorer!
  let sentence = "the boy went to school on monday"

  func score(_ path: String, _ prompt: String, warps: [Double]) throws -> PronunciationResult {
    var scorer = scorer
    scorer.settings.frequencyWarps = warps
    return try scorer.score(path: path, prompt: prompt, aligner: try scorer.makeAligner())
  }

  func alignment(_ path: String, warps: [Double]) throws -> Alignment? {
    var settings = scorer.settings
    settings.frequencyWarps = warps
    let aligner = try PhoneAligner(model: scorer.model, settings: settings)
    let audio = try decodeMono(path: path, targetSampleRate: 16_000)
    let pcm = PronunciationScorer.pcm16(audio.samples)
    guard case .success(let words) = scorer.pronunciations(for: PromptText(sentence)) else { return nil }
    return pcm.withUnsafeBufferPointer { aligner.align($0, words: words.map(\.0)) }
  }

  @Test func keepsTheWarpWhoseAlignmentFitsBest() throws {
    let path = try SpeechFixtures.reading(sentence)
    let plain = try #require(try alignment(path, warps: [1]))
    let warped = try #require(try alignment(path, warps: [0.7]))
    let both = try #require(try alignment(path, warps: [1, 0.7]))
    #expect(plain.frequencyWarp == 1 && warped.frequencyWarp == 0.7)
    #expect(plain.scorePerFrame != warped.scorePerFrame, "the warp changes the front end")
    #expect(both == (warped.scorePerFrame > plain.scorePerFrame ? warped : plain))
  }

  /// A slow reading with every frequency raised by 30 % (the samples played 1.3 times as fast: formants, pitch and
  /// pace all up, as from a vocal tract 30 % shorter) fits the warped decoder better, and its GOP rises when that
  /// warp may be chosen; the unchanged adult synthetic voice keeps the unwarped front end.
  @Test func aShorterVocalTractChoosesTheChildWarp() throws {
    let path = try SpeechFixtures.reading(sentence, wordsPerMinute: 100)
    let audio = try decodeMono(path: path, targetSampleRate: 16_000)
    let raised = try SpeechFixtures.file(audio.samples, sampleRate: 20_800, name: "raised-formants.wav")
    let adult = try score(path, sentence, warps: [1, 0.7])
    let child = try score(raised, sentence, warps: [1, 0.7])
    let childUnwarped = try score(raised, sentence, warps: [1])
    #expect(adult.frequencyWarp == 1)
    #expect(child.frequencyWarp == 0.7, "\(String(describing: child.missing))")
    // A synthetic voice sped up is an odd reader: either result may be marked not spoken, with its phones kept.
    func meanPhoneGOP(_ result: PronunciationResult) -> Double {
      result.phones.isEmpty ? -.infinity : result.phones.map(\.gop).reduce(0, +) / Double(result.phones.count)
    }
    let warpedGOP = meanPhoneGOP(child)
    let unwarpedGOP = meanPhoneGOP(childUnwarped)
    #expect(warpedGOP > unwarpedGOP + 0.5, "GOP \(warpedGOP) with the warp, \(unwarpedGOP) without")
    #expect(adult.namedValues["pron_warp"] == 1)
  }

  /// With the answer's median pitch the standard decodes once, at the warp its pitch band names: a man's voice
  /// at 1, a woman's or child's at 0.7; without a pitch it falls back to the best fit of both.
  @Test func thePitchPicksTheWarpWithOneDecode() throws {
    let settings = AlignerSettings.standard
    #expect(settings.warp(forPitchHz: 120) == 1)
    #expect(settings.warp(forPitchHz: 165) == 1)
    #expect(settings.warp(forPitchHz: 230) == 0.7)
    #expect(settings.warp(forPitchHz: nil) == nil)
    #expect(settings.warp(forPitchHz: 0) == nil, "an unvoiced answer has no pitch")
    var oneWarp = settings
    oneWarp.frequencyWarps = [1]
    #expect(oneWarp.warp(forPitchHz: 300) == 1, "a pitch above every warp's band takes the last warp")
    let path = try SpeechFixtures.reading(sentence)
    let aligner = try scorer.makeAligner()
    let audio = try decodeMono(path: path, targetSampleRate: 16_000)
    let low = try scorer.score(audio, prompt: sentence, aligner: aligner, medianPitchHz: 110)
    let high = try scorer.score(audio, prompt: sentence, aligner: aligner, medianPitchHz: 260)
    #expect(low.frequencyWarp == 1 && high.frequencyWarp == 0.7)
    #expect(low.phones.map(\.gop) != high.phones.map(\.gop), "each warp is its own front end")
    let unwarped = try score(path, sentence, warps: [1])
    #expect(low.phones.map(\.gop) == unwarped.phones.map(\.gop), "the pitch's warp decodes as that warp alone")
  }

  @Test func unusableWarpsAreRefusedWithTheFix() {
    var settings = AlignerSettings.standard
    for warps in [[], [0.2], [1, 3.0]] {
      settings.frequencyWarps = warps
      #expect(throws: ExamError.self) { _ = try PhoneAligner(model: scorer.model, settings: settings) }
    }
    settings.frequencyWarps = [1, 0.85, 0.7]
    for thresholds in [[250.0, 165], [-1, 165]] {
      settings.warpPitchThresholdsHz = thresholds
      #expect(throws: ExamError.self) { _ = try PhoneAligner(model: scorer.model, settings: settings) }
    }
  }
}
