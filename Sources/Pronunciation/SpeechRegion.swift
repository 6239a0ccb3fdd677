import Foundation

/// Where the speech of a recording is, from the level of 10 ms frames: the aligner decodes only this span
/// (plus a margin), and answers without any level contrast are refused before decoding.
struct SpeechRegion: Equatable {
  /// Loudest 10 ms frame, dBFS.
  var loudestFrameDBFS: Double
  /// 95th minus 10th percentile of the frame levels, dB.
  var levelRangeDB: Double
  /// The samples to decode: from the first to the last loud frame, widened by the margin.
  var samples: Range<Int>

  /// Frames quieter than this are silence whatever the recording.
  static let silenceDBFS = -55.0
  /// Speech varies by more than this between its pauses and its vowels; steady noise does not.
  static let minimumRangeDB = 10.0

  /// - Parameters:
  ///   - samples: mono samples in [-1, 1].
  ///   - sampleRate: Hz.
  ///   - marginSeconds: quiet kept before the first and after the last loud frame.
  init(_ samples: UnsafeBufferPointer<Float>, sampleRate: Int, marginSeconds: Double) {
    let frameLength = max(1, sampleRate / 100)
    let frameCount = samples.count / frameLength
    var levels: [Double] = []
    levels.reserveCapacity(frameCount)
    for frame in 0..<frameCount {
      var energy: Float = 0
      for i in frame * frameLength..<(frame + 1) * frameLength { energy += samples[i] * samples[i] }
      levels.append(10 * log10(Double(energy / Float(frameLength)) + 1e-12))
    }
    let sorted = levels.sorted()
    loudestFrameDBFS = sorted.last ?? -120
    let p10 = sorted.isEmpty ? -120 : sorted[sorted.count / 10]
    let p95 = sorted.isEmpty ? -120 : sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
    levelRangeDB = p95 - p10
    // Loud: within the upper 60 % of the range between the floor and the speech level.
    let threshold = max(Self.silenceDBFS, p10 + 0.4 * (p95 - p10))
    let first = levels.firstIndex { $0 > threshold } ?? 0
    let last = levels.lastIndex { $0 > threshold } ?? max(0, frameCount - 1)
    let margin = Int(marginSeconds * Double(sampleRate))
    let start = max(0, first * frameLength - margin)
    let end = min(samples.count, (last + 1) * frameLength + margin)
    self.samples = start..<max(start, end)
  }
}
