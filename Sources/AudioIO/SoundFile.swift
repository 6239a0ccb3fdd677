internal import CSndFile
import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What libsndfile says about an audio file before any sample is read.
public struct AudioFileInfo: Sendable, Equatable {
  /// Frames (one sample per channel each).
  public var frameCount: Int
  public var channelCount: Int
  /// Hz.
  public var sampleRate: Int
  /// Container and encoding, e.g. `WAV/PCM_16`, `FLAC/PCM_24`, `OGG/VORBIS`.
  public var format: String
  public var durationSeconds: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

  /// Whether `frameCount` is exact. MPEG and Ogg headers only estimate their length, so neither the truncation
  /// check nor the length limit compares decoded frames with it for them.
  public var frameCountIsExact: Bool { Self.formatHasExactFrameCount(format) }

  /// `frameCountIsExact` for a `format` name.
  static func formatHasExactFrameCount(_ format: String) -> Bool {
    !format.hasPrefix("MPEG") && !format.hasPrefix("OGG")
  }
}

/// An open libsndfile handle for reading. Owns the `SNDFILE*`; prefer `withSoundFile(atPath:_:)`.
final class SoundFile {
  private var handle: OpaquePointer?
  let info: AudioFileInfo
  let path: String

  init(readingFrom path: String) throws(ExamError) {
    self.path = path
    var statBuffer = stat()
    guard stat(path, &statBuffer) == 0 else {
      throw ExamError(.notFound, file: path, "no such file", fix: "check the path")
    }
    guard (statBuffer.st_mode & S_IFMT) == S_IFREG else {
      throw ExamError(.unsupportedFormat, file: path, "is not a regular file", fix: "name an audio file")
    }
    guard statBuffer.st_size > 0 else {
      throw ExamError(.corrupt, file: path, "is empty (0 bytes)", fix: "upload the recording again")
    }
    var sfInfo = SF_INFO()
    guard let opened = sf_open(path, Int32(SFM_READ), &sfInfo) else {
      let reason = String(cString: sf_strerror(nil))  // process-global: read it now
      throw ExamError(
        .unsupportedFormat, file: path, "cannot be read as audio",
        fix: "send WAV, FLAC, Ogg Vorbis, AIFF or MP3 (check that the file is not truncated or mislabelled)",
        underlying: reason)
    }
    handle = opened
    info = AudioFileInfo(
      frameCount: Int(sfInfo.frames), channelCount: Int(sfInfo.channels), sampleRate: Int(sfInfo.samplerate),
      format: SoundFile.describe(format: sfInfo.format))
  }

  /// Reads up to `buffer.count / channelCount` interleaved frames; returns frames read (0 at end).
  func readFrames(into buffer: UnsafeMutableBufferPointer<Float>) -> Int {
    guard let handle, let base = buffer.baseAddress else { return 0 }
    return Int(sf_readf_float(handle, base, sf_count_t(buffer.count / info.channelCount)))
  }

  /// The library's error text for this handle ("No Error." when none).
  var lastError: String {
    guard let handle else { return "closed" }
    return String(cString: sf_strerror(handle))
  }

  /// libsndfile's parser log for this file (header chunks, warnings such as `data : N (should be M)`).
  var logInfo: String {
    guard let handle else { return "" }
    var buffer = [CChar](repeating: 0, count: 8192)
    buffer.withUnsafeMutableBufferPointer {
      _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), $0.baseAddress, Int32($0.count))
    }
    return String(cString: buffer)
  }

  var hasError: Bool {
    guard let handle else { return false }
    return sf_error(handle) != 0
  }

  func close() {
    if let handle { sf_close(handle) }
    handle = nil
  }

  deinit { close() }

  static func describe(format: Int32) -> String {
    let major: [Int32: String] = [
      Int32(SF_FORMAT_WAV): "WAV", Int32(SF_FORMAT_AIFF): "AIFF", Int32(SF_FORMAT_FLAC): "FLAC",
      Int32(SF_FORMAT_OGG): "OGG", Int32(SF_FORMAT_RAW): "RAW", Int32(SF_FORMAT_W64): "W64",
      Int32(SF_FORMAT_WAVEX): "WAVEX", Int32(SF_FORMAT_AU): "AU", Int32(SF_FORMAT_CAF): "CAF",
      Int32(SF_FORMAT_RF64): "RF64", Int32(SF_FORMAT_MPEG): "MPEG",
    ]
    let minor: [Int32: String] = [
      Int32(SF_FORMAT_PCM_S8): "PCM_S8", Int32(SF_FORMAT_PCM_U8): "PCM_U8", Int32(SF_FORMAT_PCM_16): "PCM_16",
      Int32(SF_FORMAT_PCM_24): "PCM_24", Int32(SF_FORMAT_PCM_32): "PCM_32", Int32(SF_FORMAT_FLOAT): "FLOAT",
      Int32(SF_FORMAT_DOUBLE): "DOUBLE", Int32(SF_FORMAT_ULAW): "ULAW", Int32(SF_FORMAT_ALAW): "ALAW",
      Int32(SF_FORMAT_GSM610): "GSM610", Int32(SF_FORMAT_VORBIS): "VORBIS", Int32(SF_FORMAT_OPUS): "OPUS",
      Int32(SF_FORMAT_MPEG_LAYER_III): "MP3",
    ]
    let m = major[format & Int32(SF_FORMAT_TYPEMASK)] ?? "0x\(String(format & Int32(SF_FORMAT_TYPEMASK), radix: 16))"
    let s = minor[format & Int32(SF_FORMAT_SUBMASK)] ?? "0x\(String(format & Int32(SF_FORMAT_SUBMASK), radix: 16))"
    return "\(m)/\(s)"
  }
}

/// Opens `path` for reading, runs `body`, and closes the file.
func withSoundFile<R>(atPath path: String, _ body: (SoundFile) throws(ExamError) -> R) throws(ExamError) -> R {
  let file = try SoundFile(readingFrom: path)
  defer { file.close() }
  return try body(file)
}

/// Reads an audio file's header only.
public func audioFileInfo(atPath path: String) throws(ExamError) -> AudioFileInfo {
  try withSoundFile(atPath: path) { $0.info }
}
