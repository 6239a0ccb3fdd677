/// Whole-signal levels: RMS, peak, DC offset, clipping and runs of digital zeros, in one pass.
struct LevelStatistics {
  var rms: Double = 0
  var peak: Double = 0
  var mean: Double = 0
  var clippedSamples = 0
  var zeroRunCount = 0
  var zeroRunLongest = 0

  /// |x| at or above this is counted as clipped (16-bit full scale).
  static let fullScale: Float = 32_767.0 / 32_768.0
  /// |x| below this is a digital zero (half a 16-bit step, so resampled zeros still count).
  static let zeroLevel: Float = 1.0 / 65_536.0

  /// - Parameter minimumZeroRun: samples a zero run must last to count.
  init(_ samples: UnsafeBufferPointer<Float>, minimumZeroRun: Int) {
    guard !samples.isEmpty else { return }
    var sum = 0.0
    var sumSquares = 0.0
    var peak: Float = 0
    var clipped = 0
    var run = 0
    var runs = 0
    var longest = 0
    for x in samples {
      let value = Double(x)
      sum += value
      sumSquares += value * value
      let magnitude = abs(x)
      if magnitude > peak { peak = magnitude }
      if magnitude >= Self.fullScale - 1e-7 { clipped += 1 }
      if magnitude < Self.zeroLevel {
        run += 1
      } else {
        if run >= minimumZeroRun {
          runs += 1
          longest = max(longest, run)
        }
        run = 0
      }
    }
    if run >= minimumZeroRun {
      runs += 1
      longest = max(longest, run)
    }
    let n = Double(samples.count)
    rms = (sumSquares / n).squareRoot()
    self.peak = Double(peak)
    mean = sum / n
    clippedSamples = clipped
    zeroRunCount = runs
    zeroRunLongest = longest
  }
}
