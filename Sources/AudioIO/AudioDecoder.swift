import ExamCore

/// A whole recording decoded to mono float samples in [-1, 1].
public struct DecodedAudio: Sendable {
  /// Mono samples at `sampleRate`.
  public var samples: [Float]
  /// Hz of `samples`.
  public var sampleRate: Int
  /// The file as it was: its own rate, channels, frames and format.
  public var original: AudioFileInfo
  public var durationSeconds: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }

  public init(samples: [Float], sampleRate: Int, original: AudioFileInfo) {
    self.samples = samples
    self.sampleRate = sampleRate
    self.original = original
  }
}

/// Streams an audio file as mono blocks, optionally resampled: memory stays at one block whatever the
/// file's length. Channels are averaged. Owns its file and resampler; one per task.
public final class MonoAudioStream {
  private let file: SoundFile
  private let resampler: Resampler?
  private var interleaved: [Float]
  private var mono: [Float]
  private var finished = false
  /// Frames per read from the file.
  public let blockFrames: Int
  public var info: AudioFileInfo { file.info }
  /// Hz of the blocks this stream yields.
  public let outputSampleRate: Int
  /// Frames read from the file so far.
  public private(set) var framesRead = 0
  /// Set at the end of the stream when the file is shorter than its header says (see `TruncationCheck`).
  public private(set) var truncationEvidence: String?

  /// - Parameters:
  ///   - targetSampleRate: resample to this rate (Hz); nil keeps the file's rate.
  ///   - blockFrames: frames read from the file per block.
  public init(path: String, targetSampleRate: Int? = nil, blockFrames: Int = 65_536) throws(ExamError) {
    file = try SoundFile(readingFrom: path)
    let info = file.info
    guard info.channelCount > 0, info.sampleRate > 0 else {
      throw ExamError(.corrupt, file: path, "has \(info.channelCount) channels at \(info.sampleRate) Hz",
        fix: "re-export the recording")
    }
    self.blockFrames = blockFrames
    interleaved = [Float](repeating: 0, count: blockFrames * info.channelCount)
    mono = [Float](repeating: 0, count: blockFrames)
    if let targetSampleRate, targetSampleRate != info.sampleRate {
      resampler = try Resampler(from: info.sampleRate, to: targetSampleRate)
      outputSampleRate = targetSampleRate
    } else {
      resampler = nil
      outputSampleRate = info.sampleRate
    }
  }

  /// Replaces `block` with the next samples; returns false at the end of the file.
  /// - Throws: `ExamError.corrupt` when libsndfile reports a decoding error mid-file.
  public func next(into block: inout [Float]) throws(ExamError) -> Bool {
    block.removeAll(keepingCapacity: true)
    guard !finished else { return false }
    let channels = file.info.channelCount
    let frames = interleaved.withUnsafeMutableBufferPointer { file.readFrames(into: $0) }
    if frames > 0 {
      framesRead += frames
      if channels == 1 {
        for i in 0..<frames { mono[i] = interleaved[i] }
      } else {
        let scale = 1 / Float(channels)
        for i in 0..<frames {
          var sum: Float = 0
          for c in 0..<channels { sum += interleaved[i * channels + c] }
          mono[i] = sum * scale
        }
      }
      if let resampler {
        mono.withUnsafeBufferPointer { resampler.process(UnsafeBufferPointer(rebasing: $0[0..<frames]), appendingTo: &block) }
      } else {
        block.append(contentsOf: mono[0..<frames])
      }
      return true
    }
    if file.hasError {
      throw ExamError(.corrupt, file: file.path, "decoding failed after \(framesRead) frames",
        fix: "the file is damaged or truncated: upload it again", underlying: file.lastError)
    }
    finished = true
    truncationEvidence = TruncationCheck.evidence(
      headerFrames: file.info.frameCount, framesRead: framesRead, format: file.info.format, log: file.logInfo)
    resampler?.flush(appendingTo: &block)
    file.close()
    return !block.isEmpty
  }
}

/// Reads the whole of `path` as mono samples, resampled to `targetSampleRate` Hz when given.
public func decodeMono(path: String, targetSampleRate: Int? = 16_000) throws(ExamError) -> DecodedAudio {
  let stream = try MonoAudioStream(path: path, targetSampleRate: targetSampleRate)
  var samples: [Float] = []
  let expected = Double(stream.info.frameCount) * Double(stream.outputSampleRate) / Double(stream.info.sampleRate)
  samples.reserveCapacity(Int(expected) + 1024)
  var block: [Float] = []
  while try stream.next(into: &block) { samples.append(contentsOf: block) }
  return DecodedAudio(samples: samples, sampleRate: stream.outputSampleRate, original: stream.info)
}
