import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import Pronunciation

/// Every aligned phone scored against every phone of the model (`SenoneModel`, `PhonePosteriors`).
@Suite(.enabled(if: SpeechFixtures.isAvailable))
struct PhonePosteriorTests {
  let scorer = SpeechFixtures.scorer!
  let sentence = "the boy went to school on monday"

  @Test func theModelHasEveryPhoneTheAlignerUses() throws {
    let model = try SenoneModel.load(scorer.model.hmmDirectory)
    #expect(model.phones.count == 42)
    #expect(PhoneAligner.phones.isSubset(of: Set(model.phones)))
    #expect(model.phones.contains("SIL"))
    #expect(model.states == 3)
    #expect(model.stateLogWeights.allSatisfy { $0.count == 3 * model.streams * model.densities })
    // Mixture weights are probabilities: each state's weights over a codebook sum to about 1 (8-bit logs).
    for phone in [0, 20, 41] {
      for state in 0..<3 {
        let first = state * model.streams * model.densities
        let row = model.stateLogWeights[phone][first..<first + model.densities]
        let sum = row.reduce(0.0) { $0 + exp(Double($1)) }
        #expect(sum > 0.8 && sum < 1.2, "phone \(model.phones[phone]) state \(state): weights sum to \(sum)")
      }
    }
  }

  /// The matrix product scores with (x², x, 1) rows; they must equal the diagonal Gaussian's log density.
  @Test func theExpandedGaussiansGiveTheDirectLogDensity() throws {
    let folder = scorer.model.hmmDirectory
    let model = try SenoneModel.load(folder)
    let means = try S3Array.read(folder + "/means")
    let variances = try S3Array.read(folder + "/variances")
    let length = model.streamLength
    var generator = SystemRandomNumberGenerator()
    for (codebook, stream, density) in [(0, 0, 0), (7, 1, 55), (41, 2, 127), (20, 0, 64)] {
      let gaussian = (codebook * model.streams + stream) * model.densities + density
      var x: [Float] = []
      for d in 0..<length {
        let offset = Float.random(in: -1...1, using: &generator)
        x.append(means.values[gaussian * length + d] + offset)
      }
      var direct = 0.0
      for d in 0..<length {
        let variance = Double(max(variances.values[gaussian * length + d], SenoneModel.varianceFloor))
        let difference = Double(x[d] - means.values[gaussian * length + d])
        direct -= difference * difference / (2 * variance) + log(2 * Double.pi * variance) / 2
      }
      let width = 2 * length + 1
      let start: Int = (codebook * model.densities + density) * width
      let row: ArraySlice<Float> = model.expandedGaussians[stream][start..<start + width]
      let squares: [Float] = x.map { $0 * $0 }
      let inputs: [Float] = squares + x + [Float(1)]
      var expanded = 0.0
      for (weight, input) in zip(row, inputs) { expanded += Double(weight) * Double(input) }
      let tolerance = 1e-2 * max(1, abs(direct))
      #expect(abs(expanded - direct) < tolerance, "\(expanded) vs \(direct)")
    }
  }

  @Test func everyPhoneOfAReadingIsScoredAndManyAreHeardAsThemselves() throws {
    let result = try scorer.score(
      path: try SpeechFixtures.reading(sentence), prompt: sentence, aligner: try scorer.makeAligner())
    let features = try #require(result.features)
    #expect(!result.phones.isEmpty)
    for phone in result.phones {
      let posterior = try #require(phone.logPosterior, "\(phone.phone) has no log posterior")
      #expect(posterior <= 0 && posterior.isFinite)
      #expect(phone.margin?.isFinite == true)
      #expect(phone.likeliestPhone != nil)
    }
    let heard = result.phones.filter { $0.likeliestPhone == $0.phone }.count
    #expect(
      Double(heard) >= 0.3 * Double(result.phones.count), "\(heard) of \(result.phones.count) heard as themselves")
    #expect(features.meanLogPosterior.map { $0 > -4 } == true, "\(String(describing: features.meanLogPosterior))")
    #expect(features.shareMisheard.map { $0 >= 0 && $0 <= 1 } == true)
    #expect(result.namedValues["pron_lpp_mean"] == features.meanLogPosterior)
    #expect(result.namedValues["pron_share_misheard"] == features.shareMisheard)
  }

  @Test func aWrongSentenceHasALowerLogPosterior() throws {
    let path = try SpeechFixtures.reading(sentence)
    let aligner = try scorer.makeAligner()
    let right = try scorer.score(path: path, prompt: sentence, aligner: aligner)
    let wrong = try scorer.score(path: path, prompt: "please close every window in the kitchen", aligner: aligner)
    let rightPosterior = try #require(right.features?.meanLogPosterior)
    let wrongPosteriors = wrong.phones.compactMap(\.logPosterior)
    let wrongPosterior =
      wrongPosteriors.isEmpty ? -Double.infinity : wrongPosteriors.reduce(0, +) / Double(wrongPosteriors.count)
    #expect(rightPosterior > wrongPosterior + 1, "right \(rightPosterior), wrong \(wrongPosterior)")
  }

  /// An answer whose phones fit other phones better than almost any real reading is not a reading of the prompt.
  @Test func aLowMeanLogPosteriorMarksThePromptNotSpoken() throws {
    let path = try SpeechFixtures.reading(sentence)
    let measured = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    let posterior = try #require(measured.features?.meanLogPosterior)
    var strict = scorer
    strict.thresholds.minimumMeanLogPosterior = posterior + 0.1
    let result = try strict.score(path: path, prompt: sentence, aligner: try strict.makeAligner())
    guard case .promptNotSpoken(_, _, let found) = result.missing else {
      Issue.record("expected prompt-not-spoken, got \(String(describing: result.missing))")
      return
    }
    #expect(found == posterior)
    #expect(result.missing?.description.contains("log posterior") == true)
    #expect(result.features == nil && !result.phones.isEmpty)
    #expect(PronunciationThresholds.standard.minimumMeanLogPosterior < posterior)
  }

  @Test func turnedOffTheFieldsAreNilAndTheGOPsUnchanged() throws {
    let path = try SpeechFixtures.reading(sentence)
    var plain = scorer
    plain.settings.scoresEveryPhone = false
    let without = try plain.score(path: path, prompt: sentence, aligner: try plain.makeAligner())
    let with = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    #expect(without.phones.allSatisfy { $0.logPosterior == nil && $0.margin == nil && $0.likeliestPhone == nil })
    #expect(without.features?.meanLogPosterior == nil)
    #expect(without.namedValues["pron_lpp_mean"] == nil)
    #expect(without.phones.map(\.gop) == with.phones.map(\.gop))
  }

  @Test func aDamagedModelFileIsNamedWithHowToFixIt() throws {
    let folder = SpeechFixtures.temporaryPath("damaged-model-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let source = scorer.model.hmmDirectory
    let mdef = try Data(contentsOf: URL(fileURLWithPath: source + "/mdef"))
    try mdef.prefix(5_000).write(to: URL(fileURLWithPath: folder + "/mdef"))
    #expect {
      _ = try BinaryModelDefinition.read(folder + "/mdef")
    } throws: { error in
      guard let error = error as? ExamError else { return false }
      return error.file == folder + "/mdef" && error.message.contains("ends early") && error.fix != nil
    }
    try Data("s3\nendhdr\n\u{1}\u{2}\u{3}\u{4}".utf8).write(to: URL(fileURLWithPath: folder + "/means"))
    #expect {
      _ = try S3Array.read(folder + "/means")
    } throws: { error in
      (error as? ExamError)?.message.contains("byte-order mark") == true
    }
  }
}
