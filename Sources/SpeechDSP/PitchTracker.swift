import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// F0 per frame by Boersma's (1993) autocorrelation method with Praat's candidate strengths and path costs.
///
/// Each frame: a Hann window of 3 periods of the pitch floor (40 ms at 75 Hz) centred on the frame, local mean
/// removed; its autocorrelation through FFTW (|FFT|², inverse FFT), divided by the window's own
/// autocorrelation; local maxima between 1/ceiling and 1/floor, refined by parabolic interpolation, are the
/// voiced candidates (strength r − octaveCost·log2(ceiling/F0)); the unvoiced candidate has strength
/// voicingThreshold + max(0, 2 − (localPeak/globalPeak)/(silenceThreshold/(1 + voicingThreshold))).
/// A Viterbi pass then picks the path with the best strengths minus voiced/unvoiced and octave-jump costs.
/// Frames far below the global peak (where no voiced candidate could win) skip the FFT.
final class PitchTracker {
  let sampleRate: Int
  let hop: Int
  let configuration: AnalyzerConfiguration
  private let fft: RealFFT
  private let windowLength: Int
  private let window: [Float]
  /// 1 / normalised autocorrelation of the window, per lag.
  private let inverseWindowAutocorrelation: [Float]
  private let minimumLag: Int
  private let maximumLag: Int
  static let maximumCandidates = 6

  init(sampleRate: Int, hop: Int, configuration: AnalyzerConfiguration) {
    self.sampleRate = sampleRate
    self.hop = hop
    self.configuration = configuration
    let fs = Double(sampleRate)
    windowLength = Int((3 / configuration.pitchFloor * fs).rounded())
    maximumLag = min(windowLength / 2, Int((fs / configuration.pitchFloor).rounded(.up)))
    minimumLag = max(2, Int((fs / configuration.pitchCeiling).rounded(.down)))
    var size = 1
    while size < windowLength + maximumLag + 2 { size *= 2 }
    fft = RealFFT(size: size)
    let length = windowLength
    window = PitchTracker.hann(length)
    inverseWindowAutocorrelation = PitchTracker.inverseAutocorrelation(length: length, lags: maximumLag + 2)
  }

  private static let cache = Mutex<[Int: [Float]]>([:])

  static func hann(_ length: Int) -> [Float] {
    (0..<length).map { Float(0.5 - 0.5 * cos(2 * Double.pi * (Double($0) + 0.5) / Double(length))) }
  }

  /// 1 / the Hann window's autocorrelation normalised to 1 at lag 0, for lags 0..<lags (computed once per size).
  static func inverseAutocorrelation(length: Int, lags: Int) -> [Float] {
    cache.withLock { cache in
      let key = length << 20 | lags
      if let known = cache[key] { return known }
      let window = hann(length)
      var r = [Double](repeating: 0, count: lags)
      for lag in 0..<lags {
        var sum: Double = 0
        for i in 0..<max(0, length - lag) { sum += Double(window[i]) * Double(window[i + lag]) }
        r[lag] = sum
      }
      let values = r.map { Float(r[0] / max($0, 1e-6 * r[0])) }
      cache[key] = values
      return values
    }
  }

  /// One frame's candidates (frequency Hz, strength); index 0 is the unvoiced candidate (frequency 0).
  struct Frame {
    var frequencies: [Float]
    var strengths: [Float]
  }

  /// F0 in Hz per frame (0 = unvoiced), `frameCount` frames of `hop` samples.
  func track(_ samples: UnsafeBufferPointer<Float>, frameCount: Int) -> [Float] {
    guard frameCount > 0 else { return [] }
    var globalPeak: Float = 0
    var sum: Double = 0
    for x in samples { sum += Double(x) }
    let globalMean = samples.isEmpty ? 0 : Float(sum / Double(samples.count))
    for x in samples { globalPeak = max(globalPeak, abs(x - globalMean)) }
    let c = configuration
    let candidates = PitchTracker.maximumCandidates
    var frequencies = [Float](repeating: 0, count: frameCount * candidates)
    var strengths = [Float](repeating: -1e9, count: frameCount * candidates)
    let unvoicedScale = Float(c.silenceThreshold / (1 + c.voicingThreshold))
    // Where the unvoiced strength exceeds 1 + 2·(voiced/unvoiced cost), no voiced candidate can win.
    let hopeless = Float(1 + 2 * c.voicedUnvoicedCost)
    let input = fft.input
    let size = fft.size
    let half = windowLength / 2
    let total = samples.count
    let octaveCost = Float(c.octaveCost)
    let ceiling = Float(c.pitchCeiling)
    let fs = Float(sampleRate)
    let threshold = Float(c.voicingThreshold)
    var normalised = [Float](repeating: 0, count: maximumLag + 2)
    window.withUnsafeBufferPointer { window in
      inverseWindowAutocorrelation.withUnsafeBufferPointer { inverseWA in
        normalised.withUnsafeMutableBufferPointer { r in
          for i in 0..<frameCount {
            let start = i * hop + hop / 2 - half
            let interior = start >= 0 && start + windowLength <= total
            var localSum: Float = 0
            if interior {
              for j in 0..<windowLength { localSum += samples[start + j] }
            } else {
              for j in 0..<windowLength {
                let index = start + j
                localSum += index >= 0 && index < total ? samples[index] : 0
              }
            }
            let localMean = localSum / Float(windowLength)
            var localPeak: Float = 0
            if interior {
              for j in 0..<windowLength {
                let x = samples[start + j] - localMean
                localPeak = max(localPeak, abs(x))
                input[j] = x * window[j]
              }
            } else {
              for j in 0..<windowLength {
                let index = start + j
                let x = (index >= 0 && index < total ? samples[index] : 0) - localMean
                localPeak = max(localPeak, abs(x))
                input[j] = x * window[j]
              }
            }
            let relative = globalPeak > 0 ? localPeak / globalPeak : 0
            let unvoiced = threshold + max(0, 2 - relative / unvoicedScale)
            let base = i * candidates
            strengths[base] = unvoiced
            frequencies[base] = 0
            guard unvoiced < hopeless, localPeak > 0 else { continue }
            for j in windowLength..<size { input[j] = 0 }
            fft.forward()
            let spectrum = fft.spectrum
            for k in 0...(size / 2) {
              let re = spectrum[2 * k]
              let im = spectrum[2 * k + 1]
              spectrum[2 * k] = re * re + im * im
              spectrum[2 * k + 1] = 0
            }
            fft.inverse()
            let r0 = input[0]
            guard r0 > 0 else { continue }
            let scale = 1 / r0
            for lag in (minimumLag - 1)...(maximumLag + 1) { r[lag] = input[lag] * scale * inverseWA[lag] }
            // Keep the strongest voiced candidates.
            for lag in minimumLag...maximumLag {
              let rm = r[lag - 1]
              let rc = r[lag]
              let rp = r[lag + 1]
              guard rc > rm && rc >= rp && rc > 0.5 * threshold else { continue }
              let denominator = rm - 2 * rc + rp
              let shift = denominator < 0 ? 0.5 * (rm - rp) / denominator : 0
              var peak = rc - 0.25 * (rm - rp) * shift
              if peak > 1 { peak = 1 / peak }
              let frequency = fs / (Float(lag) + shift)
              guard frequency <= ceiling * 1.05 else { continue }
              let strength = peak - octaveCost * log2f(ceiling / frequency)
              // Insert into slots 1..<candidates, kept sorted by strength (descending).
              let last = base + candidates - 1
              guard strength > strengths[last] else { continue }
              var slot = last
              while slot > base + 1 && strengths[slot - 1] < strength {
                strengths[slot] = strengths[slot - 1]
                frequencies[slot] = frequencies[slot - 1]
                slot -= 1
              }
              strengths[slot] = strength
              frequencies[slot] = frequency
            }
          }
        }
      }
    }
    return viterbi(frequencies: frequencies, strengths: strengths, frameCount: frameCount)
  }

  private func viterbi(frequencies: [Float], strengths: [Float], frameCount: Int) -> [Float] {
    let n = PitchTracker.maximumCandidates
    let vuv = Float(configuration.voicedUnvoicedCost)
    let jump = Float(configuration.octaveJumpCost)
    var score = [Float](repeating: -1e9, count: n)
    var next = [Float](repeating: -1e9, count: n)
    var back = [UInt8](repeating: 0, count: frameCount * n)
    for k in 0..<n { score[k] = strengths[k] }
    for i in 1..<max(1, frameCount) {
      for k in 0..<n {
        let sk = strengths[i * n + k]
        guard sk > -1e8 else {
          next[k] = -1e9
          continue
        }
        let fk = frequencies[i * n + k]
        var best: Float = -1e30
        var arg = 0
        for p in 0..<n where score[p] > -1e8 {
          let fp = frequencies[(i - 1) * n + p]
          let cost: Float
          if fk == 0 && fp == 0 {
            cost = 0
          } else if fk == 0 || fp == 0 {
            cost = vuv
          } else {
            cost = jump * abs(log2f(fk / fp))
          }
          let value = score[p] - cost
          if value > best {
            best = value
            arg = p
          }
        }
        next[k] = best + sk
        back[i * n + k] = UInt8(arg)
      }
      swap(&score, &next)
    }
    var f0 = [Float](repeating: 0, count: frameCount)
    var k = score.indices.max { score[$0] < score[$1] } ?? 0
    for i in stride(from: frameCount - 1, through: 0, by: -1) {
      f0[i] = frequencies[i * n + k]
      k = Int(back[i * n + k])
    }
    return f0
  }
}
