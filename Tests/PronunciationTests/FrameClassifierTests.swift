import ExamCore
import Foundation
import Testing

@testable import Pronunciation

/// The learners' frame classifier, on frames made here: each phone has its own mean in a 6-dimensional feature
/// space, with noise.
struct FrameClassifierTests {
  static let phones = ["AA", "IY", "S"]
  static let centres: [String: [Float]] = [
    "AA": [2, 0, 0, 1, 0, 0], "IY": [0, 2, 0, 0, 1, 0], "S": [0, 0, 2, 0, 0, 1], "SIL": [0, 0, 0, 0, 0, 0],
  ]

  /// An answer of silence, then `spoken` phones of 12 frames each, then silence; each phone is marked `marks`.
  static func answer(_ spoken: [String], marks: [Double?], random: inout SplitMix64) -> FrameClassifier.TrainingAnswer {
    let sequence = ["SIL"] + spoken + ["SIL"]
    var values: [Float] = []
    var segments: [AlignedSegment] = []
    for phone in sequence {
      segments.append(AlignedSegment(phone: phone, startFrame: segments.count * 12, frameCount: 12, acousticScore: 0))
      for _ in 0..<12 { values += centres[phone]!.map { $0 + 0.7 * random.gaussian() } }
    }
    let frames = FeatureFrames(values: values, frameCount: sequence.count * 12)
    return (AlignedFrames(frames: frames, segments: segments), marks)
  }

  static func training(count: Int, seed: UInt64) -> [FrameClassifier.TrainingAnswer] {
    var random = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      let spoken = (0..<3).map { _ in phones[Int(random.next() % 3)] }
      return answer(spoken, marks: [2, 2, 2], random: &random)
    }
  }

  static var settings: FrameClassifier.Settings {
    var settings = FrameClassifier.Settings()
    settings.hiddenUnits = [16]
    settings.contextFrames = 1
    settings.epochs = 6
    settings.batchFrames = 32
    settings.learningRate = 3e-3
    return settings
  }

  @Test func itLearnsThePhonesAndTellsAWrongOneApart() throws {
    let model = try #require(
      FrameClassifier.train(answers: Self.training(count: 40, seed: 1), phones: Self.phones, settings: Self.settings))
    #expect(model.classes == ["AA", "IY", "S", "SIL"])
    // Spoken AA IY S, but aligned as AA AA S: the middle phone's frames are IY's.
    var random = SplitMix64(seed: 9)
    var (test, _) = Self.answer(["AA", "IY", "S"], marks: [nil, nil, nil], random: &random)
    test.segments[2].phone = "AA"
    let posteriors = try #require(model.logPosteriors(test.frames))
    #expect(posteriors.count == test.frames.frameCount * 4)
    let evidence = model.evidence(posteriors, frameCount: test.frames.frameCount, segments: test.segments)
    #expect(evidence[0] == nil && evidence[4] == nil, "silences get no measure")
    #expect(model.phoneEvidence(test.frames, segments: test.segments) == Array(evidence[1...3]), "per phone, in order")
    let right = try #require(evidence[1])
    let wrong = try #require(evidence[2])
    #expect(right.logPosterior > -0.5 && right.margin > 1, "\(right)")
    #expect(wrong.logPosterior < -2 && wrong.margin < 0, "\(wrong)")
    #expect(right.agreement > 0.8 && wrong.agreement < 0.2)
    #expect(right.lowestLogPosterior <= right.logPosterior && wrong.lowestLogPosterior <= wrong.logPosterior)
    #expect(wrong.neighbourLogPosterior < -2, "its frames are IY's: neither neighbour (AA, S) takes them")
    #expect(right.silenceLogPosterior < -2 && wrong.silenceLogPosterior < -2)

    // A phone left out: AA AA S spoken, aligned as AA IY S — the middle frames are its neighbour's.
    var (skipped, _) = Self.answer(["AA", "AA", "S"], marks: [nil, nil, nil], random: &random)
    skipped.segments[2].phone = "IY"
    let skippedPosteriors = try #require(model.logPosteriors(skipped.frames))
    let missing = try #require(
      model.evidence(skippedPosteriors, frameCount: skipped.frames.frameCount, segments: skipped.segments)[2])
    #expect(
      missing.neighbourLogPosterior > -1 && missing.logPosterior < missing.neighbourLogPosterior - 2, "\(missing)")
  }

  @Test func phonesTheExpertsDidNotMarkCorrectDoNotTrainIt() {
    var random = SplitMix64(seed: 3)
    // Every phone marked wrong (or unmatched): only silence is left to learn from.
    let answers = (0..<5).map { _ in Self.answer(["AA", "S"], marks: [0, nil], random: &random) }
    let model = FrameClassifier.train(answers: answers, phones: Self.phones, settings: Self.settings)
    #expect(model != nil, "silence frames still train")
    #expect(FrameClassifier.train(answers: [], phones: Self.phones, settings: Self.settings) == nil)
  }

  @Test func trainingIsDeterministicAndJSONKeepsTheModel() throws {
    let answers = Self.training(count: 10, seed: 2)
    let first = try #require(FrameClassifier.train(answers: answers, phones: Self.phones, settings: Self.settings))
    let second = FrameClassifier.train(answers: answers, phones: Self.phones, settings: Self.settings)
    #expect(first == second)
    let decoded = try JSONDecoder().decode(FrameClassifier.self, from: try JSONEncoder().encode(first))
    #expect(decoded == first, "weights are already half precision, so the round trip is exact")
    #expect(decoded.logPosteriors(answers[0].frames.frames) == first.logPosteriors(answers[0].frames.frames))
  }

  @Test func framesOfAnotherWidthAreRefused() throws {
    let model = try #require(
      FrameClassifier.train(answers: Self.training(count: 4, seed: 4), phones: Self.phones, settings: Self.settings))
    #expect(model.logPosteriors(FeatureFrames(values: [Float](repeating: 0, count: 10 * 5), frameCount: 10)) == nil)
  }

  @Test func eachAnswerIsStandardisedSoAnAffineChangeOfItsFeaturesChangesNothing() throws {
    let answers = Self.training(count: 20, seed: 5)
    let model = try #require(FrameClassifier.train(answers: answers, phones: Self.phones, settings: Self.settings))
    #expect(model.standardisesEachAnswer)
    let frames = answers[0].frames.frames
    let shifted = FeatureFrames(values: frames.values.map { 3 * $0 - 2 }, frameCount: frames.frameCount)
    let original = try #require(model.logPosteriors(frames))
    let changed = try #require(model.logPosteriors(shifted))
    #expect(zip(original, changed).allSatisfy { abs($0 - $1) < 1e-3 })
    var plainSettings = Self.settings
    plainSettings.standardisesEachAnswer = false
    let plain = try #require(FrameClassifier.train(answers: answers, phones: Self.phones, settings: plainSettings))
    #expect(plain.logPosteriors(frames) != plain.logPosteriors(shifted), "without it the change reaches the model")
  }

  @Test func standardisingFramesGivesEachDimensionMeanZeroAndDeviationOne() {
    // Dimension 0 varies, dimension 1 is constant.
    let frames = FeatureFrames(values: [1, 5, 3, 5, 5, 5, 7, 5], frameCount: 4)
    let standardised = frames.standardisedPerDimension()
    let first = stride(from: 0, to: 8, by: 2).map { Double(standardised.values[$0]) }
    let mean = first.reduce(0, +) / 4
    let variance = first.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
    #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-5)
    #expect(stride(from: 1, to: 8, by: 2).allSatisfy { standardised.values[$0] == 0 }, "a constant dimension is 0")
  }

  @Test func theStandardClassifierLoadsAndFitsTheAcousticModel() throws {
    let model = try #require(FrameClassifier.standard, "the generated FrameClassifier+Standard.swift does not decode")
    #expect(model.classes == PhoneAligner.phones.sorted() + ["SIL"])
    #expect(model.dimensions == 39 && model.contextFrames == FrameClassifier.Settings().contextFrames)
    #expect(model.layers.map(\.outputs) == FrameClassifier.Settings().hiddenUnits + [40])
    #expect(model.deviations.allSatisfy { $0 > 0 })
    #expect(model.standardisesEachAnswer == FrameClassifier.Settings().standardisesEachAnswer)
  }

  @Test func aCorruptLayerIsAClearDecodingError() {
    let json = #"{"inputs": 2, "outputs": 2, "biases": [0, 0], "weights": "AAAA"}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(FrameClassifier.Layer.self, from: Data(json.utf8)) }
  }
}
