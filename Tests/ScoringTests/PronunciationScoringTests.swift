import ExamCore
import Foundation
import Pronunciation
import Scoring
import Testing
import _ExamTestSupport

/// Synthetic answers whose accuracy depends on a pronunciation input the timing inputs do not carry.
func pronouncedSamples(count: Int, seed: UInt64, alignedShare: Double = 1) -> (
  samples: [CalibrationSample], ratings: HumanRatings
) {
  let (base, _) = syntheticSamples(count: count, seed: seed)
  var rng = SplitMix64(seed: seed ^ 0xA11)
  var samples: [CalibrationSample] = []
  var ratings: [String: [String: [Double?]]] = [:]
  for sample in base {
    var s = sample
    let skill = Double.random(in: 0...1, using: &rng)
    if Double.random(in: 0...1, using: &rng) < alignedShare {
      s.features["pron_mean_gop"] = -9 + 5 * skill + Double.random(in: -0.4...0.4, using: &rng)
      s.features["pron_gop_deficit"] = -0.8 + 0.7 * skill
      s.features["pron_completeness"] = 1
      s.features["pron_missing"] = 0
    } else {
      s.features["pron_missing"] = Double(MissingReason.alignmentFailed.numericCode)
    }
    samples.append(s)
    ratings[s.id] = [
      "accuracy": (0..<3).map { _ in (3 + 6 * skill + Double.random(in: -1...1, using: &rng)).rounded() }
    ]
  }
  return (samples, HumanRatings(ratings: ratings, aspects: ["accuracy"], scaleMaximum: ["accuracy": 10]))
}

@Suite struct PronunciationScoringTests {
  @Test func calibrationAddsAPronunciationSetThatPredictionUses() throws {
    let (samples, ratings) = pronouncedSamples(count: 300, seed: 21, alignedShare: 0.97)
    let model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, ratings),
      scaleMaximum: ratings.scaleMaximum, aspects: ratings.aspects, source: "synthetic", createdAt: "")
    #expect(model.featureSets.map(\.name) == ["with-text-pronunciation", "with-text", "audio-only"])
    let set = try #require(model.featureSets.first)
    #expect(set.requiresPronunciation == true && set.features.contains("pron_mean_gop"))
    let accuracy = try #require(set.aspect("accuracy"))
    let withoutPron = try #require(model.featureSets[1].aspect("accuracy"))
    #expect(accuracy.crossValidatedPearson > withoutPron.crossValidatedPearson + 0.3)
    let aligned = try #require(samples.first { ModelFeatures.hasPronunciation($0.features) })
    #expect(model.predict(features: aligned.features, text: aligned.text)?.featureSet == "with-text-pronunciation")
    let failed = try #require(samples.first { !ModelFeatures.hasPronunciation($0.features) })
    #expect(model.predict(features: failed.features, text: failed.text)?.featureSet == "with-text")
    #expect(model.predict(features: aligned.features, text: nil)?.featureSet == "audio-only")
    // Models without the pronunciation field (made before it) still load and keep their version.
    let back = try ScoringModel.decode(model.jsonText(), source: "m.json")
    #expect(back == model)
  }

  @Test func noPronunciationSetWithoutAlignedAnswers() {
    let (samples, ratings) = syntheticSamples(count: 120, seed: 4)
    let model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, ratings),
      scaleMaximum: ratings.scaleMaximum, aspects: ratings.aspects, source: "synthetic", createdAt: "")
    #expect(!model.featureSets.contains { $0.requiresPronunciation == true })
  }

  @Test func confidenceDropsWhenThePromptIsNotFoundButNotForAMissingModel() throws {
    let (samples, ratings) = pronouncedSamples(count: 200, seed: 8)
    let model = ModelCalibrator().fit(
      samples, targets: ModelEvaluator().targets(samples, ratings),
      scaleMaximum: ratings.scaleMaximum, aspects: ratings.aspects, source: "synthetic", createdAt: "")
    let estimator = ConfidenceEstimator()
    let typical = samples[0]
    let good = estimator.judge(
      try #require(model.predict(features: typical.features, text: typical.text)),
      features: typical.features)
    #expect(good.confidence > 0.9 && good.notes.isEmpty)
    for reason in [
      MissingReason.alignmentFailed, .promptNotSpoken(completeness: 0.2, meanGOP: -12), .silent(loudestFrameDBFS: -70),
    ] {
      var features = typical.features.filter { !$0.key.hasPrefix("pron_") }
      features.merge(PronunciationResult.namedValues(missing: reason)) { $1 }
      let judged = estimator.judge(
        try #require(model.predict(features: features, text: typical.text)), features: features)
      #expect(judged.confidence < estimator.threshold, "\(reason.code)")
      #expect(judged.reasons.contains { $0.contains(reason.code) })
    }
    for reason in [MissingReason.modelNotInstalled, .noPromptText, .unknownWords(["zyx"])] {
      var features = typical.features.filter { !$0.key.hasPrefix("pron_") }
      features.merge(PronunciationResult.namedValues(missing: reason)) { $1 }
      let judged = estimator.judge(
        try #require(model.predict(features: features, text: typical.text)), features: features)
      #expect(judged.confidence > 0.9, "\(reason.code)")
      #expect(judged.notes == ["pronunciation not measured: \(reason.code)"])
    }
  }

  @Test func missingCodesRoundTripThroughNumbers() {
    #expect(MissingReason.codes.count == Set(MissingReason.codes).count)
    for code in MissingReason.codes {
      let number = Double(MissingReason.codes.firstIndex(of: code)! + 1)
      #expect(MissingReason.code(numeric: number) == code)
    }
    #expect(MissingReason.code(numeric: 0) == nil)
    #expect(MissingReason.modelNotInstalled.numericCode == MissingReason.codes.count)
  }
}

/// The scorer's extractor on speech made at test time (espeak-ng), with the installed acoustic model.
@Suite(.enabled(if: ExtractorFixtures.isAvailable))
struct AnswerExtractorTests {
  static let extractor = try? AnswerExtractor.standard()
  let sentence = "the boy went to school on monday"

  @Test func aReadingGetsPronunciationMeasuresAndAnOpenAnswerAReason() throws {
    let extractor = try #require(Self.extractor)
    let path = try ExtractorFixtures.reading(sentence)
    let read = try extractor.features(audioPath: path, referencePath: nil, text: sentence)
    #expect(read["pron_missing"] == 0)
    #expect(read["pron_completeness"] ?? 0 >= 0.8)
    #expect(read["pron_mean_gop"].map { $0 < 0 && $0 > -12 } == true)
    #expect(read["duration_s"] != nil, "SpeechDSP's features are kept")
    let open = try extractor.features(audioPath: path, referencePath: nil, text: nil)
    #expect(MissingReason.code(numeric: open["pron_missing"] ?? 0) == "no-prompt-text")
    #expect(open["pron_mean_gop"] == nil)
    // An open answer still gets what the speech encoder's classifier hears without a text, the same as a reading's.
    for key in ListeningMeasures.numericKeys {
      #expect(open[key] != nil && open[key] == read[key], "\(key): \(String(describing: open[key]))")
    }
    let wrong = try extractor.features(
      audioPath: path, referencePath: nil, text: "please close every window in the kitchen")
    let code = MissingReason.code(numeric: wrong["pron_missing"] ?? 0)
    #expect(
      code.map { MissingReason.isCausedByAnswer(code: $0) } == true, "a wrong sentence: \(String(describing: code))")
    #expect(wrong["pron_free_clarity_mean"] == read["pron_free_clarity_mean"], "heard without the text either way")
    let off = try AnswerExtractor.withoutPronunciation.features(audioPath: path, referencePath: nil, text: sentence)
    #expect(!off.keys.contains { $0.hasPrefix("pron_") })
  }

  /// A six-year-old's real reading (speechocean762): SpeechDSP's pitch (≈ 310 Hz) picks the child warp, which is
  /// its own front end (other GOPs than the adults' decoder gives; GOP is relative to the best senone in the
  /// search, so it need not rise — the gain is in agreement with the experts over many answers, docs/accuracy.md).
  @Test func aChildsPitchPicksTheChildWarp() throws {
    guard SharedData.isAvailable else { return }
    let extractor = try #require(Self.extractor)
    let path = SharedData.path("speechocean762/audio/SPEAKER0001/000010011.flac")
    let text = "WE CALL IT BEAR"
    let child = try extractor.features(audioPath: path, referencePath: nil, text: text)
    #expect(child["f0_median_hz"].map { $0 > 165 } == true)
    #expect(child["pron_warp"] == 0.7 && child["pron_missing"] == 0)
    var adultsOnly = try PronunciationScorer.standard()
    adultsOnly.settings.frequencyWarps = [1]
    let unwarped = try AnswerExtractor(pronunciation: PhoneAlignerPool(scorer: adultsOnly))
      .features(audioPath: path, referencePath: nil, text: text)
    #expect(unwarped["pron_warp"] == 1)
    #expect(child["pron_mean_gop"] != nil && child["pron_mean_gop"] != unwarped["pron_mean_gop"])
  }

  @Test func aMissingModelIsNamedPerAnswer() throws {
    let path = try ExtractorFixtures.reading(sentence)
    let extractor = AnswerExtractor(pronunciation: nil, unavailable: .modelNotInstalled)
    let features = try extractor.features(audioPath: path, referencePath: nil, text: sentence)
    #expect(MissingReason.code(numeric: features["pron_missing"] ?? 0) == "model-not-installed")
  }
}

enum ExtractorFixtures {
  static let isAvailable: Bool = {
    let ok = (try? AcousticModel.locate()) != nil && LetterToSound().isAvailable
    if !ok {
      print("note: pocketsphinx-en-us or espeak-ng is not installed (run Tools/bootstrap); extractor tests are skipped")
    }
    return ok
  }()

  /// espeak-ng reading `text` (US English, 140 words per minute) as a WAV file, written under a name of its own
  /// and renamed over the shared one, so a test never reads a reading another test is still writing.
  static func reading(_ text: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-pron-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("espeak-\(abs(text.hashValue)).wav").path
    let partial = path + ".\(UUID().uuidString).partial"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: LetterToSound().executable)
    process.arguments = ["-v", "en-us", "-s", "140", "-w", partial, text]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0, rename(partial, path) == 0 else {
      try? FileManager.default.removeItem(atPath: partial)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    return path
  }
}
