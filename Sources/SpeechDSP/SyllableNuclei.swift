#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Syllable nuclei in the manner of de Jong & Wempe (2009): peaks of the (smoothed) intensity contour that
/// stand out from their surroundings, inside voiced speech.
///
/// The contour is the speech-band (300–3400 Hz) energy envelope per 10 ms frame (`SpectralFrames.nucleusDB`:
/// the mean cross-band amplitude product of its sub-bands), lowered by `unvoicedPenalty` dB where there is no
/// F0 (voicing and intensity judged jointly), smoothed by a Gaussian of `intensitySmoothing` frames. A local
/// maximum is a nucleus when it is (a) within `syllableDynamicRange` dB of the contour's 99th percentile and
/// within `syllableLocalRange` dB of the highest point within ±`syllableLocalWindow` s (a local dynamic range),
/// (b) prominent: at least `syllableMinimumDip` dB above the higher of the two lowest points separating it from
/// the nearest higher contour on each side (topographic prominence, which judges each peak against both
/// neighbours where the original script looks only at the next peak), and (c) in a speech frame with F0 within
/// a frame of it; of two nuclei closer than `syllableMinimumGap`, the louder is kept.
enum SyllableNuclei {
  /// Frame indices of the nuclei.
  static func find(
    intensityDB: [Double], speech: [Bool], f0: [Float], configuration c: AnalyzerConfiguration
  ) -> [Int] {
    let n = intensityDB.count
    guard n >= 3 else { return [] }
    var raw = intensityDB
    if c.unvoicedPenalty > 0 {
      for i in 0..<n where f0[i] <= 0 { raw[i] -= c.unvoicedPenalty }
    }
    let contour = smooth(raw, sigma: c.intensitySmoothing)
    let threshold = Statistics.quantile(sorted: contour.sorted(), 0.99) - c.syllableDynamicRange
    let reach = max(0, Int((c.syllableLocalWindow / c.frameStep).rounded()))
    var peaks: [Int] = []
    for i in 1..<(n - 1) where contour[i] > contour[i - 1] && contour[i] >= contour[i + 1] && contour[i] > threshold {
      var localMax = contour[i]
      for j in max(0, i - reach)...min(n - 1, i + reach) { localMax = max(localMax, contour[j]) }
      if contour[i] >= localMax - c.syllableLocalRange { peaks.append(i) }
    }
    var nuclei: [Int] = []
    for i in peaks {
      let height = contour[i]
      var leftBase = height
      var j = i - 1
      while j >= 0 && contour[j] < height {  // an equal peak to the left counts as higher: one nucleus per plateau
        leftBase = min(leftBase, contour[j])
        j -= 1
      }
      var rightBase = height
      j = i + 1
      while j < n && contour[j] <= height {
        rightBase = min(rightBase, contour[j])
        j += 1
      }
      let prominence = height - max(leftBase, rightBase)
      guard prominence >= c.syllableMinimumDip, speech[i] else { continue }
      let voiced = (max(0, i - 1)...min(n - 1, i + 1)).contains { f0[$0] > 0 }
      guard voiced else { continue }
      // Two nuclei closer than the minimum gap are one syllable: keep the louder.
      if let last = nuclei.last, Double(i - last) * c.frameStep < c.syllableMinimumGap {
        if contour[i] > contour[last] { nuclei[nuclei.count - 1] = i }
      } else {
        nuclei.append(i)
      }
    }
    return nuclei
  }

  /// Gaussian smoothing with edges clamped.
  static func smooth(_ values: [Double], sigma: Double) -> [Double] {
    guard sigma > 0 else { return values }
    let radius = Int((3 * sigma).rounded(.up))
    let kernel = (-radius...radius).map { exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
    let total = kernel.reduce(0, +)
    let n = values.count
    var out = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var sum = 0.0
      for k in -radius...radius {
        let j = min(n - 1, max(0, i + k))
        sum += kernel[k + radius] * values[j]
      }
      out[i] = sum / total
    }
    return out
  }
}
