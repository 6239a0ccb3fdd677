internal import CFFTW
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// FFTW's planner is not thread-safe: every plan is made and destroyed under this lock.
private let plannerLock = Mutex(())

/// A real-to-complex FFT of one size with its own aligned buffers. One per task (not Sendable).
///
/// Owns the FFTW plan and buffers; `deinit` frees them.
final class RealFFT {
  let size: Int
  private let plan: OpaquePointer
  private let input: UnsafeMutablePointer<Float>
  private let output: UnsafeMutablePointer<fftwf_complex>

  init(size: Int) {
    self.size = size
    let (plan, input, output) = plannerLock.withLock { _ -> (OpaquePointer, UnsafeMutablePointer<Float>, UnsafeMutablePointer<fftwf_complex>) in
      let input = fftwf_alloc_real(size)!
      let output = fftwf_alloc_complex(size / 2 + 1)!
      let plan = fftwf_plan_dft_r2c_1d(Int32(size), input, output, UInt32(FFTW_ESTIMATE))!
      return (plan, input, output)
    }
    self.plan = plan
    self.input = input
    self.output = output
  }

  deinit {
    let (plan, input, output) = (self.plan, self.input, self.output)
    plannerLock.withLock { _ in
      fftwf_destroy_plan(plan)
      fftwf_free(input)
      fftwf_free(output)
    }
  }

  /// Power spectrum |X[k]|² (k = 0…size/2) of `frame` (zero-padded or cut to `size`) times `window`.
  func powerSpectrum(_ frame: UnsafeBufferPointer<Float>, window: [Float], into power: inout [Float]) {
    let n = min(frame.count, size)
    for i in 0..<n { input[i] = frame[i] * (i < window.count ? window[i] : 1) }
    for i in n..<size { input[i] = 0 }
    fftwf_execute(plan)
    let bins = size / 2 + 1
    if power.count != bins { power = [Float](repeating: 0, count: bins) }
    for k in 0..<bins {
      let (re, im) = output[k]
      power[k] = re * re + im * im
    }
  }

  /// A Hann window of `length` samples.
  static func hann(_ length: Int) -> [Float] {
    (0..<length).map { i in
      let phase = 2 * Double.pi * Double(i) / Double(length)
      return Float(0.5 - 0.5 * cos(phase))
    }
  }
}
