internal import CSndFile
import ExamCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The encodings ExamKit writes.
public enum AudioEncoding: Sendable {
  /// FLAC, 16-bit: the store's format for every answer (lossless for 16-bit sources, about half the size of WAV).
  case flac16
  /// WAV, 16-bit PCM.
  case wav16
  /// WAV, 32-bit float.
  case wavFloat
  /// MPEG-1/2 Layer III through libsndfile's LAME (lossy; for test batches and tools, never for the store).
  case mp3

  var sndfileFormat: Int32 {
    switch self {
    case .flac16: Int32(SF_FORMAT_FLAC) | Int32(SF_FORMAT_PCM_16)
    case .wav16: Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_PCM_16)
    case .wavFloat: Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_FLOAT)
    case .mp3: Int32(SF_FORMAT_MPEG) | Int32(SF_FORMAT_MPEG_LAYER_III)
    }
  }
}

/// A mono audio file being written through libsndfile. Owns the `SNDFILE*`; call `close()` to finish it.
///
/// Samples are clipped to [-1, 1] before conversion to integers (libsndfile's clipping mode), so loud
/// input saturates instead of wrapping around.
public final class AudioWriter {
  private var handle: OpaquePointer?
  public let path: String
  public let sampleRate: Int

  public init(path: String, sampleRate: Int, encoding: AudioEncoding) throws(ExamError) {
    self.path = path
    self.sampleRate = sampleRate
    var info = SF_INFO()
    info.samplerate = Int32(sampleRate)
    info.channels = 1
    info.format = encoding.sndfileFormat
    guard let opened = sf_open(path, Int32(SFM_WRITE), &info) else {
      throw ExamError(
        .io, file: path, "cannot create the audio file", fix: "check that the folder exists and is writable",
        underlying: String(cString: sf_strerror(nil)))
    }
    handle = opened
    sf_command(opened, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
  }

  /// Appends mono samples.
  public func write(_ samples: UnsafeBufferPointer<Float>) throws(ExamError) {
    guard let handle, let base = samples.baseAddress, !samples.isEmpty else { return }
    let written = sf_writef_float(handle, base, sf_count_t(samples.count))
    guard written == samples.count else {
      throw ExamError(
        .io, file: path, "wrote \(written) of \(samples.count) frames", fix: "check free space",
        underlying: String(cString: sf_strerror(handle)))
    }
  }

  public func write(_ samples: [Float]) throws(ExamError) {
    try samples.withUnsafeBufferPointer { (buffer) throws(ExamError) in try write(buffer) }
  }

  /// Finishes the file (writes the last frames and the headers) and syncs it to disk. The sync comes after
  /// `sf_close`, because closing is what writes a FLAC's last frame and a WAV's sizes: syncing before it
  /// would leave those in the page cache when the caller goes on to store the file and commit its row.
  public func close() {
    guard let handle else { return }
    sf_close(handle)
    self.handle = nil
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      _ = closeDescriptor(fd)
    }
  }

  deinit { close() }
}

/// Writes `samples` to `path` in one go.
public func writeMono(_ samples: [Float], sampleRate: Int, to path: String, encoding: AudioEncoding) throws(ExamError) {
  let writer = try AudioWriter(path: path, sampleRate: sampleRate, encoding: encoding)
  defer { writer.close() }
  try writer.write(samples)
}

/// `close(2)`, named apart from `AudioWriter.close()`.
private func closeDescriptor(_ fd: Int32) -> Int32 {
  #if canImport(Glibc)
    Glibc.close(fd)
  #else
    Darwin.close(fd)
  #endif
}
