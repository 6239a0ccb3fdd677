internal import COpenBLAS

@testable import SpeakerEmbedding

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The encoder network as first written (session 4, before the speed work): every partial's frames projected on
/// their own, libm's expf/tanhf, one product per step over the partials of one batch. Kept as the reference the
/// faster `LSTMForward` must agree with (cosine ≥ 0.9999 on real answers).
enum PlainLSTMForward {
  /// OpenBLAS starts its own thread pool by default; ExamKit's tasks are the parallelism, so one thread each.
  static let singleThreaded: Void = LSTMForward.singleThreaded

  /// - Parameters:
  ///   - mels: `batch` partials of `model.partialFrames` frames × `model.melBands`, partial-major.
  /// - Returns: `batch` embeddings of `model.embeddingSize`, row-major, each of unit length (or zero).
  static func embed(_ mels: [Float], batch: Int, model: SpeakerEncoderModel) -> [Float] {
    _ = singleThreaded
    let frames = model.partialFrames, bands = model.melBands, hidden = model.hiddenSize
    let gateCount = 4 * hidden
    precondition(mels.count == batch * frames * bands)
    // Time-major input: row t·B + b.
    var x = [Float](repeating: 0, count: frames * batch * bands)
    for b in 0..<batch {
      for t in 0..<frames {
        for k in 0..<bands { x[(t * batch + b) * bands + k] = mels[(b * frames + t) * bands + k] }
      }
    }
    var gates = [Float](repeating: 0, count: frames * batch * gateCount)
    var output = [Float](repeating: 0, count: frames * batch * hidden)
    var cell = [Float](repeating: 0, count: batch * hidden)
    for layer in model.layers {
      let inputSize = layer.inputSize
      // gates = bias + x · W_ihᵀ
      for row in 0..<(frames * batch) {
        for g in 0..<gateCount { gates[row * gateCount + g] = layer.bias[g] }
      }
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(frames * batch), Int32(gateCount), Int32(inputSize),
        1, x, Int32(inputSize), layer.inputWeights, Int32(inputSize), 1, &gates, Int32(gateCount))
      for i in cell.indices { cell[i] = 0 }
      gates.withUnsafeMutableBufferPointer { g in
        output.withUnsafeMutableBufferPointer { h in
          cell.withUnsafeMutableBufferPointer { c in
            layer.recurrentWeights.withUnsafeBufferPointer { w in
              for t in 0..<frames {
                let gt = g.baseAddress! + t * batch * gateCount
                if t > 0 {
                  // gates_t += h_{t-1} · W_hhᵀ
                  cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(gateCount), Int32(hidden),
                    1, h.baseAddress! + (t - 1) * batch * hidden, Int32(hidden), w.baseAddress!, Int32(hidden), 1, gt,
                    Int32(gateCount))
                }
                step(
                  gates: gt, cell: c.baseAddress!, hidden: h.baseAddress! + t * batch * hidden, batch: batch,
                  size: hidden)
              }
            }
          }
        }
      }
      swap(&x, &output)
      if output.count != frames * batch * hidden { output = [Float](repeating: 0, count: frames * batch * hidden) }
    }
    // x now holds the last layer's hidden states; the final frame's go through the linear layer and ReLU.
    let last = Array(x[((frames - 1) * batch * hidden)..<(frames * batch * hidden)])
    let e = model.embeddingSize
    var embeddings = [Float](repeating: 0, count: batch * e)
    for b in 0..<batch {
      for k in 0..<e { embeddings[b * e + k] = model.linearBias[k] }
    }
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(e), Int32(hidden), 1, last, Int32(hidden),
      model.linearWeights, Int32(hidden), 1, &embeddings, Int32(e))
    for b in 0..<batch {
      var norm: Float = 0
      for k in 0..<e {
        embeddings[b * e + k] = max(0, embeddings[b * e + k])
        norm += embeddings[b * e + k] * embeddings[b * e + k]
      }
      norm = norm.squareRoot()
      if norm > 0 { for k in 0..<e { embeddings[b * e + k] /= norm } }
    }
    return embeddings
  }

  /// One LSTM step for `batch` rows: gates (i, f, g, o pre-activations, 4 × size per row) → cell and hidden.
  @inline(__always)
  static func step(
    gates: UnsafeMutablePointer<Float>, cell: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>,
    batch: Int, size: Int
  ) {
    for b in 0..<batch {
      let g = gates + b * 4 * size
      let c = cell + b * size
      let h = hidden + b * size
      for j in 0..<size {
        let input = sigmoid(g[j]), forget = sigmoid(g[size + j])
        let candidate = tanhf(g[2 * size + j]), out = sigmoid(g[3 * size + j])
        let next = forget * c[j] + input * candidate
        c[j] = next
        h[j] = out * tanhf(next)
      }
    }
  }

  @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}
