internal import CLSTMKernels
internal import COpenBLAS

/// The encoder network on a batch of partial utterances: the LSTM stack (PyTorch's equations, gates i, f, g, o),
/// the last layer's final hidden state through the linear layer and ReLU, L2-normalised.
///
/// Where the time goes and how it is kept down (docs/benchmarks.md, "speaker embeddings"):
/// - the first layer's input projection (+ nothing else) depends on the mel frame alone, not on the partial: it is
///   one `cblas_sgemm` over the distinct frames, and partials that overlap (resemblyzer's 1.6 s windows every
///   0.77 s) read the same rows;
/// - the recurrence is one B × H by H × 4H product per time step for all B partials of the batch (of one answer or
///   of many), so each read of the recurrent weights serves B partials; the weights are kept transposed (H × 4H),
///   the layout OpenBLAS packs fastest;
/// - the higher layers' input projections are one product per chunk of `chunkFrames` steps of all partials (M =
///   chunk × B rows), so the gates of a chunk stay in cache;
/// - the activations run 8 lanes at a time in C (`CLSTMKernels`); every buffer is allocated once per call.
/// OpenBLAS runs on the calling thread (`openblas_set_num_threads(1)`): ExamKit's tasks are the parallelism, and
/// "× real time per core" means one core.
enum LSTMForward {
  /// OpenBLAS starts its own thread pool by default; ExamKit's tasks are the parallelism, so one thread each.
  static let singleThreaded: Void = { openblas_set_num_threads(1) }()
  /// Time steps whose input projections (layers after the first) are one product.
  static let chunkFrames = 16

  /// - Parameters:
  ///   - mels: `batch` partials of `model.partialFrames` frames × `model.melBands`, partial-major.
  /// - Returns: `batch` embeddings of `model.embeddingSize`, row-major, each of unit length (or zero).
  static func embed(_ mels: [Float], batch: Int, model: SpeakerEncoderModel) -> [Float] {
    precondition(mels.count == batch * model.partialFrames * model.melBands)
    return embed(frames: mels, starts: (0..<batch).map { $0 * model.partialFrames }, model: model)
  }

  /// - Parameters:
  ///   - frames: distinct mel frames (`model.melBands` values each), e.g. every frame of one or more answers.
  ///   - starts: each partial's first frame in `frames`; a partial is the `model.partialFrames` frames from there.
  /// - Returns: one embedding of `model.embeddingSize` per partial, row-major, each of unit length (or zero).
  static func embed(frames: [Float], starts: [Int], model: SpeakerEncoderModel) -> [Float] {
    _ = singleThreaded
    let batch = starts.count
    guard batch > 0 else { return [] }
    let steps = model.partialFrames, bands = model.melBands, hidden = model.hiddenSize
    let gateCount = 4 * hidden, layerCount = model.layers.count
    let frameCount = frames.count / bands
    precondition(frames.count == frameCount * bands && starts.allSatisfy { $0 >= 0 && $0 + steps <= frameCount })
    // The first layer's input projection of every distinct frame (its bias is added with the activation).
    var firstProjection = [Float](repeating: 0, count: frameCount * gateCount)
    let first = model.layers[0]
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(frameCount), Int32(gateCount), Int32(bands), 1, frames,
      Int32(bands), first.inputWeightsTransposed, Int32(gateCount), 0, &firstProjection, Int32(gateCount))
    let chunk = min(chunkFrames, steps)
    // A chunk's gates (row t·B + b), its outputs (the next layer's inputs), each layer's state.
    var gates = [Float](repeating: 0, count: chunk * batch * gateCount)
    var outputs = [Float](repeating: 0, count: chunk * batch * hidden)
    var states = [Float](repeating: 0, count: layerCount * batch * hidden)
    var cells = [Float](repeating: 0, count: layerCount * batch * hidden)
    gates.withUnsafeMutableBufferPointer { g in
      outputs.withUnsafeMutableBufferPointer { out in
        states.withUnsafeMutableBufferPointer { h in
          cells.withUnsafeMutableBufferPointer { c in
            firstProjection.withUnsafeBufferPointer { projection in
              let g = g.baseAddress!, out = out.baseAddress!, projection = projection.baseAddress!
              for t0 in stride(from: 0, to: steps, by: chunk) {
                let length = min(chunk, steps - t0)
                for (l, layer) in model.layers.enumerated() {
                  if l == 0 {
                    for t in 0..<length {
                      for (b, start) in starts.enumerated() {
                        (g + (t * batch + b) * gateCount).update(
                          from: projection + (start + t0 + t) * gateCount, count: gateCount)
                      }
                    }
                  } else {
                    // gates = the layer below's outputs of this chunk · W_ihᵀ (M = chunk × B).
                    layer.inputWeightsTransposed.withUnsafeBufferPointer { w in
                      cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length * batch), Int32(gateCount),
                        Int32(hidden), 1, out, Int32(hidden), w.baseAddress!, Int32(gateCount), 0, g, Int32(gateCount))
                    }
                  }
                  let state = h.baseAddress! + l * batch * hidden, cell = c.baseAddress! + l * batch * hidden
                  layer.recurrentWeightsTransposed.withUnsafeBufferPointer { w in
                    layer.bias.withUnsafeBufferPointer { bias in
                      for t in 0..<length {
                        let gt = g + t * batch * gateCount
                        if t0 + t > 0 {
                          // gates_t += h_{t-1} · W_hhᵀ, all partials at once.
                          cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(gateCount), Int32(hidden),
                            1, state, Int32(hidden), w.baseAddress!, Int32(gateCount), 1, gt, Int32(gateCount))
                        }
                        examkit_lstm_activate(
                          gt, bias.baseAddress!, cell, state, out + t * batch * hidden, Int32(batch), Int32(hidden))
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    // The last layer's final hidden states through the linear layer, ReLU, L2 norm.
    let e = model.embeddingSize
    var embeddings = [Float](repeating: 0, count: batch * e)
    for b in 0..<batch {
      for k in 0..<e { embeddings[b * e + k] = model.linearBias[k] }
    }
    states.withUnsafeBufferPointer { h in
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(e), Int32(hidden), 1,
        h.baseAddress! + (layerCount - 1) * batch * hidden, Int32(hidden), model.linearWeights, Int32(hidden), 1,
        &embeddings, Int32(e))
    }
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
}
