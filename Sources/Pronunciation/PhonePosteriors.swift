internal import COpenBLAS
import Foundation

/// OpenBLAS on the calling thread: the scorer's tasks are the parallelism.
enum BLASThreads {
  static let singleThreaded: Void = { openblas_set_num_threads(1) }()
}

/// Every frame scored against every base phone of the model: per frame and phone, the log likelihood of the
/// phone's best senone (natural log). From these a frame's posterior over phones, and per aligned phone the
/// evidence Kaldi's GOP recipe and GOPT build on: the log posterior of the canonical phone (LPP), its margin over
/// the best other phone (LPR), and which phone the frames fit best (what a free phone loop would have found).
struct PhonePosteriors {
  /// The model's base phones (`SenoneModel.phones`).
  let phones: [String]
  var phoneCount: Int { phones.count }
  /// Per frame of the features, its row in `scores`, or −1 when the frame was not asked for.
  private let rowOfFrame: [Int32]
  /// [row][phone] best-state log likelihoods.
  private let scores: [Float]
  /// [row] log Σ exp over the phones: the normaliser of the frame's posterior.
  private let normalisers: [Float]

  /// Scores the frames in `selected` (ascending, distinct indices into `features`, the model's front end output:
  /// `streams × streamLength` values per frame) in blocks of `blockFrames`: one matrix product per stream scores
  /// a block against every Gaussian; each state then takes its codebook's `SenoneModel.topGaussians` best
  /// Gaussians per stream and the best weighted one among them (a Viterbi approximation of the mixture's sum, as
  /// most decoders score), and a phone its best state.
  init(features: [Float], frameCount: Int, selected: [Int], model: SenoneModel, blockFrames: Int = 64) {
    let streams = model.streams
    let length = model.streamLength
    precondition(features.count == frameCount * streams * length, "features do not fit the model's streams")
    precondition(selected.allSatisfy { $0 >= 0 && $0 < frameCount }, "a selected frame is out of range")
    let phoneCount = model.codebooks
    phones = model.phones
    var rowOfFrame = [Int32](repeating: -1, count: frameCount)
    for (row, frame) in selected.enumerated() { rowOfFrame[frame] = Int32(row) }
    self.rowOfFrame = rowOfFrame
    BLASThreads.singleThreaded
    let top = SenoneModel.topGaussians
    let densities = model.densities
    let gaussians = model.codebooks * densities
    let width = 2 * length + 1
    let rows = selected.count
    var scores = [Float](repeating: -.infinity, count: rows * phoneCount)
    var inputs = [Float](repeating: 1, count: blockFrames * width)
    var densityScores = [Float](repeating: 0, count: blockFrames * gaussians)
    // Per frame of the block, codebook and stream: the best Gaussians' log densities and indices.
    var bestValues = [SIMD4<Float>](repeating: .zero, count: blockFrames * phoneCount * streams)
    var bestIndices = [SIMD4<Int32>](repeating: .zero, count: blockFrames * phoneCount * streams)
    precondition(top == 4, "the best Gaussians are kept in SIMD4 lanes")
    for blockStart in stride(from: 0, to: rows, by: blockFrames) {
      let count = min(blockFrames, rows - blockStart)
      for stream in 0..<streams {
        for row in 0..<count {
          let source = (selected[blockStart + row] * streams + stream) * length
          for d in 0..<length {
            let x = features[source + d]
            inputs[row * width + d] = x * x
            inputs[row * width + length + d] = x
          }
        }
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(gaussians), Int32(width), 1, inputs,
          Int32(width), model.expandedGaussians[stream], Int32(width), 0, &densityScores, Int32(gaussians))
        densityScores.withUnsafeBufferPointer { values in
          bestValues.withUnsafeMutableBufferPointer { bestValues in
            bestIndices.withUnsafeMutableBufferPointer { bestIndices in
              for row in 0..<count {
                for codebook in 0..<phoneCount {
                  var topValues = SIMD4<Float>(repeating: -.infinity)
                  var topIndices = SIMD4<Int32>(repeating: 0)
                  let first = row * gaussians + codebook * densities
                  for density in 0..<densities {
                    let value = values[first + density]
                    guard value > topValues[3] else { continue }
                    var k = 3
                    while k > 0 && topValues[k - 1] < value {
                      topValues[k] = topValues[k - 1]
                      topIndices[k] = topIndices[k - 1]
                      k -= 1
                    }
                    topValues[k] = value
                    topIndices[k] = Int32(density)
                  }
                  let slot = (row * phoneCount + codebook) * streams + stream
                  bestValues[slot] = topValues
                  bestIndices[slot] = topIndices
                }
              }
            }
          }
        }
      }
      for row in 0..<count {
        for phone in 0..<phoneCount {
          let weights = model.stateLogWeights[phone]
          var best = -Float.infinity
          for state in 0..<model.states {
            var total: Float = 0
            for stream in 0..<streams {
              let slot = (row * phoneCount + phone) * streams + stream
              let values = bestValues[slot]
              let indices = bestIndices[slot]
              let first = (state * streams + stream) * densities
              var streamBest = -Float.infinity
              for k in 0..<4 { streamBest = max(streamBest, weights[first + Int(indices[k])] + values[k]) }
              total += streamBest
            }
            best = max(best, total)
          }
          scores[(blockStart + row) * phoneCount + phone] = best
        }
      }
    }
    var normalisers = [Float](repeating: 0, count: rows)
    for row in 0..<rows {
      normalisers[row] = logSumExp(scores[row * phoneCount..<(row + 1) * phoneCount])
    }
    self.scores = scores
    self.normalisers = normalisers
  }

  /// What the frames `frames` say of `phone` (an index into `SenoneModel.phones`); frames that were not selected
  /// are left out. Nil when none of them was.
  func evidence(for phone: Int, frames: Range<Int>) -> PhoneEvidence? {
    guard phone >= 0, phone < phoneCount else { return nil }
    var logPosterior = 0.0
    var margin = 0.0
    var totals = [Double](repeating: 0, count: phoneCount)
    var count = 0
    for frame in frames.clamped(to: 0..<rowOfFrame.count) where rowOfFrame[frame] >= 0 {
      let row = Int(rowOfFrame[frame])
      let first = row * phoneCount
      let own = scores[first + phone]
      var bestOther = -Float.infinity
      for other in 0..<phoneCount {
        totals[other] += Double(scores[first + other] - normalisers[row])
        if other != phone { bestOther = max(bestOther, scores[first + other]) }
      }
      logPosterior += Double(own - normalisers[row])
      margin += Double(own - bestOther)
      count += 1
    }
    guard count > 0 else { return nil }
    let frames = Double(count)
    let likeliest = totals.indices.max { totals[$0] < totals[$1] } ?? phone
    return PhoneEvidence(
      logPosterior: logPosterior / frames, margin: margin / frames, likeliestPhone: phones[likeliest],
      meanLogPosteriors: totals.map { $0 / frames })
  }
}

/// What every-phone scoring says about one aligned phone's frames.
struct PhoneEvidence: Equatable {
  /// Mean over the frames of log P(canonical phone | frame), the phone posterior taken over the model's base
  /// phones (LPP; ≤ 0, nats).
  var logPosterior: Double
  /// Mean over the frames of the canonical phone's score minus the best other phone's (LPR against the nearest
  /// competitor; positive when the canonical phone wins).
  var margin: Double
  /// The phone with the highest summed posterior over the frames (one of `SenoneModel.phones`).
  var likeliestPhone: String
  var meanLogPosteriors: [Double]
}
