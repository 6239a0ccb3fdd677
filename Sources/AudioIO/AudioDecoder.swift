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
  /// More channels than this are refused: the read buffer is `blockFrames` × channels.
  public static let maxChannels = 64
  /// Largest sample magnitude accepted (1000 = 60 dB over full scale); larger, NaN or infinite is damage.
  public static let maxSampleMagnitude: Float = 1000
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
      throw ExamError(
        .corrupt, file: path, "has \(info.channelCount) channels at \(info.sampleRate) Hz",
        fix: "re-export the recording")
    }
    guard info.channelCount <= Self.maxChannels else {
      throw ExamError(
        .unsupportedFormat, file: path, "has \(info.channelCount) channels (at most \(Self.maxChannels) are read)",
        fix: "export the recording in mono or stereo")
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
      // Full scale is ±1; float files may overshoot a little. NaN, infinity or a value 60 dB over full scale is
      // damage, and would overflow the resampler and every level measured after it. Checked as each sample is
      // copied (one pass over the block), the first bad one ends the loop.
      var bad = -1
      if channels == 1 {
        for i in 0..<frames {
          let x = interleaved[i]
          mono[i] = x
          if !(abs(x) <= Self.maxSampleMagnitude) { bad = i; break }
        }
      } else {
        let scale = 1 / Float(channels)
        for i in 0..<frames {
          var sum: Float = 0
          for c in 0..<channels { sum += interleaved[i * channels + c] }
          let x = sum * scale
          mono[i] = x
          if !(abs(x) <= Self.maxSampleMagnitude) { bad = i; break }
        }
      }
      if bad >= 0 {
        throw ExamError(
          .corrupt, file: file.path,
          "holds a sample of \(mono[bad]) at frame \(framesRead - frames + bad), not a number or far outside full scale (±1)",
          fix: "the recording is damaged: re-export it as PCM or FLAC")
      }
      if let resampler {
        mono.withUnsafeBufferPointer {
          resampler.process(UnsafeBufferPointer(rebasing: $0[0..<frames]), appendingTo: &block)
        }
      } else {
        block.append(contentsOf: mono[0..<frames])
      }
      return true
    }
    if file.hasError {
      throw ExamError(
        .corrupt, file: file.path, "decoding failed after \(framesRead) frames",
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

/// The longest recording `decodeMono` holds in memory: an hour (230 MB of samples at 16 kHz). Exam answers and
/// prompts are minutes long; a header that promises more (or a file that decodes to more) is refused, not allocated.
public let maxDecodedSeconds = 3_600.0

/// Reads the whole of `path` as mono samples, resampled to `targetSampleRate` Hz when given.
/// - Throws: `ExamError.corrupt` when the file's header or its decoded audio is longer than `maxSeconds` — memory is
///   reserved from the samples actually decoded, never from what a header claims.
public func decodeMono(path: String, targetSampleRate: Int? = 16_000, maxSeconds: Double = maxDecodedSeconds)
  throws(ExamError) -> DecodedAudio
{
  let stream = try MonoAudioStream(path: path, targetSampleRate: targetSampleRate)
  let declaredSeconds = stream.info.durationSeconds
  if stream.info.frameCountIsExact, declaredSeconds > maxSeconds {
    throw ExamError(
      .corrupt, file: path,
      "its header declares \(stream.info.frameCount) frames (\(Int(declaredSeconds)) s), over the \(Int(maxSeconds)) s limit",
      fix:
        "the header is damaged or the recording is not an exam answer: re-export it, or split it into parts under an hour"
    )
  }
  let maxSamples = Int(maxSeconds * Double(stream.outputSampleRate))
  var samples: [Float] = []
  // Trust the header only as far as a minute of audio: the array grows from what is really decoded.
  let expected = min(declaredSeconds, 60) * Double(stream.outputSampleRate)
  samples.reserveCapacity(Int(expected) + 1024)
  var block: [Float] = []
  while try stream.next(into: &block) {
    samples.append(contentsOf: block)
    if samples.count > maxSamples {
      throw ExamError(
        .corrupt, file: path, "decodes to more than \(Int(maxSeconds)) s of audio",
        fix: "the recording is not an exam answer or prompt: split it into parts under an hour")
    }
  }
  return DecodedAudio(samples: samples, sampleRate: stream.outputSampleRate, original: stream.info)
}
