#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Measures, while a recording streams through, what makes it "accepted but flagged": silence, clipping and
/// runs of digital zeros. Memory is constant (a 1 dB histogram of 20 ms frame levels).
struct SignalMeter {
  /// Hz of the source blocks.
  let sourceRate: Int
  /// Samples in a frame of the 16 kHz output (20 ms).
  static let frameSamples = 320
  /// A zero run at least this long (seconds) is flagged.
  static let zeroRunSeconds = 0.1
  /// Magnitude at or above which identical consecutive samples count as a clipped plateau.
  static let clipLevel: Float = 0.98
  /// Clipped plateaus (≥ 3 equal samples at `clipLevel`) needed to flag a recording.
  static let clippedRunsToFlag = 3

  private(set) var longestZeroRun = 0
  private var zeroRun = 0
  private var plateauValue: Float = 0
  private var plateauLength = 0
  private(set) var clippedRuns = 0
  private var frameEnergy: Double = 0
  private var frameFill = 0
  /// Count of 20 ms frames per level in dBFS, index 0 = -120 dB or below, 120 = 0 dB.
  private var histogram = [Int](repeating: 0, count: 121)
  private(set) var frames = 0

  init(sourceRate: Int) { self.sourceRate = sourceRate }

  /// Mono samples at the file's own rate.
  mutating func observeSource(_ block: UnsafeBufferPointer<Float>) {
    for x in block {
      if x == 0 {
        zeroRun += 1
      } else {
        if zeroRun > longestZeroRun { longestZeroRun = zeroRun }
        zeroRun = 0
      }
      if abs(x) >= Self.clipLevel && x == plateauValue {
        plateauLength += 1
        if plateauLength == 3 { clippedRuns += 1 }
      } else {
        plateauValue = x
        plateauLength = 1
      }
    }
  }

  /// Mono samples at 16 kHz (the stored rate).
  mutating func observeOutput(_ block: [Float]) {
    for x in block {
      frameEnergy += Double(x * x)
      frameFill += 1
      if frameFill == Self.frameSamples { closeFrame() }
    }
  }

  private mutating func closeFrame() {
    let rms = (frameEnergy / Double(max(frameFill, 1))).squareRoot()
    let db = rms > 0 ? 20 * log10(rms) : -120
    histogram[max(0, min(120, Int(db.rounded()) + 120))] += 1
    frames += 1
    frameEnergy = 0
    frameFill = 0
  }

  /// Level (dBFS) below which `fraction` of the frames lie.
  func percentile(_ fraction: Double) -> Double {
    guard frames > 0 else { return -120 }
    let target = Int((Double(frames) * fraction).rounded(.up))
    var seen = 0
    for (i, n) in histogram.enumerated() {
      seen += n
      if seen >= max(target, 1) { return Double(i - 120) }
    }
    return 0
  }

  /// The flags this recording earns. Silent: the loudest 5 % of frames are under -45 dBFS, or less than 8 dB
  /// above the quietest 10 % (no activity above the floor: silence, hum or steady noise).
  mutating func flags() -> [RecordingFlag] {
    if frameFill > Self.frameSamples / 2 { closeFrame() }
    if zeroRun > longestZeroRun { longestZeroRun = zeroRun }
    var flags: [RecordingFlag] = []
    let loud = percentile(0.95)
    let floor = percentile(0.10)
    if loud < -45 || loud - floor < 8 { flags.append(.silent) }
    if clippedRuns >= Self.clippedRunsToFlag { flags.append(.clipped) }
    if Double(longestZeroRun) >= Self.zeroRunSeconds * Double(sourceRate) { flags.append(.zeroRun) }
    return flags
  }
}
