internal import COpenBLAS
import Foundation

/// A phone classifier of single frames trained on learners' speech: a small multilayer perceptron (ReLU hidden
/// layers, softmax over the phones and silence) reading a frame's features with `contextFrames` frames either
/// side. The en-us acoustic model was trained on adults' native speech; this one has heard learners, children
/// among them, so its log posterior of the canonical phone is evidence the en-us model lacks
/// (docs/accuracy.md, "The learners' frame classifier in the product").
///
/// Trained by `pron-eval --learner-model-out` (`FrameClassifier.train`) on speechocean762's frames of phones every
/// expert marked correct; `FrameClassifier.standard` is that model, compiled in. Its outputs per phone are
/// `PhoneScore.learner`, which `PhoneMarkModel` reads.
public struct FrameClassifier: Sendable, Codable, Equatable {
  /// One fully connected layer: `outputs` = `inputs` · `weights` (row-major, inputs × outputs) + `biases`.
  public struct Layer: Sendable, Equatable {
    public var inputs: Int
    public var outputs: Int
    public var weights: [Float]
    public var biases: [Float]
  }

  /// The classes in output order: the phones, then `SIL`.
  public var classes: [String]
  /// Frames read on each side of the frame classified (the answer's first and last frames repeat at its edges).
  public var contextFrames: Int
  /// Each answer's frames are standardised per dimension over the answer first
  /// (`FeatureFrames.standardisedPerDimension`).
  public var standardisesEachAnswer: Bool
  /// Per feature dimension, the training frames' mean and standard deviation: inputs are standardised with them
  /// (after the answer's own standardisation, if any).
  public var means: [Float]
  public var deviations: [Float]
  public var layers: [Layer]

  public var dimensions: Int { means.count }
  var inputWidth: Int { (2 * contextFrames + 1) * dimensions }

  /// Per frame, the log posterior of every class (`frameCount × classes.count`, row-major); nil when the frames
  /// have another number of dimensions than the model was trained on.
  public func logPosteriors(_ frames: FeatureFrames) -> [Float]? {
    guard frames.dimensions == dimensions, let first = layers.first, first.inputs == inputWidth else { return nil }
    BLASThreads.singleThreaded
    var activations = stackedInputs(prepared(frames))
    for (index, layer) in layers.enumerated() {
      activations = layer.forward(activations, rows: frames.frameCount, rectified: index + 1 < layers.count)
    }
    Self.logSoftmax(&activations, rows: frames.frameCount, columns: classes.count)
    return activations
  }

  /// What the classifier says of each phone of an alignment, in order (the segments that are not silences: the
  /// answer's `PronunciationResult.phones`); nil when the frames do not fit the model.
  public func phoneEvidence(_ frames: FeatureFrames, segments: [AlignedSegment]) -> [LearnerEvidence?]? {
    guard let posteriors = logPosteriors(frames) else { return nil }
    return phoneEvidence(logPosteriors: posteriors, frameCount: frames.frameCount, segments: segments)
  }

  /// The same from the frames' `logPosteriors(_:)`, for a caller that also reads them.
  public func phoneEvidence(logPosteriors: [Float], frameCount: Int, segments: [AlignedSegment]) -> [LearnerEvidence?] {
    let bySegment = evidence(logPosteriors, frameCount: frameCount, segments: segments)
    return segments.indices.filter { segments[$0].phone != "SIL" }.map { bySegment[$0] }
  }

  /// What the classifier says of each phone segment of `segments` (nil for silences and for phones it has no class
  /// for), from `logPosteriors(frames)`.
  func evidence(_ logPosteriors: [Float], frameCount: Int, segments: [AlignedSegment]) -> [LearnerEvidence?] {
    let classCount = classes.count
    precondition(logPosteriors.count == frameCount * classCount, "log posteriors of another shape than the frames")
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    // Per segment, the class of the phone before and after it (silences skipped).
    let phoneClasses = segments.map { $0.phone == "SIL" ? nil : index[$0.phone] }
    var previous: [Int?] = []
    var last: Int? = nil
    for k in segments.indices {
      previous.append(last)
      if let c = phoneClasses[k] { last = c }
    }
    var next = [Int?](repeating: nil, count: segments.count)
    last = nil
    for k in segments.indices.reversed() {
      next[k] = last
      if let c = phoneClasses[k] { last = c }
    }
    let silenceIndex = index["SIL"]
    return segments.indices.map { segmentIndex in
      let segment = segments[segmentIndex]
      guard segment.phone != "SIL", let own = index[segment.phone] else { return nil }
      let frames = (segment.startFrame..<segment.startFrame + segment.frameCount).clamped(to: 0..<frameCount)
      guard !frames.isEmpty else { return nil }
      var logPosterior = 0.0
      var margin = 0.0
      var worst = Float.infinity
      var silent = 0.0
      var neighbour = 0.0
      var hits = 0.0
      let silence = silenceIndex ?? own
      // At the answer's ends the one neighbour there is; silence when the answer has no other phone.
      let before = previous[segmentIndex] ?? next[segmentIndex] ?? silence
      let after = next[segmentIndex] ?? before
      for frame in frames {
        let row = frame * classCount
        var bestOther = -Float.infinity
        for other in 0..<classCount where other != own { bestOther = max(bestOther, logPosteriors[row + other]) }
        logPosterior += Double(logPosteriors[row + own])
        margin += Double(logPosteriors[row + own] - bestOther)
        worst = min(worst, logPosteriors[row + own])
        silent += Double(logPosteriors[row + silence])
        neighbour += Double(max(logPosteriors[row + before], logPosteriors[row + after]))
        if logPosteriors[row + own] >= bestOther { hits += 1 }
      }
      let count = Double(frames.count)
      return LearnerEvidence(
        logPosterior: logPosterior / count, margin: margin / count, lowestLogPosterior: Double(worst),
        silenceLogPosterior: silent / count, neighbourLogPosterior: neighbour / count, agreement: hits / count)
    }
  }

  /// The frames as the classifier reads them: standardised over the answer when `standardisesEachAnswer`.
  func prepared(_ frames: FeatureFrames) -> FeatureFrames {
    standardisesEachAnswer ? frames.standardisedPerDimension() : frames
  }

  /// Every frame's standardised features with their context, one row of `inputWidth` each (`frames` prepared).
  func stackedInputs(_ frames: FeatureFrames) -> [Float] {
    var stacked = [Float](repeating: 0, count: frames.frameCount * inputWidth)
    for frame in 0..<frames.frameCount { stack(frames, frame: frame, into: &stacked, row: frame) }
    return stacked
  }

  /// Writes `frame`'s standardised features with their context into row `row` of `input`.
  func stack(_ frames: FeatureFrames, frame: Int, into input: inout [Float], row: Int) {
    let dimensions = self.dimensions
    for offset in -contextFrames...contextFrames {
      let source = min(max(frame + offset, 0), frames.frameCount - 1) * dimensions
      let target = row * inputWidth + (offset + contextFrames) * dimensions
      for d in 0..<dimensions { input[target + d] = (frames.values[source + d] - means[d]) / deviations[d] }
    }
  }

  static func logSoftmax(_ values: inout [Float], rows: Int, columns: Int) {
    for row in 0..<rows {
      let first = row * columns
      let normaliser = logSumExp(values[first..<first + columns])
      for k in first..<first + columns { values[k] -= normaliser }
    }
  }
}

/// log Σ exp(values), shifted by the largest value so that nothing overflows: the normaliser of a posterior.
func logSumExp(_ values: ArraySlice<Float>) -> Float {
  let peak = values.max() ?? 0
  var sum: Float = 0
  for value in values { sum += exp(value - peak) }
  return peak + log(sum)
}

/// What `FrameClassifier` says of one aligned phone's frames (log posteriors in nats, ≤ 0).
public struct LearnerEvidence: Sendable, Equatable, Codable {
  /// Mean over the frames of log P(canonical phone | frame) (nats, ≤ 0).
  public var logPosterior: Double
  /// Mean over the frames of the canonical phone's log posterior minus the best other class's (nats; below 0 when
  /// another phone or silence fits the frames better).
  public var margin: Double
  /// The lowest frame's log posterior of the canonical phone: one bad stretch in a long phone.
  public var lowestLogPosterior: Double
  /// Mean log posterior of silence: a phone left out often leaves silence or a pause in its place.
  public var silenceLogPosterior: Double
  /// Mean over the frames of the higher log posterior of the phones before and after it (the one there is at the
  /// answer's ends; silence when it is the only phone): a phone left out is often taken by its neighbours.
  public var neighbourLogPosterior: Double
  /// Share of the frames whose likeliest class is the canonical phone.
  public var agreement: Double
}

extension FrameClassifier.Layer {
  /// `rows` rows of `inputs` values through the layer; `rectified` applies ReLU.
  func forward(_ input: [Float], rows: Int, rectified: Bool) -> [Float] {
    var output = [Float](repeating: 0, count: rows * outputs)
    for row in 0..<rows {
      for k in 0..<outputs { output[row * outputs + k] = biases[k] }
    }
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(outputs), Int32(inputs), 1, input,
      Int32(inputs), weights, Int32(outputs), 1, &output, Int32(outputs))
    if rectified {
      for k in output.indices where output[k] < 0 { output[k] = 0 }
    }
    return output
  }
}

/// The weights travel as base64 of little-endian IEEE half-precision floats: a quarter of the size of decimal
/// JSON, and `FrameClassifier.train` rounds them to half precision, so the model written is the model measured.
extension FrameClassifier.Layer: Codable {
  enum CodingKeys: String, CodingKey { case inputs, outputs, weights, biases }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    inputs = try container.decode(Int.self, forKey: .inputs)
    outputs = try container.decode(Int.self, forKey: .outputs)
    biases = try container.decode([Float].self, forKey: .biases)
    let text = try container.decode(String.self, forKey: .weights)
    guard let data = Data(base64Encoded: text), data.count == inputs * outputs * 2, biases.count == outputs else {
      throw DecodingError.dataCorruptedError(
        forKey: .weights, in: container,
        debugDescription:
          "a layer of \(inputs) × \(outputs) needs \(inputs * outputs) half floats and \(outputs) biases")
    }
    let count = inputs * outputs
    weights = data.withUnsafeBytes { bytes in
      (0..<count).map { k in
        Float(Float16(bitPattern: UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))))
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(inputs, forKey: .inputs)
    try container.encode(outputs, forKey: .outputs)
    try container.encode(biases, forKey: .biases)
    var data = Data(capacity: weights.count * 2)
    for weight in weights {
      withUnsafeBytes(of: Float16(weight).bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }
    try container.encode(data.base64EncodedString(), forKey: .weights)
  }
}
