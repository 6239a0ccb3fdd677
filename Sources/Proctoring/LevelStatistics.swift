#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Level and device-fault measurements of one recording (16 kHz mono samples in [-1, 1]).
public struct LevelStatistics: Sendable, Codable, Equatable {
  public var durationSeconds: Double
  /// Largest |sample|.
  public var peak: Float
  /// Share of samples at full scale (|x| ≥ 0.99).
  public var clippedFraction: Double
  /// Every sample is exactly 0 (a dead input delivering digital zeros).
  public var allZero: Bool
  /// Runs of exact zeros of at least 20 ms cutting off sound (> -50 dBFS just before) and followed by more
  /// samples: dropped buffers.
  public var dropoutCount: Int
  public var longestDropoutSeconds: Double
  /// Share of 20 ms frames louder than -40 dBFS RMS (sound, most likely speech).
  public var activeFraction: Double
  /// 10th percentile of 20 ms frame RMS, dBFS: the room's noise floor.
  public var noiseFloorDb: Double

  /// Whether the `window` samples before `start` had sound (peak above -50 dBFS): a dropout cuts sound off,
  /// whereas a very quiet signal quantised to 16 bits also has runs of zeros.
  static func soundBefore(_ samples: UnsafeBufferPointer<Float>, _ start: Int, window: Int) -> Bool {
    var peak: Float = 0
    for i in max(0, start - window)..<max(0, start) { peak = max(peak, abs(samples[i])) }
    return peak > 0.003
  }

  /// Measures `samples` at `sampleRate` Hz.
  public init(samples: UnsafeBufferPointer<Float>, sampleRate: Int) {
    durationSeconds = Double(samples.count) / Double(max(sampleRate, 1))
    var peak: Float = 0
    var clipped = 0
    var nonZero = false
    var dropouts = 0
    var longest = 0
    var zeroRun = 0
    var seenSound = false
    let minRun = sampleRate / 50
    for (index, x) in samples.enumerated() {
      let a = abs(x)
      if a > peak { peak = a }
      if a >= 0.99 { clipped += 1 }
      if x == 0 {
        zeroRun += 1
      } else {
        if seenSound && zeroRun >= minRun && Self.soundBefore(samples, index - zeroRun, window: minRun / 2) {
          dropouts += 1
          longest = max(longest, zeroRun)
        }
        zeroRun = 0
        seenSound = true
        nonZero = true
      }
    }
    self.peak = peak
    clippedFraction = samples.isEmpty ? 0 : Double(clipped) / Double(samples.count)
    allZero = !nonZero
    dropoutCount = dropouts
    longestDropoutSeconds = Double(longest) / Double(max(sampleRate, 1))
    let frame = max(1, sampleRate / 50)
    var levels: [Double] = []
    var start = 0
    while start + frame <= samples.count {
      var sum: Double = 0
      for i in start..<(start + frame) { sum += Double(samples[i]) * Double(samples[i]) }
      levels.append(10 * log10(sum / Double(frame) + 1e-12))
      start += frame
    }
    activeFraction = levels.isEmpty ? 0 : Double(levels.filter { $0 > -40 }.count) / Double(levels.count)
    levels.sort()
    noiseFloorDb = levels.isEmpty ? -120 : levels[levels.count / 10]
  }
}
