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
  let phoneCount: Int
  let frameCount: Int
  /// [frame][phone] best-senone log likelihoods.
  private let scores: [Float]
  /// [frame] log Σ exp over the phones: the normaliser of the frame's posterior.
  private let normalisers: [Float]

  /// Scores `frameCount` frames of `features` (the model's front end output, `streams × streamLength` values per
  /// frame) in blocks of `blockFrames`: one matrix product per stream scores the block against every Gaussian;
  /// each state then takes its codebook's `SenoneModel.topGaussians` best Gaussians per stream and the best
  /// weighted one among them (a Viterbi approximation of the mixture's sum, as most decoders score), and a phone
  /// its best state.
  init(features: [Float], frameCount: Int, model: SenoneModel, blockFrames: Int = 256) {
    let streams = model.streams
    let length = model.streamLength
    let dimension = streams * length
    precondition(features.count == frameCount * dimension, "features do not fit the model's streams")
    let phoneCount = model.codebooks
    self.phoneCount = phoneCount
    self.frameCount = frameCount
    phones = model.phones
    BLASThreads.singleThreaded
    let top = SenoneModel.topGaussians
    let densities = model.densities
    let gaussians = model.codebooks * densities
    let width = 2 * length + 1
    var scores = [Float](repeating: -.infinity, count: frameCount * phoneCount)
    var inputs = [Float](repeating: 1, count: blockFrames * width)
    var densityScores = [Float](repeating: 0, count: blockFrames * gaussians)
    // Per frame of the block, codebook and stream the best Gaussians: (density index, log density).
    var bestIndex = [Int](repeating: 0, count: blockFrames * phoneCount * streams * top)
    var bestValue = [Float](repeating: 0, count: blockFrames * phoneCount * streams * top)
    for blockStart in stride(from: 0, to: frameCount, by: blockFrames) {
      let count = min(blockFrames, frameCount - blockStart)
      for stream in 0..<streams {
        for frame in 0..<count {
          let source = ((blockStart + frame) * streams + stream) * length
          for d in 0..<length {
            let x = features[source + d]
            inputs[frame * width + d] = x * x
            inputs[frame * width + length + d] = x
          }
        }
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasTrans, Int32(count), Int32(gaussians), Int32(width), 1, inputs,
          Int32(width), model.expandedGaussians[stream], Int32(width), 0, &densityScores, Int32(gaussians))
        densityScores.withUnsafeBufferPointer { values in
          for frame in 0..<count {
            for codebook in 0..<phoneCount {
              let slot = ((frame * phoneCount + codebook) * streams + stream) * top
              for k in 0..<top { bestValue[slot + k] = -.infinity }
              let first = frame * gaussians + codebook * densities
              for density in 0..<densities where values[first + density] > bestValue[slot + top - 1] {
                let value = values[first + density]
                var k = top - 1
                while k > 0 && bestValue[slot + k - 1] < value {
                  bestValue[slot + k] = bestValue[slot + k - 1]
                  bestIndex[slot + k] = bestIndex[slot + k - 1]
                  k -= 1
                }
                bestValue[slot + k] = value
                bestIndex[slot + k] = density
              }
            }
          }
        }
      }
      for frame in 0..<count {
        for phone in 0..<phoneCount {
          let weights = model.stateLogWeights[phone]
          var best = -Float.infinity
          for state in 0..<model.states {
            var total: Float = 0
            for stream in 0..<streams {
              let slot = ((frame * phoneCount + phone) * streams + stream) * top
              let row = (state * streams + stream) * densities
              var streamBest = -Float.infinity
              for k in 0..<top {
                streamBest = max(streamBest, weights[row + bestIndex[slot + k]] + bestValue[slot + k])
              }
              total += streamBest
            }
            best = max(best, total)
          }
          scores[(blockStart + frame) * phoneCount + phone] = best
        }
      }
    }
    var normalisers = [Float](repeating: 0, count: frameCount)
    for frame in 0..<frameCount {
      let row = frame * phoneCount
      let peak = scores[row..<row + phoneCount].max() ?? 0
      var sum: Float = 0
      for phone in 0..<phoneCount { sum += exp(scores[row + phone] - peak) }
      normalisers[frame] = peak + log(sum)
    }
    self.scores = scores
    self.normalisers = normalisers
  }

  /// What the frames `frames` say of `phone` (an index into `SenoneModel.phones`).
  func evidence(for phone: Int, frames: Range<Int>) -> PhoneEvidence? {
    let frames = frames.clamped(to: 0..<frameCount)
    guard !frames.isEmpty, phone >= 0, phone < phoneCount else { return nil }
    var logPosterior = 0.0
    var margin = 0.0
    var totals = [Double](repeating: 0, count: phoneCount)
    var framesOnTop = 0
    for frame in frames {
      let row = frame * phoneCount
      let own = scores[row + phone]
      var bestOther = -Float.infinity
      for other in 0..<phoneCount {
        totals[other] += Double(scores[row + other] - normalisers[frame])
        if other != phone { bestOther = max(bestOther, scores[row + other]) }
      }
      logPosterior += Double(own - normalisers[frame])
      margin += Double(own - bestOther)
      if own >= bestOther { framesOnTop += 1 }
    }
    let count = Double(frames.count)
    let likeliest = totals.indices.max { totals[$0] < totals[$1] } ?? phone
    return PhoneEvidence(
      logPosterior: logPosterior / count, margin: margin / count, shareOnTop: Double(framesOnTop) / count,
      likeliestPhone: phones[likeliest])
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
  /// Share of the frames on which the canonical phone scores best.
  var shareOnTop: Double
  /// The phone with the highest summed posterior over the frames (one of `SenoneModel.phones`).
  var likeliestPhone: String
}
