import ExamCore
import Foundation
import Signing

/// A transparent scoring model, as stored in MODEL.json: per feature set, the named inputs with their training
/// means and standard deviations, and per aspect a ridge regression over the standardised inputs.
///
/// A score is `intercept + Σ coefficient[f] · (x[f] − mean[f]) / sd[f]`, clipped to `0…scaleMaximum`, so a reader
/// can see which inputs push an aspect up or down and by how much.
public struct ScoringModel: Sendable, Codable, Equatable {
  public static let formatName = "examkit-ridge-v1"

  /// One aspect's regression.
  public struct AspectModel: Sendable, Codable, Equatable {
    public var name: String
    /// 10 for 0–10 aspects, 1 for speechocean's 0–1 completeness.
    public var scaleMaximum: Double
    /// Ridge penalty chosen by speaker-disjoint cross-validation.
    public var lambda: Double
    public var intercept: Double
    /// Per standardised input, in `FeatureSet.features` order.
    public var coefficients: [Double]
    /// Standard deviation of cross-validated residuals (aspect scale): the width of a prediction interval.
    public var residualStandardDeviation: Double
    /// Pearson r of cross-validated predictions with the human mean during calibration.
    public var crossValidatedPearson: Double
    public var trainingPearson: Double
  }

  /// Inputs and aspect regressions for answers that have (or lack) a prompt text.
  public struct FeatureSet: Sendable, Codable, Equatable {
    public var name: String
    public var requiresText: Bool
    /// Needs the answer's pronunciation measures (`ModelFeatures.pronunciation`); nil in models made before them.
    public var requiresPronunciation: Bool? = nil
    public var features: [String]
    public var means: [Double]
    public var standardDeviations: [Double]
    /// (ZᵀZ + I)⁻¹ of the standardised training inputs Z, row-major: gives each answer's leverage
    /// h = zᵀ·M·z, how far it lies from the training data (typical h ≈ p/n).
    public var leverageMatrix: [Double]
    public var aspects: [AspectModel]

    public func aspect(_ name: String) -> AspectModel? { aspects.first { $0.name == name } }
  }

  /// What the model was trained on.
  public struct TrainingSummary: Sendable, Codable, Equatable {
    public var source: String
    public var answers: Int
    public var speakers: Int
    public var folds: Int
    public var failedAnswers: Int
    public var note: String
  }

  public var format: String
  /// First 16 hex digits of the SHA-256 of the model's JSON with this field empty.
  public var version: String
  public var createdAt: String
  public var training: TrainingSummary
  public var featureSets: [FeatureSet]

  public init(createdAt: String, training: TrainingSummary, featureSets: [FeatureSet]) {
    format = Self.formatName
    version = ""
    self.createdAt = createdAt
    self.training = training
    self.featureSets = featureSets
    version = computeVersion()
  }

  /// The aspects every feature set predicts.
  public var aspectNames: [String] { featureSets.first?.aspects.map(\.name) ?? [] }

  /// The feature set for an answer: with pronunciation when the answer was aligned and the model has such a set,
  /// else with text when the answer has a prompt text and the model has one, else audio only.
  public func featureSet(hasText: Bool, hasPronunciation: Bool = false) -> FeatureSet? {
    let pronounced = hasText && hasPronunciation ? featureSets.first { $0.requiresPronunciation == true } : nil
    let texted = hasText ? featureSets.first { $0.requiresText && $0.requiresPronunciation != true } : nil
    return pronounced ?? texted ?? featureSets.first { !$0.requiresText } ?? featureSets.first
  }

  func computeVersion() -> String {
    var copy = self
    copy.version = ""
    return String(Digest.sha256(text: copy.jsonText()).prefix(16))
  }

  /// Pretty JSON with sorted keys.
  public func jsonText() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  /// Writes the model atomically.
  public func write(to path: String) throws(ExamError) {
    try AtomicFile.write(text: jsonText() + "\n", to: path)
  }

  /// Reads and checks a model file.
  /// - Throws: `ExamError.notFound`, or `.invalidInput` when it is not an ExamKit model or its version does not match.
  public static func load(path: String) throws(ExamError) -> ScoringModel {
    try decode(try InputFile.text(path), source: path)
  }

  public static func decode(_ text: String, source: String) throws(ExamError) -> ScoringModel {
    let model: ScoringModel
    do {
      model = try JSONDecoder().decode(ScoringModel.self, from: Data(text.utf8))
    } catch {
      throw ExamError(
        .invalidInput, file: source, "is not an ExamKit scoring model",
        fix: "give a MODEL.json written by `exam score calibrate`", underlying: "\(error)")
    }
    guard model.format == formatName else {
      throw ExamError(
        .unsupportedFormat, file: source, location: "format", "format '\(model.format)' is not \(formatName)",
        fix: "recalibrate with this version of exam")
    }
    guard model.version == model.computeVersion() else {
      throw ExamError(
        .integrity, file: source, location: "version",
        "the model's content does not match its version \(model.version) (edited by hand?)",
        fix: "recalibrate with `exam score calibrate` instead of editing the file")
    }
    for set in model.featureSets {
      let p = set.features.count
      guard set.means.count == p, set.standardDeviations.count == p, set.leverageMatrix.count == p * p,
        set.aspects.allSatisfy({ $0.coefficients.count == p })
      else {
        throw ExamError(
          .invalidInput, file: source, location: "featureSets.\(set.name)",
          "the feature list, means, deviations and coefficients have different lengths",
          fix: "recalibrate with `exam score calibrate`")
      }
    }
    return model
  }
}
