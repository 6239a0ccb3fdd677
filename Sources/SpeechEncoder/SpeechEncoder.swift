import COpenBLAS
import Foundation

/// The encoder's output for one recording: `frameCount` frames of `width` values, row-major, one frame every
/// `hopSeconds` (24 ms for Moonshine base).
public struct EncodedFrames: Sendable, Equatable {
  public let frameCount: Int
  public let width: Int
  public let values: [Float]
  public let hopSeconds: Double
  /// The time of frame 0's centre: half of what one frame sees (the receptive field starts at sample 0).
  public let firstCentreSeconds: Double

  /// The centre of frame `index`, in seconds from the start of the samples.
  public func centreSeconds(of index: Int) -> Double { firstCentreSeconds + Double(index) * hopSeconds }

  /// The frames whose centres lie in `start ..< end` (seconds from the start of the samples), or, when none does (a
  /// span shorter than a frame), the one nearest its middle; nil without frames.
  public func frames(from start: Double, to end: Double) -> ClosedRange<Int>? {
    guard frameCount > 0 else { return nil }
    let first = max(0, Int(((start - firstCentreSeconds) / hopSeconds).rounded(.up)))
    let last = min(frameCount - 1, Int(((end - firstCentreSeconds) / hopSeconds).rounded(.up)) - 1)
    if first <= last { return first...last }
    let nearest = min(frameCount - 1, max(0, Int((((start + end) / 2 - firstCentreSeconds) / hopSeconds).rounded())))
    return nearest...nearest
  }
}

/// Moonshine base's encoder run on 16 kHz samples: conv(127, stride 64) → tanh → group norm → conv(7, 3) → GELU →
/// conv(3, 2) → GELU, then 8 pre-norm transformer layers (8 heads, rotary positions on the first 32 dimensions of
/// each head, interleaved pairs; GELU feed-forward of 1664) and a last layer norm — the operations of the original
/// ONNX graph, in the same order, over OpenBLAS `cblas_sgemm` on the calling thread (ExamKit's tasks are the
/// parallelism). `SpeechEncoderTests` holds it to onnxruntime's output of the original model.
public struct SpeechEncoder: Sendable {
  public let model: SpeechEncoderModel
  public static let sampleRate = 16_000

  public init(model: SpeechEncoderModel) {
    self.model = model
    _ = Self.singleThreaded
  }

  static let singleThreaded: Void = { openblas_set_num_threads(1) }()

  /// Encodes mono 16 kHz samples (−1 … 1). Fewer samples than one frame sees give no frames.
  public func encode(_ samples: [Float]) -> EncodedFrames {
    let hop = Double(model.hopSamples) / Double(Self.sampleRate)
    let firstCentre = Double(model.receptiveSamples) / 2 / Double(Self.sampleRate)
    guard samples.count >= model.receptiveSamples else {
      return EncodedFrames(
        frameCount: 0, width: model.width, values: [], hopSeconds: hop, firstCentreSeconds: firstCentre)
    }
    var (x, frames) = frontEnd(samples)
    for layer in model.layers { transform(&x, frames: frames, layer: layer) }
    layerNorm(&x, rows: frames, weight: model.finalNorm)
    return EncodedFrames(
      frameCount: frames, width: model.width, values: x, hopSeconds: hop, firstCentreSeconds: firstCentre)
  }

  // MARK: - Convolutional front end (time-major: frames × channels)

  private func frontEnd(_ samples: [Float]) -> ([Float], Int) {
    let first = model.convolutions[0]
    let frames1 = (samples.count - first.kernel) / first.stride + 1
    // conv1 has one input channel: gather its windows (frames × kernel) and make one product.
    var windows = [Float](repeating: 0, count: frames1 * first.kernel)
    for t in 0..<frames1 {
      for k in 0..<first.kernel { windows[t * first.kernel + k] = samples[t * first.stride + k] }
    }
    var x = [Float](repeating: 0, count: frames1 * first.outputChannels)
    product(windows, first.taps, into: &x, rows: frames1, inner: first.kernel, columns: first.outputChannels)
    // tanh, then one group over every value, then the per-channel affine.
    var sum = 0.0
    for i in x.indices {
      x[i] = tanh(x[i])
      sum += Double(x[i])
    }
    let mean = sum / Double(x.count)
    var squares = 0.0
    for v in x { squares += (Double(v) - mean) * (Double(v) - mean) }
    let scale = 1 / (squares / Double(x.count) + 1e-5).squareRoot()
    for t in 0..<frames1 {
      for c in 0..<first.outputChannels {
        let i = t * first.outputChannels + c
        x[i] = Float((Double(x[i]) - mean) * scale) * model.groupNormWeight[c] + model.groupNormBias[c]
      }
    }
    var frames = frames1
    for convolution in model.convolutions.dropFirst() {
      (x, frames) = convolve(x, frames: frames, convolution)
      gelu(&x)
    }
    return (x, frames)
  }

  /// A convolution over time-major input as one accumulated product per kernel tap: tap k reads every
  /// `stride`-th frame from frame k (a matrix with leading dimension stride × channels).
  private func convolve(_ x: [Float], frames: Int, _ c: SpeechEncoderModel.Convolution) -> ([Float], Int) {
    let out = (frames - c.kernel) / c.stride + 1
    guard out > 0 else { return ([], 0) }
    var y = [Float](repeating: 0, count: out * c.outputChannels)
    if let bias = c.bias {
      for t in 0..<out { y.replaceSubrange(t * c.outputChannels..<(t + 1) * c.outputChannels, with: bias) }
    }
    x.withUnsafeBufferPointer { input in
      c.taps.withUnsafeBufferPointer { taps in
        y.withUnsafeMutableBufferPointer { output in
          for k in 0..<c.kernel {
            cblas_sgemm(
              CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(out), Int32(c.outputChannels), Int32(c.inputChannels),
              1, input.baseAddress! + k * c.inputChannels, Int32(c.stride * c.inputChannels),
              taps.baseAddress! + k * c.inputChannels * c.outputChannels, Int32(c.outputChannels), 1,
              output.baseAddress!, Int32(c.outputChannels))
          }
        }
      }
    }
    return (y, out)
  }

  // MARK: - Transformer layer

  private func transform(_ x: inout [Float], frames: Int, layer: SpeechEncoderModel.Layer) {
    let width = model.width
    var normed = x
    layerNorm(&normed, rows: frames, weight: layer.inputNorm)
    var q = [Float](repeating: 0, count: frames * width)
    var k = q
    var v = q
    product(normed, layer.query, into: &q, rows: frames, inner: width, columns: width)
    product(normed, layer.key, into: &k, rows: frames, inner: width, columns: width)
    product(normed, layer.value, into: &v, rows: frames, inner: width, columns: width)
    rotate(&q, frames: frames)
    rotate(&k, frames: frames)
    let attended = attention(q: q, k: k, v: v, frames: frames)
    product(attended, layer.output, into: &x, rows: frames, inner: width, columns: width, accumulate: true)
    normed = x
    layerNorm(&normed, rows: frames, weight: layer.postNorm)
    var hidden = [Float](repeating: 0, count: frames * model.feedForward)
    for t in 0..<frames {
      hidden.replaceSubrange(t * model.feedForward..<(t + 1) * model.feedForward, with: layer.upBias)
    }
    product(normed, layer.up, into: &hidden, rows: frames, inner: width, columns: model.feedForward, accumulate: true)
    gelu(&hidden)
    for t in 0..<frames {
      for d in 0..<width { x[t * width + d] += layer.downBias[d] }
    }
    product(hidden, layer.down, into: &x, rows: frames, inner: model.feedForward, columns: width, accumulate: true)
  }

  /// Rotary positions on the first `rotaryDimensions` of each head: pair (2i, 2i+1) of frame t turned by
  /// t × 10000^(−2i / rotaryDimensions).
  private func rotate(_ x: inout [Float], frames: Int) {
    let headWidth = model.width / model.heads
    let pairs = model.rotaryDimensions / 2
    for t in 0..<frames {
      for i in 0..<pairs {
        let angle = Float(t) * Float(pow(10_000, -2 * Double(i) / Double(model.rotaryDimensions)))
        let (c, s) = (cos(angle), sin(angle))
        for h in 0..<model.heads {
          let at = t * model.width + h * headWidth + 2 * i
          let (a, b) = (x[at], x[at + 1])
          x[at] = a * c - b * s
          x[at + 1] = b * c + a * s
        }
      }
    }
  }

  /// Softmax(q kᵀ / √headWidth) v per head, every frame seeing every frame.
  private func attention(q: [Float], k: [Float], v: [Float], frames: Int) -> [Float] {
    let width = model.width
    let headWidth = width / model.heads
    var out = [Float](repeating: 0, count: frames * width)
    var scores = [Float](repeating: 0, count: frames * frames)
    let scale = 1 / Float(headWidth).squareRoot()
    for h in 0..<model.heads {
      q.withUnsafeBufferPointer { q in
        k.withUnsafeBufferPointer { k in
          scores.withUnsafeMutableBufferPointer { s in
            cblas_sgemm(
              CblasRowMajor, CblasNoTrans, CblasTrans, Int32(frames), Int32(frames), Int32(headWidth), scale,
              q.baseAddress! + h * headWidth, Int32(width), k.baseAddress! + h * headWidth, Int32(width), 0,
              s.baseAddress!, Int32(frames))
          }
        }
      }
      for t in 0..<frames {
        let row = t * frames
        var largest = -Float.infinity
        for j in 0..<frames { largest = max(largest, scores[row + j]) }
        var total: Float = 0
        for j in 0..<frames {
          let e = exp(scores[row + j] - largest)
          scores[row + j] = e
          total += e
        }
        for j in 0..<frames { scores[row + j] /= total }
      }
      scores.withUnsafeBufferPointer { s in
        v.withUnsafeBufferPointer { v in
          out.withUnsafeMutableBufferPointer { o in
            cblas_sgemm(
              CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(frames), Int32(headWidth), Int32(frames), 1,
              s.baseAddress!, Int32(frames), v.baseAddress! + h * headWidth, Int32(width), 0,
              o.baseAddress! + h * headWidth, Int32(width))
          }
        }
      }
    }
    return out
  }

  // MARK: - Elementwise and products

  private func layerNorm(_ x: inout [Float], rows: Int, weight: [Float]) {
    let width = weight.count
    for r in 0..<rows {
      let base = r * width
      var mean: Float = 0
      for d in 0..<width { mean += x[base + d] }
      mean /= Float(width)
      var variance: Float = 0
      for d in 0..<width { variance += (x[base + d] - mean) * (x[base + d] - mean) }
      let scale = 1 / (variance / Float(width) + 1e-5).squareRoot()
      for d in 0..<width { x[base + d] = (x[base + d] - mean) * scale * weight[d] }
    }
  }

  /// The GELU of the original graph, x · ½(1 + erf(x / √2)), with erf read from `ErfTable` (linear interpolation,
  /// error below 5e-7): the library erf was a third of the encoder's time.
  private func gelu(_ x: inout [Float]) {
    ErfTable.values.withUnsafeBufferPointer { table in
      for i in x.indices { x[i] = 0.5 * x[i] * (1 + ErfTable.erf(x[i] * 0.707_106_77, table)) }
    }
  }

  /// out (rows × columns) = a (rows × inner) · b (inner × columns), or += with `accumulate`.
  private func product(
    _ a: [Float], _ b: [Float], into out: inout [Float], rows: Int, inner: Int, columns: Int, accumulate: Bool = false
  ) {
    guard rows > 0 else { return }
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner), 1, a, Int32(inner), b,
      Int32(columns), accumulate ? 1 : 0, &out, Int32(columns))
  }
}

/// erf on [−4, 4] at 1/1024 steps (8,193 values), for linear interpolation; beyond ±4 erf is ±1 in float32.
enum ErfTable {
  static let stepsPerUnit: Float = 1024
  static let values: [Float] = (0...8192).map { Float(Foundation.erf(Double($0) / 1024 - 4)) }

  @inline(__always) static func erf(_ x: Float, _ table: UnsafeBufferPointer<Float>) -> Float {
    if x <= -4 { return -1 }
    if x >= 4 { return 1 }
    let position = (x + 4) * stepsPerUnit
    let index = min(Int(position), 8191)
    let fraction = position - Float(index)
    return table[index] + fraction * (table[index + 1] - table[index])
  }
}
