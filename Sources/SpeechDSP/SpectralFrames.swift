#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Per-frame spectral measurements of a whole signal, every `hop` samples (frame i centred on sample
/// `i·hop + hop/2`): full-band power, speech-band power (for voice activity and intensity), and 13 MFCCs
/// (HTK-style: pre-emphasis 0.97, 25 ms Hamming window, 26 mel bands, log, DCT-II) plus their deltas.
struct SpectralFrames {
  /// Number of frames.
  var count: Int
  /// dB (re full scale², power of the 25 ms window).
  var powerDB: [Double]
  /// dB, power between `bandLow` and `bandHigh` Hz (pre-emphasised spectrum).
  var bandDB: [Double]
  /// dB, energy envelope for syllable nuclei in the nuclei band (`AnalyzerConfiguration.nucleusBandLow…High`,
  /// pre-emphasised spectrum): with one sub-band its power; with M > 1 log-spaced sub-bands of amplitudes a_k
  /// the mean cross-band product Σ_{j<k} a_j·a_k / (M(M−1)/2) (sub-band correlation, after Morgan &
  /// Fosler-Lussier 1998 and Wang & Narayanan 2007): high where energy is spread over the band, as in vowels.
  var nucleusDB: [Double]
  /// `count × 13`, row-major: c0 … c12 per frame.
  var mfcc: [Float]
  /// `count × 13`: regression deltas (±2 frames) of `mfcc`.
  var deltas: [Float]

  static let coefficients = 13
  static let melBands = 26
  static let bandLow = 300.0
  static let bandHigh = 3_400.0
}

/// Computes `SpectralFrames`; holds the FFT, window, filterbank and DCT so that frames allocate nothing.
/// One per task.
final class SpectralAnalyzer {
  let sampleRate: Int
  let hop: Int
  let windowLength: Int
  private let fft: RealFFT
  private let window: [Float]
  /// Per mel band: first bin and weights over consecutive bins.
  private let filterStart: [Int]
  private let filterWeights: [[Float]]
  private let dct: [Float]
  private let bandBins: Range<Int>
  private var melEnergies: [Float]

  private let nucleusBins: Range<Int>
  /// Sub-band index of each bin of `nucleusBins` (offset from its lower bound).
  private let nucleusSubbandOfBin: [Int]
  private var nucleusSubbandPower: [Float]

  init(sampleRate: Int, hop: Int, nucleusBand: ClosedRange<Double> = 300...3_400, nucleusSubbands: Int = 1) {
    self.sampleRate = sampleRate
    self.hop = hop
    windowLength = Int(0.025 * Double(sampleRate))
    var size = 1
    while size < windowLength { size *= 2 }
    fft = RealFFT(size: size)
    let length = windowLength
    window = (0..<length).map { Float(0.54 - 0.46 * cos(2 * Double.pi * Double($0) / Double(max(1, length - 1)))) }
    // Mel filterbank (HTK): triangles between 20 Hz and Nyquist.
    let bins = size / 2 + 1
    func mel(_ hz: Double) -> Double { 1127 * log(1 + hz / 700) }
    func hz(_ mel: Double) -> Double { 700 * (exp(mel / 1127) - 1) }
    let nyquist = Double(sampleRate) / 2
    let lowMel = mel(20)
    let highMel = mel(min(nyquist, 8_000))
    let bands = SpectralFrames.melBands
    let edges = (0...(bands + 1)).map { hz(lowMel + (highMel - lowMel) * Double($0) / Double(bands + 1)) }
    let binHz = Double(sampleRate) / Double(size)
    var starts: [Int] = []
    var weights: [[Float]] = []
    for b in 0..<bands {
      let (lo, mid, hi) = (edges[b], edges[b + 1], edges[b + 2])
      let first = max(1, Int((lo / binHz).rounded(.up)))
      let last = min(bins - 1, Int((hi / binHz).rounded(.down)))
      var w: [Float] = []
      if first <= last {
        for k in first...last {
          let f = Double(k) * binHz
          w.append(Float(f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid)))
        }
      }
      starts.append(first)
      weights.append(w)
    }
    filterStart = starts
    filterWeights = weights
    let n = SpectralFrames.coefficients
    var table = [Float](repeating: 0, count: n * bands)
    for c in 0..<n {
      for m in 0..<bands {
        table[c * bands + m] = Float(
          (2 / Double(bands)).squareRoot() * cos(Double.pi * Double(c) * (Double(m) + 0.5) / Double(bands)))
      }
    }
    dct = table
    bandBins = max(1, Int(SpectralFrames.bandLow / binHz))..<min(bins, Int(SpectralFrames.bandHigh / binHz) + 1)
    melEnergies = [Float](repeating: 0, count: bands)
    let nucleus =
      max(1, Int(nucleusBand.lowerBound / binHz))..<max(2, min(bins, Int(nucleusBand.upperBound / binHz) + 1))
    nucleusBins = nucleus
    let subbands = max(1, nucleusSubbands)
    let ratio = nucleusBand.upperBound / max(1, nucleusBand.lowerBound)
    nucleusSubbandOfBin = nucleus.map { k in
      let hz = max(Double(k) * binHz, max(1, nucleusBand.lowerBound))
      return min(
        subbands - 1,
        max(0, Int(Double(subbands) * log(hz / max(1, nucleusBand.lowerBound)) / log(max(ratio, 1.000_001)))))
    }
    nucleusSubbandPower = [Float](repeating: 0, count: subbands)
  }

  /// Analyses every frame of `samples`.
  func analyze(_ samples: UnsafeBufferPointer<Float>) -> SpectralFrames {
    let count = (samples.count + hop - 1) / hop
    let nc = SpectralFrames.coefficients
    var frames = SpectralFrames(
      count: count, powerDB: [Double](repeating: -150, count: count), bandDB: [Double](repeating: -150, count: count),
      nucleusDB: [Double](repeating: -150, count: count),
      mfcc: [Float](repeating: 0, count: count * nc), deltas: [Float](repeating: 0, count: count * nc))
    let input = fft.input
    let half = windowLength / 2
    let total = samples.count
    let size = fft.size
    let norm = 1 / Float(size)
    frames.mfcc.withUnsafeMutableBufferPointer { mfcc in
      window.withUnsafeBufferPointer { window in
        melEnergies.withUnsafeMutableBufferPointer { mel in
          dct.withUnsafeBufferPointer { dct in
            for i in 0..<count {
              let start = i * hop + hop / 2 - half
              var energy: Float = 0
              var previous: Float = start - 1 >= 0 && start - 1 < total ? samples[start - 1] : 0
              for j in 0..<windowLength {
                let index = start + j
                let x: Float = index >= 0 && index < total ? samples[index] : 0
                energy += x * x
                input[j] = (x - 0.97 * previous) * window[j]
                previous = x
              }
              for j in windowLength..<size { input[j] = 0 }
              fft.forward()
              var band: Float = 0
              for k in bandBins { band += fft.power(k) }
              let subbands = nucleusSubbandPower.count
              for b in 0..<subbands { nucleusSubbandPower[b] = 0 }
              let firstNucleusBin = nucleusBins.lowerBound
              for k in nucleusBins { nucleusSubbandPower[nucleusSubbandOfBin[k - firstNucleusBin]] += fft.power(k) }
              let scale = Double(norm) / Double(windowLength) * 2
              var nucleus: Double
              if subbands == 1 {
                nucleus = Double(nucleusSubbandPower[0]) * scale
              } else {
                var sum = 0.0
                var squares = 0.0
                for b in 0..<subbands {
                  let p = Double(nucleusSubbandPower[b]) * scale
                  sum += p.squareRoot()
                  squares += p
                }
                nucleus = max(0, sum * sum - squares) / Double(subbands * (subbands - 1))
              }
              frames.nucleusDB[i] = Statistics.decibels(power: nucleus)
              frames.powerDB[i] = Statistics.decibels(power: Double(energy) / Double(windowLength))
              frames.bandDB[i] = Statistics.decibels(power: Double(band * norm) / Double(windowLength) * 2)
              for b in 0..<mel.count {
                var sum: Float = 0
                let first = filterStart[b]
                filterWeights[b].withUnsafeBufferPointer { w in
                  for k in 0..<w.count { sum += w[k] * fft.power(first + k) }
                }
                mel[b] = logf(max(sum * norm, 1e-10))
              }
              let bands = mel.count
              for c in 0..<nc {
                var sum: Float = 0
                for m in 0..<bands { sum += dct[c * bands + m] * mel[m] }
                mfcc[i * nc + c] = sum
              }
            }
          }
        }
      }
    }
    // Deltas: d_t = Σ_{k=1..2} k (c_{t+k} − c_{t−k}) / (2 Σ k²), edges clamped.
    for i in 0..<count {
      for c in 0..<nc {
        var sum: Float = 0
        for k in 1...2 {
          let next = min(count - 1, i + k)
          let prev = max(0, i - k)
          sum += Float(k) * (frames.mfcc[next * nc + c] - frames.mfcc[prev * nc + c])
        }
        frames.deltas[i * nc + c] = sum / 10
      }
    }
    return frames
  }
}
