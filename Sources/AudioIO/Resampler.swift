internal import CSoxr
import ExamCore

/// A streaming single-channel float resampler over libsoxr (high quality). Owns the `soxr_t`.
///
/// Feed blocks with `process`, then call `flush` once for the tail. Not thread-safe: one per task.
final class Resampler {
  private var handle: soxr_t?
  let inputRate: Double
  let outputRate: Double

  init(from inputRate: Int, to outputRate: Int) throws(ExamError) {
    self.inputRate = Double(inputRate)
    self.outputRate = Double(outputRate)
    var error: soxr_error_t?
    var quality = soxr_quality_spec(UInt(SOXR_HQ), 0)
    let made = soxr_create(Double(inputRate), Double(outputRate), 1, &error, nil, &quality, nil)
    guard error == nil, let made else {
      throw ExamError(
        .io, "cannot set up resampling from \(inputRate) Hz to \(outputRate) Hz",
        underlying: error.map { String(cString: $0) })
    }
    handle = made
  }

  /// Resamples `input` and appends the output to `output`.
  func process(_ input: UnsafeBufferPointer<Float>, appendingTo output: inout [Float]) {
    run(input.baseAddress, count: input.count, into: &output)
  }

  /// Drains the filter's tail into `output`.
  func flush(appendingTo output: inout [Float]) { run(nil, count: 0, into: &output) }

  private func run(_ input: UnsafePointer<Float>?, count: Int, into output: inout [Float]) {
    guard let handle else { return }
    let ratio = outputRate / inputRate
    var consumed = 0
    let flushing = input == nil
    repeat {
      let capacity = max(1024, Int(Double(count - consumed) * ratio) + 256)
      let start = output.count
      output.append(contentsOf: repeatElement(0, count: capacity))
      var inputDone = 0
      var outputDone = 0
      output.withUnsafeMutableBufferPointer { buffer in
        _ = soxr_process(
          handle, input.map { UnsafeRawPointer($0 + consumed) }, flushing ? 0 : count - consumed, &inputDone,
          UnsafeMutableRawPointer(buffer.baseAddress! + start), capacity, &outputDone)
      }
      output.removeLast(capacity - outputDone)
      consumed += inputDone
      if flushing {
        if outputDone == 0 { break }
      } else if consumed >= count {
        break
      }
    } while true
  }

  deinit {
    if let handle { soxr_delete(handle) }
  }
}
