#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Mel power spectrogram in librosa's definition (`librosa.feature.melspectrogram` with its defaults: centred
/// frames zero-padded by half a window at both ends, periodic Hann window, power spectrum, Slaney mel scale and
/// area-normalised triangles from 0 Hz to Nyquist; no log). It is the front end of the speaker encoder
/// (resemblyzer's `wav_to_mel_spectrogram`: 25 ms windows, 10 ms hop, 40 bands at 16 kHz), built on `RealFFT`.
///
/// Not thread-safe (it owns one FFT buffer set): one per task. The filterbank is computed once per instance.
public final class MelSpectrogram {
  public let windowLength: Int
  public let hop: Int
  public let bands: Int
  private let fft: RealFFT
  private let window: [Float]
  /// Per band: first FFT bin and the weights of consecutive bins.
  private let filters: [(first: Int, weights: [Float])]
  private var power: [Float] = []
  private var frame: [Float]

  /// - Parameters:
  ///   - sampleRateHz: the signal's rate; bands span 0…sampleRateHz / 2.
  ///   - windowLength: samples per frame (also the FFT size, as librosa's `n_fft`).
  ///   - hop: samples between frame starts.
  ///   - bands: number of mel bands.
  public init(sampleRateHz: Int, windowLength: Int, hop: Int, bands: Int) {
    self.windowLength = windowLength
    self.hop = hop
    self.bands = bands
    fft = RealFFT(size: windowLength)
    window = RealFFT.periodicHann(windowLength)
    frame = [Float](repeating: 0, count: windowLength)
    filters = MelSpectrogram.slaneyFilters(sampleRateHz: Double(sampleRateHz), fftSize: windowLength, bands: bands)
  }

  /// Number of frames for `sampleCount` samples: 1 + sampleCount / hop (centred frames).
  public func frameCount(sampleCount: Int) -> Int { 1 + sampleCount / hop }

  /// Mel power frames of `samples`, frame-major (`frameCount × bands` values, frame f at f·bands).
  public func frames(_ samples: UnsafeBufferPointer<Float>) -> [Float] {
    let count = frameCount(sampleCount: samples.count)
    var out = [Float](repeating: 0, count: count * bands)
    let half = windowLength / 2
    for f in 0..<count {
      // Frame f covers samples f·hop − half ..< f·hop + half; outside the signal it is zero (librosa ≥ 0.10).
      let start = f * hop - half
      for i in 0..<windowLength {
        let j = start + i
        frame[i] = j >= 0 && j < samples.count ? samples[j] : 0
      }
      frame.withUnsafeBufferPointer { fft.powerSpectrum($0, window: window, into: &power) }
      for (b, filter) in filters.enumerated() {
        var sum: Float = 0
        for (k, w) in filter.weights.enumerated() { sum += w * power[filter.first + k] }
        out[f * bands + b] = sum
      }
    }
    return out
  }

  /// Hz → mel on the Slaney (Auditory Toolbox) scale: linear below 1 kHz, logarithmic above.
  static func slaneyMel(_ hz: Double) -> Double {
    hz < 1_000 ? hz / (200.0 / 3) : 15 + log(hz / 1_000) / (log(6.4) / 27)
  }

  static func slaneyHz(_ mel: Double) -> Double {
    mel < 15 ? mel * (200.0 / 3) : 1_000 * exp((mel - 15) * (log(6.4) / 27))
  }

  /// Triangles between mel-spaced edges over the FFT bin frequencies, each scaled by 2 / its width in Hz.
  static func slaneyFilters(sampleRateHz: Double, fftSize: Int, bands: Int) -> [(first: Int, weights: [Float])] {
    let nyquist = sampleRateHz / 2
    let top = slaneyMel(nyquist)
    let edges = (0...(bands + 1)).map { slaneyHz(top * Double($0) / Double(bands + 1)) }
    let bins = fftSize / 2 + 1
    let binHz = (0..<bins).map { nyquist * Double($0) / Double(bins - 1) }
    return (0..<bands).map { b in
      let norm = 2 / (edges[b + 2] - edges[b])
      let weights = binHz.map { f in
        max(0, min((f - edges[b]) / (edges[b + 1] - edges[b]), (edges[b + 2] - f) / (edges[b + 2] - edges[b + 1])))
          * norm
      }
      let first = weights.firstIndex { $0 > 0 } ?? 0
      let last = weights.lastIndex { $0 > 0 } ?? 0
      return (first, weights[first...last].map(Float.init))
    }
  }
}
