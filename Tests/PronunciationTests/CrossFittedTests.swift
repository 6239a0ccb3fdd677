import AudioIO
import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import Pronunciation

/// The training answers of the standard models are measured by the models of the fold that left their speaker out.
struct CrossFittedTests {
  @Test func theDigestFollowsEverySampleAndNothingElse() {
    let samples: [Float] = (0..<16_000).map { sin(Float($0) * 0.01) * 0.3 }
    #expect(SampleDigest.of(samples) == SampleDigest.of(samples.map { $0 }))
    var changed = samples
    changed[8_000] = changed[8_000].nextUp
    #expect(SampleDigest.of(changed) != SampleDigest.of(samples), "one sample one step away")
    #expect(SampleDigest.of(Array(samples.dropLast())) != SampleDigest.of(samples))
    #expect(SampleDigest.text(0xab) == "00000000000000ab")
  }

  @Test func foldsAreFoundByDigestAndKeptByJSON() throws {
    let marks = Self.constantMarks(1.5)
    let models = CrossFittedModels(
      folds: [
        .init(frameClassifier: nil, encoderClassifier: nil, phoneMarks: marks),
        .init(frameClassifier: nil, encoderClassifier: nil, phoneMarks: nil),
      ],
      foldOfAnswer: [0xdead_beef_0000_0001: 0, 42: 1, 7: 5])
    #expect(models.fold(for: 0xdead_beef_0000_0001)?.phoneMarks == marks)
    #expect(models.fold(for: 43) == nil, "an answer the models were not trained on")
    #expect(models.fold(for: 7) == nil, "a fold that does not exist")
    let json = try JSONEncoder().encode(models)
    #expect(String(decoding: json, as: UTF8.self).contains("\"deadbeef00000001\""))
    #expect(try JSONDecoder().decode(CrossFittedModels.self, from: json) == models)
    let bad = Data(#"{"folds":[],"foldOfAnswer":{"xyz":0}}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(CrossFittedModels.self, from: bad) }
  }

  @Test func aTrainingAnswerGetsItsFoldsModelsAndOthersTheScorersOwn() throws {
    let own = Self.constantMarks(2)
    let fold = Self.constantMarks(0.5)
    let training = (0..<1_600).map { Float($0 % 7) * 0.01 }
    let other = (0..<1_600).map { Float($0 % 5) * 0.01 }
    let models = CrossFittedModels(
      folds: [.init(frameClassifier: nil, encoderClassifier: nil, phoneMarks: fold)],
      foldOfAnswer: [SampleDigest.of(training): 0])
    let scorer = PronunciationScorer(
      model: AcousticModel(hmmDirectory: "/nonexistent", dictionaryPath: "/nonexistent"), lexicon: Lexicon(),
      phoneMarks: own, frameClassifier: nil,
      crossFitted: models)
    #expect(scorer.learnedModels(forSamples: training).marker == fold)
    #expect(scorer.learnedModels(forSamples: other).marker == own)
    var unmarked = scorer
    unmarked.phoneMarks = nil
    #expect(unmarked.learnedModels(forSamples: training).marker == nil, "a scorer without marks stays without them")
    var plain = scorer
    plain.crossFitted = nil
    #expect(plain.learnedModels(forSamples: training).marker == own)
  }

  @Test func theStandardFoldsCoverSpeechocean762() throws {
    let models = try #require(
      CrossFittedModels.standard, "the generated CrossFittedModels+Standard.swift does not decode")
    #expect(models.folds.count == 5)
    #expect(
      models.folds.allSatisfy {
        $0.frameClassifier != nil && $0.encoderClassifier != nil && $0.phoneMarks?.context != nil
          && $0.phoneMarks?.encoderInputs == true
      })
    #expect(models.folds.allSatisfy { $0.phoneMarks != PhoneMarkModel.standard })
    #expect(models.foldOfAnswer.count >= 990)
    #expect(Set(models.foldOfAnswer.values) == [0, 1, 2, 3, 4])
  }

  /// A real training answer is measured by its fold's models, exactly as if the scorer had been given them.
  @Test(.enabled(if: SpeechFixtures.isAvailable)) func aSpeechocean762AnswerIsMeasuredByTheModelsThatNeverHeardIt()
    throws
  {
    guard SharedData.isAvailable else { return }
    let scorer = try #require(SpeechFixtures.scorer)
    let path = SharedData.path("speechocean762/audio/SPEAKER0001/000010011.flac")
    let audio = try decodeMono(path: path, targetSampleRate: 16_000)
    let fold = try #require(
      CrossFittedModels.standard?.fold(for: SampleDigest.of(audio.samples)), "speaker 0001's answer is known")
    let aligner = try scorer.makeAligner()
    let measured = try scorer.score(audio, prompt: "WE CALL IT BEAR", aligner: aligner, medianPitchHz: 250)
    var given = scorer
    given.crossFitted = nil
    given.frameClassifier = fold.frameClassifier
    given.encoderClassifier = fold.encoderClassifier
    given.phoneMarks = fold.phoneMarks
    #expect(measured == (try given.score(audio, prompt: "WE CALL IT BEAR", aligner: aligner, medianPitchHz: 250)))
    var inSample = scorer
    inSample.crossFitted = nil
    let standard = try inSample.score(audio, prompt: "WE CALL IT BEAR", aligner: aligner, medianPitchHz: 250)
    #expect(standard.phones.map(\.gop) == measured.phones.map(\.gop), "the acoustic model is the same")
    #expect(standard.phones.map(\.mark) != measured.phones.map(\.mark), "the standard model heard this answer")
  }

  /// A phone-mark model that gives every phone `mark`.
  static func constantMarks(_ mark: Double) -> PhoneMarkModel {
    let stats = PhoneMarkModel.PhoneStats(meanMark: mark, means: [0, 0, 0, 0], deviations: [1, 1, 1, 1])
    return PhoneMarkModel(
      phones: [:], overall: stats, posteriorCount: 42, learnerInputs: false, encoderInputs: false,
      trees: BoostedTrees(featureCount: 1, depth: 1, base: mark, trees: []), context: nil)
  }
}
