import AudioIO
import ExamCore
import Foundation
import Testing

@testable import Pronunciation

/// Boosted trees and the phone-mark model trained on them, on data made here.
struct BoostedTreesTests {
  /// y = 2 where x0 > 0.3, else 0; x1 is noise the trees must not need.
  static func stepData(count: Int, seed: UInt64) -> (rows: [[Double]], targets: [Double]) {
    var random = SplitMix64(seed: seed)
    func uniform() -> Double { Double(random.next() % 1_000_000) / 1_000_000 }
    let rows = (0..<count).map { _ in [uniform(), uniform()] }
    return (rows, rows.map { $0[0] > 0.3 ? 2 : 0 })
  }

  @Test func theTreesLearnAStepAndIgnoreNoise() {
    let training = Self.stepData(count: 2_000, seed: 1)
    var settings = BoostedTrees.Settings()
    settings.trees = 150
    settings.depth = 2
    settings.featureShare = 1
    let model = BoostedTrees.train(rows: training.rows, targets: training.targets, settings: settings)
    let test = Self.stepData(count: 500, seed: 2)
    let errors = zip(test.rows, test.targets).map { abs(model.predict($0) - $1) }
    let meanError = errors.reduce(0, +) / Double(errors.count)
    #expect(meanError < 0.1, "mean absolute error \(meanError)")
    #expect(abs(model.predict([0.9, 0.1]) - model.predict([0.9, 0.9])) < 0.2)
    #expect(model.predict([0.9, 0.5]) > 1.8 && model.predict([0.1, 0.5]) < 0.2)
  }

  @Test func theSameDataAndSeedGiveTheSameTreesAndJSONKeepsThem() throws {
    let training = Self.stepData(count: 600, seed: 3)
    var settings = BoostedTrees.Settings()
    settings.trees = 20
    let first = BoostedTrees.train(rows: training.rows, targets: training.targets, settings: settings)
    let second = BoostedTrees.train(rows: training.rows, targets: training.targets, settings: settings)
    #expect(first == second)
    settings.seed = 2
    let other = BoostedTrees.train(rows: training.rows, targets: training.targets, settings: settings)
    #expect(other != first)
    let decoded = try JSONDecoder().decode(BoostedTrees.self, from: try JSONEncoder().encode(first))
    #expect(decoded == first)
    #expect(training.rows.allSatisfy { decoded.predict($0) == first.predict($0) })
  }

  @Test func tooFewRowsToSplitGiveTheMean() {
    var settings = BoostedTrees.Settings()
    settings.minimumLeafRows = 40
    settings.trees = 5
    let model = BoostedTrees.train(
      rows: (0..<50).map { [Double($0)] }, targets: (0..<50).map { Double($0 % 2) }, settings: settings)
    #expect(model.trees.allSatisfy { $0.thresholds.allSatisfy { $0 == .greatestFiniteMagnitude } })
    // Each tree's one leaf is the mean residual of its row sample: the prediction stays near the mean.
    #expect(abs(model.predict([3]) - 0.5) < 0.02)
    #expect(model.predict([3]) == model.predict([40]))
  }
}

struct PhoneMarkModelTests {
  /// Answers of made-up phones whose mark follows their log posterior: the lower, the worse.
  static func answers(count: Int, seed: UInt64) -> [(phones: [PhoneScore], marks: [Double?])] {
    var random = SplitMix64(seed: seed)
    func uniform() -> Double { Double(random.next() % 1_000_000) / 1_000_000 }
    let names = ["AA", "B", "IY", "T", "S"]
    return (0..<count).map { _ in
      var phones: [PhoneScore] = []
      var marks: [Double?] = []
      for k in 0..<8 {
        let posterior = -6 * uniform()
        let name = names[Int(random.next() % 5)]
        phones.append(
          PhoneScore(
            phone: name, wordIndex: k / 3, startSeconds: Double(k) * 0.1, durationSeconds: 0.1,
            gop: posterior / 2 + uniform() - 0.5, normalisedGOP: 0, durationRatio: 0.8 + 0.4 * uniform(),
            isVowel: name == "AA" || name == "IY", isWordFinal: k % 3 == 2, logPosterior: posterior,
            margin: posterior + 2, likeliestPhone: posterior > -2 ? name : "SIL",
            meanLogPosteriors: (0..<6).map { _ in -8 * uniform() }))
        marks.append(k == 7 ? nil : (posterior > -3 ? 2 : posterior > -4.5 ? 1 : 0))
      }
      return (phones, marks)
    }
  }

  @Test func marksFollowTheEvidenceOnAnswersNotTrainedOn() throws {
    var settings = BoostedTrees.Settings()
    settings.trees = 60
    settings.minimumLeafRows = 20
    let model = try #require(PhoneMarkModel.train(answers: Self.answers(count: 120, seed: 1), settings: settings))
    #expect(model.posteriorCount == 6)
    #expect(model.phones.keys.sorted() == ["AA", "B", "IY", "S", "T"])
    var predicted: [Double] = []
    var truth: [Double] = []
    for answer in Self.answers(count: 40, seed: 2) {
      let marks = try #require(model.marks(for: answer.phones))
      #expect(marks.allSatisfy { (0...2).contains($0) })
      for (mark, expected) in zip(marks, answer.marks) {
        if let expected {
          predicted.append(mark)
          truth.append(expected)
        }
      }
    }
    let meanError = zip(predicted, truth).map { abs($0 - $1) }.reduce(0, +) / Double(truth.count)
    #expect(meanError < 0.3, "mean absolute error \(meanError) over \(truth.count) phones")
  }

  @Test func phonesWithoutTheEveryPhoneMeasuresGetNoMarks() throws {
    var settings = BoostedTrees.Settings()
    settings.trees = 10
    let model = try #require(PhoneMarkModel.train(answers: Self.answers(count: 30, seed: 3), settings: settings))
    var phones = Self.answers(count: 1, seed: 4)[0].phones
    phones[2].meanLogPosteriors = nil
    #expect(model.marks(for: phones) == nil)
    phones[2].meanLogPosteriors = [0, 0, 0]
    #expect(model.marks(for: phones) == nil, "another acoustic model's phones")
    #expect(model.marks(for: []) == nil)
    var otherWidth = model
    otherWidth.trees.featureCount += 1
    #expect(otherWidth.marks(for: Self.answers(count: 1, seed: 4)[0].phones) == nil, "trees of another width")
    let unmarked = Self.answers(count: 5, seed: 5).map { ($0.phones, [Double?](repeating: nil, count: 8)) }
    #expect(PhoneMarkModel.train(answers: unmarked) == nil)
  }

  /// `answers(count: 30, seed:)` with each phone's classifier measures set at `evidence` (the learners' or the
  /// encoder's), made from its log posterior and margin scaled by `scale`.
  static func withClassifier(
    _ evidence: WritableKeyPath<PhoneScore, LearnerEvidence?>, seed: UInt64, scale: Double
  ) -> [(phones: [PhoneScore], marks: [Double?])] {
    answers(count: 30, seed: seed).map { answer in
      (
        answer.phones.map { phone in
          var phone = phone
          let posterior = (phone.logPosterior ?? 0) * scale
          phone[keyPath: evidence] = LearnerEvidence(
            logPosterior: posterior, margin: (phone.margin ?? 0) * scale, lowestLogPosterior: posterior - 1,
            silenceLogPosterior: -3, neighbourLogPosterior: -2, agreement: posterior > -1 ? 0.8 : 0.2)
          return phone
        }, answer.marks
      )
    }
  }

  /// The learners' classifier's measures, or the speech encoder's classifier's.
  @Test(arguments: [true, false]) func aModelTrainedWithAClassifiersMeasuresNeedsThem(isLearner: Bool) throws {
    var settings = BoostedTrees.Settings()
    settings.trees = 10
    let evidence: WritableKeyPath<PhoneScore, LearnerEvidence?> = isLearner ? \.learner : \.encoder
    let seed: UInt64 = isLearner ? 6 : 7
    let measured = Self.withClassifier(evidence, seed: seed, scale: 0.5)
    let model = try #require(PhoneMarkModel.train(answers: measured, settings: settings))
    #expect(model.learnerInputs == isLearner && model.encoderInputs == !isLearner)
    #expect(model.marks(for: measured[0].phones) != nil)
    var phones = measured[0].phones
    phones[3][keyPath: evidence] = nil
    #expect(model.marks(for: phones) == nil, "a phone without the classifier's measures")
    let plain = try #require(PhoneMarkModel.train(answers: Self.answers(count: 30, seed: seed), settings: settings))
    #expect(!plain.learnerInputs && !plain.encoderInputs && plain.marks(for: phones) != nil)
    #expect(
      try #require(model.features(of: measured[0].phones)).first!.count
        == plain.features(of: phones)!.first!.count + 11)
  }

  /// Answers whose speaker has habits: each phone name is mispronounced (mark 0) in every occurrence or in none,
  /// and one occurrence's evidence is too noisy to tell: the other occurrences of the same phone tell more.
  static func habitAnswers(count: Int, seed: UInt64) -> [(phones: [PhoneScore], marks: [Double?])] {
    var random = SplitMix64(seed: seed)
    func uniform() -> Double { Double(random.next() % 1_000_000) / 1_000_000 }
    let names = ["AA", "B", "IY", "T"]
    return (0..<count).map { _ in
      let habits = names.map { _ in uniform() < 0.35 }
      var phones: [PhoneScore] = []
      var marks: [Double?] = []
      for k in 0..<12 {
        let which = Int(random.next() % 4)
        let posterior = (habits[which] ? -4 : -2) + 4 * (uniform() - 0.5)
        phones.append(
          PhoneScore(
            phone: names[which], wordIndex: k / 3, startSeconds: Double(k) * 0.1, durationSeconds: 0.1, gop: 0,
            normalisedGOP: 0, durationRatio: 1, isVowel: which % 2 == 0, isWordFinal: k % 3 == 2,
            logPosterior: posterior, margin: 0, likeliestPhone: names[which], meanLogPosteriors: [0, 0, 0]))
        marks.append(habits[which] ? 0 : 2)
      }
      return (phones, marks)
    }
  }

  @Test func theContextStageHearsTheSamePhoneElsewhereInTheAnswer() throws {
    var settings = BoostedTrees.Settings()
    settings.trees = 40
    settings.minimumLeafRows = 20
    settings.featureShare = 1
    let training = Self.habitAnswers(count: 200, seed: 11)
    let plain = try #require(PhoneMarkModel.train(answers: training, settings: settings))
    let groups = training.indices.map { $0 / 4 }
    let staged = try #require(
      PhoneMarkModel.train(answers: training, settings: settings, contextFolds: 4, groups: groups))
    #expect(plain.context == nil && staged.context != nil)
    #expect(staged.trees == plain.trees, "the first stage is the model without context")
    func meanError(_ model: PhoneMarkModel) throws -> Double {
      var errors: [Double] = []
      for answer in Self.habitAnswers(count: 100, seed: 12) {
        let marks = try #require(model.marks(for: answer.phones))
        #expect(marks.allSatisfy { (0...2).contains($0) })
        errors += zip(marks, answer.marks).map { abs($0 - $1!) }
      }
      return errors.reduce(0, +) / Double(errors.count)
    }
    let (plainError, stagedError) = (try meanError(plain), try meanError(staged))
    #expect(stagedError < plainError * 0.8, "context \(stagedError) against \(plainError) without")
    let decoded = try JSONDecoder().decode(PhoneMarkModel.self, from: try JSONEncoder().encode(staged))
    #expect(decoded == staged)
    var otherWidth = staged
    otherWidth.context?.featureCount += 1
    #expect(otherWidth.marks(for: training[0].phones) == nil, "a second stage of another width")
  }

  @Test func theStandardModelLoadsAndFitsTheAcousticModel() throws {
    let model = try #require(PhoneMarkModel.standard, "the generated PhoneMarkModel+Standard.swift does not decode")
    #expect(model.posteriorCount == 42)
    #expect(model.learnerInputs, "the standard marks read the learners' frame classifier")
    #expect(model.encoderInputs, "and the speech encoder's phone classifier")
    #expect(model.trees.trees.count == BoostedTrees.Settings().trees)
    #expect(model.context?.trees.count == BoostedTrees.Settings().trees, "the second, in-context stage")
    #expect(Set(model.phones.keys).isSuperset(of: ["AA", "TH", "DH", "Z", "R", "L"]))
  }
}

@Suite(.enabled(if: SpeechFixtures.isAvailable))
struct PhoneMarkAlignmentTests {
  let scorer = SpeechFixtures.scorer!
  let sentence = "the boy went to school on monday"

  /// Without a text, the encoder's classifier hears English phones in a reading, and far less clearly in the same
  /// recording played backwards (the same voice, level and length; no phone of English): on espeak-ng's reading of
  /// this sentence, clarity −0.13 against −0.27 and a lower entropy.
  @Test func theEncoderHearsPhonesInAReadingAndLessInItBackwards() throws {
    let audio = try decodeMono(path: try SpeechFixtures.reading(sentence), targetSampleRate: 16_000)
    var backwards = audio
    backwards.samples.reverse()
    let heard = try #require(scorer.listen(audio))
    let reversed = try #require(scorer.listen(backwards))
    #expect(heard.speechShare > 0.5)
    #expect(heard.clarityMean > reversed.clarityMean + 0.05, "\(heard) against \(reversed)")
    #expect(heard.entropyMean < reversed.entropyMean, "\(heard) against \(reversed)")
    var deaf = scorer
    deaf.speechEncoder = nil
    #expect(deaf.listen(audio) == nil)
  }

  @Test func aReadingGetsBetterMarksThanAnotherSentenceAndMarksAreWrittenOut() throws {
    let path = try SpeechFixtures.reading(sentence)
    let aligner = try scorer.makeAligner()
    let right = try scorer.score(path: path, prompt: sentence, aligner: aligner)
    let wrong = try scorer.score(path: path, prompt: "please close every window in the kitchen", aligner: aligner)
    let rightMarks = right.phones.compactMap(\.mark)
    #expect(rightMarks.count == right.phones.count && !rightMarks.isEmpty)
    #expect(rightMarks.allSatisfy { (0...2).contains($0) })
    #expect(right.words.allSatisfy { $0.mark != nil })
    let rightMean = rightMarks.reduce(0, +) / Double(rightMarks.count)
    let wrongMarks = wrong.phones.compactMap(\.mark)
    let wrongMean = wrongMarks.isEmpty ? 0 : wrongMarks.reduce(0, +) / Double(wrongMarks.count)
    #expect(rightMean > wrongMean + 0.2, "right \(rightMean), wrong \(wrongMean)")
    let json = String(decoding: try JSONEncoder().encode(right.phones[0]), as: UTF8.self)
    #expect(json.contains("\"mark\"") && !json.contains("meanLogPosteriors"))
    #expect(json.contains("\"learner\"") && json.contains("\"silenceLogPosterior\""))
    // The learners' classifier hears the reading's phones far better than another sentence's.
    let rightLearner = try #require(right.features?.meanLearnerLogPosterior)
    #expect(rightLearner > (wrong.features?.meanLearnerLogPosterior ?? -.infinity) + 0.5)
    #expect(right.namedValues["pron_learner_lpp_mean"] == rightLearner)
    // So does the speech encoder's phone classifier.
    #expect(json.contains("\"encoder\""))
    let rightEncoder = try #require(right.features?.meanEncoderLogPosterior)
    #expect(rightEncoder > (wrong.features?.meanEncoderLogPosterior ?? -.infinity) + 0.5)
    #expect(right.namedValues["pron_encoder_lpp_mean"] == rightEncoder)
    var withoutEncoder = scorer
    withoutEncoder.speechEncoder = nil
    let unencoded = try withoutEncoder.score(path: path, prompt: sentence, aligner: aligner)
    #expect(unencoded.phones.allSatisfy { $0.encoder == nil && $0.mark == nil && $0.learner != nil })
    var withoutClassifier = scorer
    withoutClassifier.frameClassifier = nil
    let unheard = try withoutClassifier.score(path: path, prompt: sentence, aligner: aligner)
    #expect(unheard.phones.allSatisfy { $0.learner == nil && $0.mark == nil }, "the marks need it")
    #expect(unheard.features?.meanLearnerLogPosterior == nil && unheard.features?.meanLogPosterior != nil)

    var plain = scorer
    plain.phoneMarks = nil
    let unmarked = try plain.score(path: path, prompt: sentence, aligner: aligner)
    #expect(unmarked.phones.allSatisfy { $0.mark == nil } && unmarked.words.allSatisfy { $0.mark == nil })
    var cleared = right
    cleared.setPhoneMarks(nil)
    #expect(unmarked.features == cleared.features, "the marks change no other answer-level measure")
    #expect(unmarked.namedValues["pron_mark_mean"] == nil)
    // The answer's mark measures are the standard model's first stage's; the phones and words show the mean of the
    // five folds' models' (second-stage) marks.
    let staged = try #require(PhoneMarkModel.standard?.stagedMarks(for: right.phones))
    let standardFolds = try #require(CrossFittedModels.standard?.folds)
    let folds = standardFolds.compactMap(\.phoneMarks)
    #expect(folds.count == 5)
    let foldMarks = folds.compactMap { $0.marks(for: right.phones) }
    #expect(foldMarks.count == 5)
    let mean = right.phones.indices.map { i in foldMarks.reduce(0) { $0 + $1[i] } / Double(folds.count) }
    #expect(zip(mean, rightMarks).allSatisfy { abs($0 - $1) < 1e-12 }, "the five folds' mean")
    #expect(staged.marks != rightMarks && staged.evidence != rightMarks)
    var single = scorer
    single.crossFitted = nil
    let alone = try single.score(path: path, prompt: sentence, aligner: aligner)
    #expect(alone.phones.compactMap(\.mark) == staged.marks, "without the folds: the standard model's own")
    #expect(alone.features == right.features, "the answer's measures do not change with the marks shown")
    let features = try #require(right.features)
    #expect(features.meanPhoneMark == staged.evidence.reduce(0, +) / Double(staged.evidence.count))
    let wordEvidence = Dictionary(grouping: right.phones.indices, by: { right.phones[$0].wordIndex }).values.map {
      $0.map { staged.evidence[$0] }.reduce(0, +) / Double($0.count)
    }
    #expect(abs(features.minimumWordMark! - wordEvidence.min()!) < 1e-12)
    #expect(right.namedValues["pron_mark_p10"] == features.p10PhoneMark && features.p10PhoneMark != nil)
  }
}
