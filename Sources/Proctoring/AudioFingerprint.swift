import SpeechDSP

/// A Haitsma–Kalker style audio fingerprint: one 32-bit sub-fingerprint per 64 ms.
///
/// Each frame (256 ms, Hann window, hop 64 ms at 16 kHz) is cut into 33 logarithmically spaced bands
/// between 300 and 3400 Hz (the speech band, which survives telephone-grade re-encoding). Bit m of
/// sub-fingerprint n is the sign of (E[n,m] − E[n,m+1]) − (E[n−1,m] − E[n−1,m+1]): energy differences
/// across bands and time, so a gain change leaves every bit as it was and lossy coding flips only a few.
/// Frames quieter than -55 dBFS or 20 dB below the loudest frame are marked and not indexed: silence is
/// alike in every recording, and a pause's bits are mostly noise.
public struct AudioFingerprint: Sendable, Codable, Equatable {
  /// Sub-fingerprints, one per hop.
  public var frames: [UInt32]
  /// Whether each frame had sound (only these are indexed).
  public var loud: [Bool]

  public static let sampleRate = 16_000
  public static let frameLength = 4096
  public static let hopLength = 512
  public static let bandCount = 33

  public init(frames: [UInt32], loud: [Bool]) {
    self.frames = frames
    self.loud = loud
  }

  /// Computes the fingerprint of 16 kHz mono `samples`.
  init(samples: UnsafeBufferPointer<Float>, fft: RealFFT, window: [Float]) {
    precondition(fft.size == Self.frameLength)
    let edges = Self.bandEdges
    var power: [Float] = []
    var previous = [Float](repeating: 0, count: Self.bandCount)
    var energies = [Float](repeating: 0, count: Self.bandCount)
    var frames: [UInt32] = []
    var totals: [Float] = []
    var start = 0
    var first = true
    let minimumPower = Float(Self.frameLength) * pow(10, -55 / 10) * 0.375 * Float(Self.frameLength)
    while start + Self.frameLength <= samples.count {
      fft.powerSpectrum(
        UnsafeBufferPointer(rebasing: samples[start..<(start + Self.frameLength)]), window: window, into: &power)
      var total: Float = 0
      for m in 0..<Self.bandCount {
        var e: Float = 0
        for k in edges[m]..<edges[m + 1] { e += power[k] }
        energies[m] = e
        total += e
      }
      if !first {
        var bits: UInt32 = 0
        for m in 0..<32 {
          let d = (energies[m] - energies[m + 1]) - (previous[m] - previous[m + 1])
          if d > 0 { bits |= 1 << UInt32(m) }
        }
        frames.append(bits)
        totals.append(total)
      }
      first = false
      swap(&previous, &energies)
      start += Self.hopLength
    }
    self.frames = frames
    let threshold = max(minimumPower, (totals.max() ?? 0) * Self.relativeLoudness)
    self.loud = totals.map { $0 > threshold }
  }

  /// Frames more than 20 dB below the recording's loudest frame are not indexed (pauses carry noise bits).
  static let relativeLoudness: Float = 0.01

  /// FFT bin boundaries of the 33 bands (34 edges), log-spaced 300–3400 Hz.
  static let bandEdges: [Int] = {
    let low = 300.0, high = 3400.0
    let binHz = Double(sampleRate) / Double(frameLength)
    var edges: [Int] = []
    for m in 0...bandCount {
      let hz = low * pow(high / low, Double(m) / Double(bandCount))
      edges.append(Int((hz / binHz).rounded()))
    }
    for m in 1..<edges.count where edges[m] <= edges[m - 1] { edges[m] = edges[m - 1] + 1 }
    return edges
  }()

  /// Bit error rate between `self` and `other` shifted by `offset` frames (self[i] ↔ other[i − offset]),
  /// over the loud frames they share; nil when they overlap in fewer than `minimumOverlap` frames.
  public func bitErrorRate(against other: AudioFingerprint, offset: Int, minimumOverlap: Int = 32) -> Double? {
    let from = max(0, offset)
    let to = min(frames.count, other.frames.count + offset)
    var errors = 0
    var compared = 0
    if from < to {
      for i in from..<to where loud[i] || other.loud[i - offset] {
        errors += (frames[i] ^ other.frames[i - offset]).nonzeroBitCount
        compared += 1
      }
    }
    guard compared >= minimumOverlap else { return nil }
    return Double(errors) / Double(compared * 32)
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
