/// How closely an answer follows a reference reading: banded DTW over normalised MFCCs (c1–c12 and deltas)
/// of the speech stretch of each (first to last speech frame).
struct ReferenceSimilarity {
  var distance: Double?
  var coverage: Double?
  var f0Correlation: Double?

  init(answer: SpeechAnalyzer.Measurement, reference: SpeechAnalyzer.Measurement, configuration: AnalyzerConfiguration)
  {
    guard let a = ReferenceSimilarity.trimmed(answer), let b = ReferenceSimilarity.trimmed(reference) else { return }
    let full = 2 * (SpectralFrames.coefficients - 1)
    let dimension = configuration.dtwDeltas ? full : full / 2
    let x = ReferenceSimilarity.select(
      ReferenceSimilarity.normalisedFeatures(answer.frames, range: a), from: full, keep: dimension)
    let y = ReferenceSimilarity.select(
      ReferenceSimilarity.normalisedFeatures(reference.frames, range: b), from: full, keep: dimension)
    let band = Int((configuration.dtwBandFraction * Double(max(a.count, b.count))).rounded(.up))
    let dtw = BandedDTW(x, y, dimension: dimension, band: band)
    guard dtw.distance.isFinite else { return }
    distance = dtw.distance
    // Coverage: reference frames whose closest aligned answer frame is within `coverageDistance`.
    var best = [Float](repeating: .infinity, count: b.count)
    for (step, d) in zip(dtw.path, dtw.stepDistances) { best[step.1] = min(best[step.1], d) }
    var covered = 0
    var speechFrames = 0
    for j in 0..<b.count where reference.speech[b.lowerBound + j] {
      speechFrames += 1
      if best[j] <= Float(configuration.coverageDistance) { covered += 1 }
    }
    coverage = speechFrames > 0 ? Double(covered) / Double(speechFrames) : 0
    var fa: [Double] = []
    var fb: [Double] = []
    for (i, j) in dtw.path {
      let f1 = answer.f0[a.lowerBound + i]
      let f2 = reference.f0[b.lowerBound + j]
      if f1 > 0 && f2 > 0 {
        fa.append(12 * log2(Double(f1)))
        fb.append(12 * log2(Double(f2)))
      }
    }
    if fa.count >= 10 { f0Correlation = Statistics.pearson(fa, fb) }
  }

  /// The first `keep` of every `from` values (c1–c12 without their deltas when `keep` is half).
  static func select(_ values: [Float], from: Int, keep: Int) -> [Float] {
    guard keep < from else { return values }
    var out: [Float] = []
    out.reserveCapacity(values.count / from * keep)
    for row in 0..<(values.count / from) { out += values[(row * from)..<(row * from + keep)] }
    return out
  }

  static func trimmed(_ m: SpeechAnalyzer.Measurement) -> Range<Int>? {
    guard let first = m.speech.firstIndex(of: true), let last = m.speech.lastIndex(of: true) else { return nil }
    return first..<(last + 1)
  }

  /// c1–c12 and their deltas over `range`, each dimension normalised to zero mean and unit variance.
  static func normalisedFeatures(_ frames: SpectralFrames, range: Range<Int>) -> [Float] {
    let nc = SpectralFrames.coefficients
    let d = 2 * (nc - 1)
    var out = [Float](repeating: 0, count: range.count * d)
    for (row, i) in range.enumerated() {
      for k in 1..<nc {
        out[row * d + k - 1] = frames.mfcc[i * nc + k]
        out[row * d + nc - 2 + k] = frames.deltas[i * nc + k]
      }
    }
    let n = Float(range.count)
    for k in 0..<d {
      var mean: Float = 0
      for row in 0..<range.count { mean += out[row * d + k] }
      mean /= n
      var variance: Float = 0
      for row in 0..<range.count {
        let x = out[row * d + k] - mean
        variance += x * x
      }
      let scale = 1 / max((variance / n).squareRoot(), 1e-3)
      for row in 0..<range.count { out[row * d + k] = (out[row * d + k] - mean) * scale }
    }
    return out
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
