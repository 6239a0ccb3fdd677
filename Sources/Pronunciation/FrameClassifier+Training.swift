internal import COpenBLAS
import ExamCore
import Foundation

extension FrameClassifier {
  public struct Settings: Sendable, Equatable {
    /// Units of each hidden layer.
    public var hiddenUnits = [256, 256]
    public var contextFrames = 5
    /// Standardise each answer's frames over the answer first (`FrameClassifier.standardisesEachAnswer`).
    public var standardisesEachAnswer = true
    /// Passes over the training frames.
    public var epochs = 8
    public var batchFrames = 256
    /// Adam's step size (β₁ 0.9, β₂ 0.999).
    public var learningRate: Float = 1e-3
    /// L2 penalty on the weights, added to their gradients.
    public var weightDecay: Float = 1e-5
    /// Every n-th frame of a silence is a training frame (silence is plentiful; phones take every frame).
    public var silenceStep = 3
    /// A phone's frames train the model when the experts' mean mark is at least this (2 = every expert marked
    /// it correct): the classifier learns what correct phones sound like from learners.
    public var minimumMark = 2.0
    public var seed: UInt64 = 1

    public init() {}
  }

  /// One training answer: its aligned frames, and per phone segment (the non-silence segments in order) the
  /// experts' mean mark, nil where none was matched.
  public typealias TrainingAnswer = (frames: AlignedFrames, marks: [Double?])

  /// Trains on the frames of `answers`' phones marked at least `settings.minimumMark` and on their silences, with
  /// classes `phones` + `SIL`. Deterministic for the same answers and settings (single-threaded BLAS, a seeded
  /// generator). `progress` hears each finished epoch and its mean cross-entropy. Nil without any training frame.
  public static func train(
    answers: [TrainingAnswer], phones: [String] = PhoneAligner.phones.sorted(), settings: Settings = Settings(),
    progress: ((_ epoch: Int, _ loss: Double) -> Void)? = nil
  ) -> FrameClassifier? {
    let classes = phones + ["SIL"]
    let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
    guard let dimensions = answers.first?.frames.frames.dimensions, dimensions > 0 else { return nil }
    // (answer, frame, class) of every training frame, in the answers' order.
    var examples: [(answer: Int32, frame: Int32, label: Int32)] = []
    for (number, answer) in answers.enumerated() where answer.frames.frames.dimensions == dimensions {
      var phone = 0
      for segment in answer.frames.segments {
        let frames = (segment.startFrame..<segment.startFrame + segment.frameCount)
          .clamped(to: 0..<answer.frames.frames.frameCount)
        if segment.phone == "SIL" {
          for frame in stride(from: frames.lowerBound, to: frames.upperBound, by: max(1, settings.silenceStep)) {
            examples.append((Int32(number), Int32(frame), classIndex["SIL"]!))
          }
          continue
        }
        defer { phone += 1 }
        guard let label = classIndex[segment.phone], phone < answer.marks.count,
          let mark = answer.marks[phone], mark >= settings.minimumMark - 1e-9
        else { continue }
        for frame in frames { examples.append((Int32(number), Int32(frame), label)) }
      }
    }
    guard !examples.isEmpty else { return nil }
    var model = FrameClassifier(
      classes: classes, contextFrames: settings.contextFrames, standardisesEachAnswer: settings.standardisesEachAnswer,
      means: [], deviations: [], layers: [])
    // Each answer's frames as the model will read them (answers of another width are never used).
    let frames = answers.map {
      $0.frames.frames.dimensions == dimensions ? model.prepared($0.frames.frames) : $0.frames.frames
    }
    (model.means, model.deviations) = standardisation(examples, frames, dimensions: dimensions)
    var random = SplitMix64(seed: settings.seed)
    let widths = [model.inputWidth] + settings.hiddenUnits + [classes.count]
    model.layers = (0..<widths.count - 1).map { k in
      let scale = (Float(k + 2 < widths.count ? 2 : 1) / Float(widths[k])).squareRoot()
      return Layer(
        inputs: widths[k], outputs: widths[k + 1],
        weights: (0..<widths[k] * widths[k + 1]).map { _ in scale * random.gaussian() },
        biases: [Float](repeating: 0, count: widths[k + 1]))
    }
    BLASThreads.singleThreaded
    var optimiser = Adam(model.layers, learningRate: settings.learningRate)
    var order = Array(examples.indices)
    for epoch in 0..<settings.epochs {
      order.shuffle(using: &random)
      var loss = 0.0
      for start in stride(from: 0, to: order.count, by: settings.batchFrames) {
        let batch = order[start..<min(start + settings.batchFrames, order.count)].map { examples[$0] }
        var input = [Float](repeating: 0, count: batch.count * model.inputWidth)
        for (row, example) in batch.enumerated() {
          model.stack(frames[Int(example.answer)], frame: Int(example.frame), into: &input, row: row)
        }
        loss += model.step(input, labels: batch.map { Int($0.label) }, optimiser: &optimiser, settings: settings)
      }
      progress?(epoch + 1, loss / Double(examples.count))
    }
    // Half precision, as the model is written (`Layer`'s coding): the model measured is the model shipped.
    for k in model.layers.indices { model.layers[k].weights = model.layers[k].weights.map { Float(Float16($0)) } }
    return model
  }

  /// Per dimension, the mean and standard deviation over the training frames.
  private static func standardisation(
    _ examples: [(answer: Int32, frame: Int32, label: Int32)], _ answers: [FeatureFrames], dimensions: Int
  ) -> ([Float], [Float]) {
    var moments = DimensionMoments(dimensions: dimensions)
    for example in examples { moments.add(answers[Int(example.answer)], frame: Int(example.frame)) }
    return (moments.means.map(Float.init), moments.deviations(floor: 1e-6).map(Float.init))
  }

  /// One minibatch of softmax cross-entropy: forward, back-propagation, an Adam step. Returns the batch's summed
  /// loss.
  private mutating func step(
    _ input: [Float], labels: [Int], optimiser: inout Adam, settings: Settings
  ) -> Double {
    let rows = labels.count
    var activations = [input]
    for (index, layer) in layers.enumerated() {
      activations.append(layer.forward(activations[index], rows: rows, rectified: index + 1 < layers.count))
    }
    var gradient = activations.removeLast()
    Self.logSoftmax(&gradient, rows: rows, columns: classes.count)
    var loss = 0.0
    for (row, label) in labels.enumerated() {
      let first = row * classes.count
      loss -= Double(gradient[first + label])
      for k in first..<first + classes.count { gradient[k] = exp(gradient[k]) / Float(rows) }
      gradient[first + label] -= 1 / Float(rows)
    }
    for index in layers.indices.reversed() {
      let layer = layers[index]
      let below = activations[index]
      var weightGradient = layer.weights.map { settings.weightDecay * $0 }
      cblas_sgemm(
        CblasRowMajor, CblasTrans, CblasNoTrans, Int32(layer.inputs), Int32(layer.outputs), Int32(rows), 1, below,
        Int32(layer.inputs), gradient, Int32(layer.outputs), 1, &weightGradient, Int32(layer.outputs))
      var biasGradient = [Float](repeating: 0, count: layer.outputs)
      for row in 0..<rows {
        for k in 0..<layer.outputs { biasGradient[k] += gradient[row * layer.outputs + k] }
      }
      if index > 0 {
        var next = [Float](repeating: 0, count: rows * layer.inputs)
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(layer.inputs), Int32(layer.outputs), 1,
          gradient, Int32(layer.outputs), layer.weights, Int32(layer.outputs), 0, &next, Int32(layer.inputs))
        for k in next.indices where below[k] <= 0 { next[k] = 0 }
        gradient = next
      }
      optimiser.update(&layers[index], layer: index, weights: weightGradient, biases: biasGradient)
    }
    return loss
  }
}

/// Adam (Kingma & Ba 2015) over a classifier's layers: per parameter, running means of the gradient and its
/// square, bias-corrected.
struct Adam {
  let learningRate: Float
  let beta1: Float = 0.9
  let beta2: Float = 0.999
  let epsilon: Float = 1e-8
  private var steps: [Int]
  private var weightMeans: [[Float]]
  private var weightSquares: [[Float]]
  private var biasMeans: [[Float]]
  private var biasSquares: [[Float]]

  init(_ layers: [FrameClassifier.Layer], learningRate: Float) {
    self.learningRate = learningRate
    steps = layers.map { _ in 0 }
    weightMeans = layers.map { [Float](repeating: 0, count: $0.weights.count) }
    weightSquares = weightMeans
    biasMeans = layers.map { [Float](repeating: 0, count: $0.biases.count) }
    biasSquares = biasMeans
  }

  mutating func update(_ target: inout FrameClassifier.Layer, layer: Int, weights: [Float], biases: [Float]) {
    steps[layer] += 1
    let t = Float(steps[layer])
    let size = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
    let constants = (beta1, beta2, epsilon, size)
    Self.apply(&target.weights, weights, &weightMeans[layer], &weightSquares[layer], constants)
    Self.apply(&target.biases, biases, &biasMeans[layer], &biasSquares[layer], constants)
  }

  private static func apply(
    _ parameters: inout [Float], _ gradient: [Float], _ mean: inout [Float], _ square: inout [Float],
    _ constants: (beta1: Float, beta2: Float, epsilon: Float, size: Float)
  ) {
    let (beta1, beta2, epsilon, size) = constants
    parameters.withUnsafeMutableBufferPointer { parameters in
      mean.withUnsafeMutableBufferPointer { mean in
        square.withUnsafeMutableBufferPointer { square in
          gradient.withUnsafeBufferPointer { gradient in
            for k in 0..<parameters.count {
              let g = gradient[k]
              mean[k] = beta1 * mean[k] + (1 - beta1) * g
              square[k] = beta2 * square[k] + (1 - beta2) * g * g
              parameters[k] -= size * mean[k] / (square[k].squareRoot() + epsilon)
            }
          }
        }
      }
    }
  }
}

extension SplitMix64 {
  /// A standard normal number (Box–Muller).
  mutating func gaussian() -> Float {
    let u = max(unit(), 1e-300)
    let v = unit()
    return Float((-2 * log(u)).squareRoot() * cos(2 * Double.pi * v))
  }
}
