#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one level meter of ExamKit: ingest's flags, the scorer's level features and proctoring's level incidents
/// all come from it, so they cannot contradict each other on the same answer.
///
/// Feed it mono samples in [-1, 1] (the stored 16 kHz signal) in blocks of any size, then read `measurement`.
/// Memory is constant: a 0.1 dB histogram of 20 ms frame levels and a 10 ms look-back.
///
/// The definitions (each constant below is the only place its number lives):
/// - **Clipping.** A sample clips when |x| ≥ `clipLevel` (0.99, −0.09 dBFS: 16-bit full scale, and clipped
///   plateaus after resampling). A recording clips when more than `clippedFractionLimit` (0.2 %) of its
///   samples do.
/// - **Zero runs.** A digital zero is |x| < `zeroLevel` (2⁻¹⁶, half a 16-bit step, so it is exactly 0 once stored
///   as 16-bit). A zero run is at least `zeroRunSeconds` (20 ms) of consecutive digital zeros. A dropout is a
///   zero run that cuts sound off (peak above `soundLevel`, −50 dBFS, in the 10 ms before it) and is followed by
///   more samples; a recording of nothing but digital zeros is `allZero`.
/// - **Silence.** Levels are RMS of 20 ms frames in dBFS; a frame is active when louder than `activeLevelDb`
///   (−40 dBFS). A recording is silent when fewer than `minimumActiveFraction` (3 %) of its frames are active, or
///   when its loudest 5 % of frames are less than `minimumDynamicRangeDb` (8 dB) above its quietest 10 % (the
///   noise floor): steady hum or noise with nothing above it.
public struct LevelMeter: Sendable {
  /// |x| at or above this is a clipped sample.
  public static let clipLevel: Float = 0.99
  /// Share of clipped samples above which a recording clips.
  public static let clippedFractionLimit = 0.002
  /// |x| below this is a digital zero.
  public static let zeroLevel: Float = 1.0 / 65_536.0
  /// s, shortest zero run.
  public static let zeroRunSeconds = 0.02
  /// Peak (full scale) in the 10 ms before a zero run above which the run cuts sound off (−50 dBFS).
  public static let soundLevel: Float = 0.003
  /// s of a level frame.
  public static let frameSeconds = 0.02
  /// dBFS above which a frame is active.
  public static let activeLevelDb = -40.0
  /// Share of active frames under which a recording is silent.
  public static let minimumActiveFraction = 0.03
  /// dB between the 95th and 10th percentile of frame levels under which a recording is silent.
  public static let minimumDynamicRangeDb = 8.0

  /// Hz of the samples.
  public let sampleRate: Int
  private let minimumZeroRun: Int
  private let frameLength: Int
  private let lookBack: Int

  private var count = 0
  private var sum = 0.0
  private var sumSquares = 0.0
  private var frameSum: Float = 0
  private var frameSquares: Float = 0
  private var peak: Float = 0
  private var clipped = 0
  private var zeroRun = 0
  private var zeroRuns = 0
  private var longestZeroRun = 0
  private var dropouts = 0
  private var longestDropout = 0
  /// Index of the last sample louder than `soundLevel`.
  private var lastSound = Int.min / 2
  private var frameFill = 0
  private var activeFrames = 0
  /// Frames per 0.1 dB of level, index 0 = −150 dBFS or below, 1500 = 0 dBFS or above.
  private var histogram = [Int](repeating: 0, count: 1_501)
  private var frames = 0

  public init(sampleRate: Int) {
    self.sampleRate = max(1, sampleRate)
    minimumZeroRun = max(1, Int((Self.zeroRunSeconds * Double(self.sampleRate)).rounded()))
    frameLength = max(1, Int((Self.frameSeconds * Double(self.sampleRate)).rounded()))
    lookBack = max(1, self.sampleRate / 100)
  }

  /// Measures a whole signal at once.
  public static func measure(_ samples: UnsafeBufferPointer<Float>, sampleRate: Int) -> LevelMeasurement {
    var meter = LevelMeter(sampleRate: sampleRate)
    meter.observe(samples)
    return meter.measurement
  }

  /// Measures a whole signal at once.
  public static func measure(_ samples: [Float], sampleRate: Int) -> LevelMeasurement {
    samples.withUnsafeBufferPointer { measure($0, sampleRate: sampleRate) }
  }

  /// Adds the next block of samples.
  public mutating func observe(_ block: UnsafeBufferPointer<Float>) {
    var i = 0
    while i < block.count {
      // One level frame (or the part of it in this block) at a time: its sums run in Float, in the same order
      // whatever the blocks, and reach the Double totals when the frame closes.
      let end = min(block.count, i + frameLength - frameFill)
      var frameSum = self.frameSum
      var frameSquares = self.frameSquares
      var peak = self.peak
      var clipped = 0
      var lastSound = self.lastSound
      let base = count - i
      for j in i..<end {
        let x = block[j]
        let magnitude = abs(x)
        frameSum += x
        frameSquares += x * x
        peak = max(peak, magnitude)
        clipped &+= magnitude >= Self.clipLevel ? 1 : 0
        if magnitude < Self.zeroLevel {
          zeroRun += 1
        } else {
          if zeroRun > 0 {
            count = base + j
            self.lastSound = lastSound
            endZeroRun(followedBySound: true)
          }
          lastSound = magnitude > Self.soundLevel ? base + j : lastSound
        }
      }
      self.frameSum = frameSum
      self.frameSquares = frameSquares
      self.peak = peak
      self.clipped += clipped
      self.lastSound = lastSound
      frameFill += end - i
      count = base + end
      if frameFill == frameLength { closeFrame() }
      i = end
    }
  }

  /// Adds the next block of samples.
  public mutating func observe(_ block: [Float]) {
    block.withUnsafeBufferPointer { observe($0) }
  }

  private mutating func endZeroRun(followedBySound: Bool) {
    guard zeroRun > 0 else { return }
    if zeroRun >= minimumZeroRun {
      zeroRuns += 1
      longestZeroRun = max(longestZeroRun, zeroRun)
      // A dropout interrupts sound: sound within 10 ms before it, and more samples after it.
      if followedBySound && count - zeroRun - lastSound <= lookBack {
        dropouts += 1
        longestDropout = max(longestDropout, zeroRun)
      }
    }
    zeroRun = 0
  }

  private mutating func closeFrame() {
    sum += Double(frameSum)
    sumSquares += Double(frameSquares)
    let meanSquare = Double(frameSquares) / Double(max(frameFill, 1))
    let db = meanSquare > 0 ? 10 * log10(meanSquare) : -150
    if db > Self.activeLevelDb { activeFrames += 1 }
    histogram[max(0, min(1_500, Int(((db + 150) * 10).rounded())))] += 1
    frames += 1
    frameSum = 0
    frameSquares = 0
    frameFill = 0
  }

  /// Level (dBFS, to 0.1 dB) of the frame of rank ⌈`fraction` × frames⌉ from the quietest.
  private func percentile(_ fraction: Double) -> Double {
    guard frames > 0 else { return -150 }
    let target = max(1, Int((Double(frames) * fraction).rounded(.up)))
    var seen = 0
    for (i, n) in histogram.enumerated() {
      seen += n
      if seen >= target { return Double(i) / 10 - 150 }
    }
    return 0
  }

  /// What was measured so far (a trailing frame at least half full counts; a trailing zero run counts as a run
  /// but not as a dropout).
  public var measurement: LevelMeasurement {
    var meter = self
    if meter.frameFill * 2 >= meter.frameLength {
      meter.closeFrame()
    } else {  // too short to be a level frame, but its samples count
      meter.sum += Double(meter.frameSum)
      meter.sumSquares += Double(meter.frameSquares)
    }
    meter.endZeroRun(followedBySound: false)
    let n = Double(max(meter.count, 1))
    let rate = Double(sampleRate)
    return LevelMeasurement(
      durationSeconds: Double(meter.count) / rate, rms: (meter.sumSquares / n).squareRoot(), peak: Double(meter.peak),
      dcOffset: meter.sum / n, clippedFraction: Double(meter.clipped) / n, allZero: meter.peak < Self.zeroLevel,
      zeroRunCount: meter.zeroRuns, zeroRunLongestSeconds: Double(meter.longestZeroRun) / rate,
      dropoutCount: meter.dropouts, longestDropoutSeconds: Double(meter.longestDropout) / rate,
      activeFraction: meter.frames > 0 ? Double(meter.activeFrames) / Double(meter.frames) : 0,
      noiseFloorDb: meter.percentile(0.10), loudDb: meter.percentile(0.95))
  }
}

/// What `LevelMeter` measured on one recording, and the verdicts of its definitions.
public struct LevelMeasurement: Sendable, Codable, Equatable {
  /// s of samples measured.
  public var durationSeconds: Double
  /// RMS over all samples (full scale = 1).
  public var rms: Double
  /// Largest |sample|.
  public var peak: Double
  /// Mean sample value.
  public var dcOffset: Double
  /// Share of samples with |x| ≥ `LevelMeter.clipLevel`.
  public var clippedFraction: Double
  /// Every sample is a digital zero (a dead input).
  public var allZero: Bool
  /// Runs of digital zeros lasting at least `LevelMeter.zeroRunSeconds`, anywhere.
  public var zeroRunCount: Int
  /// s, the longest such run (0 when none).
  public var zeroRunLongestSeconds: Double
  /// Zero runs that cut sound off and are followed by more samples: dropped buffers.
  public var dropoutCount: Int
  /// s, the longest dropout (0 when none).
  public var longestDropoutSeconds: Double
  /// Share of 20 ms frames louder than `LevelMeter.activeLevelDb`.
  public var activeFraction: Double
  /// dBFS, 10th percentile of 20 ms frame levels: the room's noise floor (−150 for digital silence).
  public var noiseFloorDb: Double
  /// dBFS, 95th percentile of 20 ms frame levels.
  public var loudDb: Double

  public init(
    durationSeconds: Double, rms: Double, peak: Double, dcOffset: Double, clippedFraction: Double, allZero: Bool,
    zeroRunCount: Int, zeroRunLongestSeconds: Double, dropoutCount: Int, longestDropoutSeconds: Double,
    activeFraction: Double, noiseFloorDb: Double, loudDb: Double
  ) {
    self.durationSeconds = durationSeconds
    self.rms = rms
    self.peak = peak
    self.dcOffset = dcOffset
    self.clippedFraction = clippedFraction
    self.allZero = allZero
    self.zeroRunCount = zeroRunCount
    self.zeroRunLongestSeconds = zeroRunLongestSeconds
    self.dropoutCount = dropoutCount
    self.longestDropoutSeconds = longestDropoutSeconds
    self.activeFraction = activeFraction
    self.noiseFloorDb = noiseFloorDb
    self.loudDb = loudDb
  }

  /// More than `LevelMeter.clippedFractionLimit` of the samples clip.
  public var isClipped: Bool { clippedFraction > LevelMeter.clippedFractionLimit }
  /// At least one zero run.
  public var hasZeroRun: Bool { zeroRunCount > 0 }
  /// Fewer than `LevelMeter.minimumActiveFraction` of the frames are active, or nothing rises
  /// `LevelMeter.minimumDynamicRangeDb` above the noise floor.
  public var isSilent: Bool { activeFraction < LevelMeter.minimumActiveFraction || isSteady }
  /// The loudest frames are less than `LevelMeter.minimumDynamicRangeDb` above the noise floor (hum, steady noise,
  /// digital silence).
  public var isSteady: Bool { loudDb - noiseFloorDb < LevelMeter.minimumDynamicRangeDb }
}
