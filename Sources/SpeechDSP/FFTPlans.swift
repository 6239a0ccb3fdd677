internal import CFFTW
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// FFTW plans for real transforms, made once per size and shared by every task.
///
/// Only `fftwf_execute*` is thread-safe in FFTW; making plans is not. So every plan is made under one
/// process-wide lock, cached by size, and never destroyed. Executing uses the new-array interface
/// (`fftwf_execute_dft_r2c` on the caller's own buffers), so tasks share plans but never buffers. Buffers
/// must come from `fftwf_alloc_*` so that their alignment matches the plan's.
enum FFTPlans {
  /// A forward (r2c) and inverse (c2r) plan of one size. Plans are immutable after creation and FFTW allows
  /// executing one plan from several threads on different arrays, hence `@unchecked Sendable`.
  final class Pair: @unchecked Sendable {
    let forward: OpaquePointer
    let inverse: OpaquePointer
    init(forward: OpaquePointer, inverse: OpaquePointer) {
      self.forward = forward
      self.inverse = inverse
    }
  }

  private static let cache = Mutex<[Int: Pair]>([:])

  /// The plans for real transforms of `size` points (made on first use).
  static func plans(size: Int) -> Pair {
    cache.withLock { plans in
      if let pair = plans[size] { return pair }
      let real = fftwf_alloc_real(size)!
      let complex = fftwf_alloc_complex(size / 2 + 1)!
      defer {
        fftwf_free(real)
        fftwf_free(complex)
      }
      let flags = UInt32(FFTW_ESTIMATE)
      let forward = fftwf_plan_dft_r2c_1d(Int32(size), real, complex, flags)!
      let inverse = fftwf_plan_dft_c2r_1d(Int32(size), complex, real, flags)!
      let pair = Pair(forward: forward, inverse: inverse)
      plans[size] = pair
      return pair
    }
  }
}

/// One task's buffers for real FFTs of one size: fill `input`, call `forward()`, read `spectrum`;
/// or fill `spectrum`, call `inverse()`, read `input` (unnormalised: scaled by `size`). Other modules use
/// `powerSpectrum(_:window:into:)`. The only FFTW wrapper of ExamKit: plans come from `FFTPlans`.
///
/// Owns its FFTW-allocated buffers (freed in `deinit`); nothing is allocated per transform. Not thread-safe:
/// one per task.
public final class RealFFT {
  public let size: Int
  /// `size` real samples (time domain).
  let input: UnsafeMutableBufferPointer<Float>
  /// `size / 2 + 1` complex bins, interleaved re/im: bin k is at 2k, 2k+1.
  let spectrum: UnsafeMutableBufferPointer<Float>
  private let plans: FFTPlans.Pair
  private let realPointer: UnsafeMutablePointer<Float>
  private let complexPointer: UnsafeMutablePointer<fftwf_complex>

  public init(size: Int) {
    precondition(size >= 2 && size % 2 == 0, "FFT size must be even")
    self.size = size
    plans = FFTPlans.plans(size: size)
    realPointer = fftwf_alloc_real(size)!
    complexPointer = fftwf_alloc_complex(size / 2 + 1)!
    input = UnsafeMutableBufferPointer(start: realPointer, count: size)
    input.initialize(repeating: 0)
    let raw = UnsafeMutableRawPointer(complexPointer).bindMemory(to: Float.self, capacity: size + 2)
    spectrum = UnsafeMutableBufferPointer(start: raw, count: size + 2)
    spectrum.initialize(repeating: 0)
  }

  /// `spectrum` ← DFT(`input`). `input` is preserved.
  func forward() { fftwf_execute_dft_r2c(plans.forward, realPointer, complexPointer) }

  /// `input` ← unnormalised inverse DFT(`spectrum`). `spectrum` is destroyed.
  func inverse() { fftwf_execute_dft_c2r(plans.inverse, complexPointer, realPointer) }

  /// |X_k|² for bin k.
  @inline(__always) func power(_ k: Int) -> Float {
    let re = spectrum[2 * k]
    let im = spectrum[2 * k + 1]
    return re * re + im * im
  }

  /// Power spectrum |X[k]|² (k = 0…size/2) of `frame` (zero-padded or cut to `size`) times `window` (1 past
  /// its end); `power` is resized to size/2 + 1 on first use.
  public func powerSpectrum(_ frame: UnsafeBufferPointer<Float>, window: [Float], into power: inout [Float]) {
    let n = min(frame.count, size)
    window.withUnsafeBufferPointer { w in
      for i in 0..<n { input[i] = frame[i] * (i < w.count ? w[i] : 1) }
    }
    for i in n..<size { input[i] = 0 }
    forward()
    let bins = size / 2 + 1
    if power.count != bins { power = [Float](repeating: 0, count: bins) }
    for k in 0..<bins { power[k] = self.power(k) }
  }

  /// A periodic Hann window of `length` samples: 0.5 − 0.5·cos(2πi/length).
  public static func periodicHann(_ length: Int) -> [Float] {
    (0..<length).map { i in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(length))) }
  }

  deinit {
    fftwf_free(realPointer)
    fftwf_free(complexPointer)
  }
}
