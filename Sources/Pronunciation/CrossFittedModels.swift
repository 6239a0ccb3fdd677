import Foundation

/// The learned parts of the scorer (the two `FrameClassifier`s, `PhoneMarkModel`) once per fold of their training speakers,
/// each trained without that fold, and which training answer belongs to which fold. Every other answer is shown
/// the mean of the five folds' phone marks (`meanMarks(for:)`).
///
/// The standard models were trained on speechocean762's answers, so on those answers they are better than on any
/// new speaker (the predicted marks' mean correlates 0.82 with the experts' accuracy there, 0.72 on speakers the
/// model never heard). A scoring model calibrated on such in-sample measures trusts them too much. When the scorer
/// meets one of its training answers (`SampleDigest`), it measures it with the fold's models instead: every
/// answer is then measured as a new speaker would be, so `exam score calibrate` and `exam score evaluate` on
/// speechocean762 give what `pron-eval --features-csv` gives (docs/accuracy.md, "Calibrating on the training
/// answers").
public struct CrossFittedModels: Sendable, Codable, Equatable {
  /// The models trained without one fold of speakers.
  public struct Fold: Sendable, Codable, Equatable {
    public var frameClassifier: FrameClassifier?
    public var encoderClassifier: FrameClassifier?
    public var phoneMarks: PhoneMarkModel?

    public init(frameClassifier: FrameClassifier?, encoderClassifier: FrameClassifier?, phoneMarks: PhoneMarkModel?) {
      self.frameClassifier = frameClassifier
      self.encoderClassifier = encoderClassifier
      self.phoneMarks = phoneMarks
    }
  }

  public var folds: [Fold]
  /// Digest (`SampleDigest.of`) of each training answer → the index in `folds` of the models that did not
  /// see its speaker.
  public var foldOfAnswer: [UInt64: Int]

  public init(folds: [Fold], foldOfAnswer: [UInt64: Int]) {
    self.folds = folds
    self.foldOfAnswer = foldOfAnswer
  }

  /// The models that never saw the answer with this digest; nil for an answer they were not trained on.
  public func fold(for digest: UInt64) -> Fold? {
    foldOfAnswer[digest].flatMap { folds.indices.contains($0) ? folds[$0] : nil }
  }

  /// The marks shown for an answer none of the folds was trained on: each phone's mean over the folds' phone-mark
  /// models — a bag of five, each trained on four fifths of the speakers; in cross-validation such a bag marked
  /// phones closer to the experts than one model (docs/accuracy.md, "Five models' marks"). Nil when a fold cannot
  /// mark these phones (measures it was not trained with).
  public func meanMarks(for phones: [PhoneScore]) -> [Double]? {
    let models = folds.compactMap(\.phoneMarks)
    guard !models.isEmpty else { return nil }
    var sum = [Double](repeating: 0, count: phones.count)
    for model in models {
      guard let marks = model.marks(for: phones), marks.count == phones.count else { return nil }
      for index in marks.indices { sum[index] += marks[index] }
    }
    return sum.map { $0 / Double(models.count) }
  }

  // JSON keys are strings: digests are written as 16 hexadecimal digits.
  enum CodingKeys: String, CodingKey { case folds, foldOfAnswer }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    folds = try container.decode([Fold].self, forKey: .folds)
    var map: [UInt64: Int] = [:]
    for (key, fold) in try container.decode([String: Int].self, forKey: .foldOfAnswer) {
      guard let digest = UInt64(key, radix: 16) else {
        throw DecodingError.dataCorruptedError(
          forKey: .foldOfAnswer, in: container, debugDescription: "'\(key)' is not a hexadecimal digest")
      }
      map[digest] = fold
    }
    foldOfAnswer = map
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(folds, forKey: .folds)
    let keyed = Dictionary(uniqueKeysWithValues: foldOfAnswer.map { (SampleDigest.text($0.key), $0.value) })
    try container.encode(keyed, forKey: .foldOfAnswer)
  }
}

/// A 64-bit digest of decoded audio (FNV-1a over the samples' bit patterns): the same file decodes to the same
/// samples, and so to the same digest. Not a cryptographic hash; it only has to tell a model's training
/// answers from others.
public enum SampleDigest {
  public static func of(_ samples: [Float]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for sample in samples {
      var bits = sample.bitPattern
      for _ in 0..<4 {
        hash = (hash ^ UInt64(bits & 0xff)) &* 0x0000_0100_0000_01b3
        bits >>= 8
      }
    }
    return hash
  }

  /// 16 hexadecimal digits.
  public static func text(_ digest: UInt64) -> String {
    let digits = String(digest, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
