import AudioIO
import ExamCore
import SpeechDSP

/// Everything the recording rules need from one stored recording; cached in the store by its digest.
public struct RecordingAnalysis: Sendable, Codable, Equatable {
  /// Bumped whenever the analysis changes, so cached analyses are recomputed. 2: SpeechDSP's level meter and
  /// speaker profile.
  public static let version = 2

  public var levels: LevelMeasurement
  public var fingerprint: AudioFingerprint
  /// nil when the recording has too little voice to describe.
  public var profile: SpeakerProfile?

  public init(levels: LevelMeasurement, fingerprint: AudioFingerprint, profile: SpeakerProfile?) {
    self.levels = levels
    self.fingerprint = fingerprint
    self.profile = profile
  }
}

/// Computes `RecordingAnalysis` values: each recording decoded once, then SpeechDSP's level meter, the
/// fingerprint and SpeechDSP's speaker profile over the same samples. Holds FFT buffers: one per task.
public final class RecordingAnalyzer {
  private let fingerprintFFT = RealFFT(size: AudioFingerprint.frameLength)
  private let fingerprintWindow = RealFFT.periodicHann(AudioFingerprint.frameLength)
  private let speech = SpeechAnalyzer()

  public init() {}

  /// Analyses 16 kHz mono samples.
  public func analyze(samples: [Float]) -> RecordingAnalysis {
    samples.withUnsafeBufferPointer { buffer in
      RecordingAnalysis(
        levels: LevelMeter.measure(buffer, sampleRate: AudioFingerprint.sampleRate),
        fingerprint: AudioFingerprint(samples: buffer, fft: fingerprintFFT, window: fingerprintWindow),
        profile: SpeakerProfile(samples: buffer, analyzer: speech))
    }
  }

  /// Decodes `path` to 16 kHz mono and analyses it. With `levelsOnly` (a recording ingest already found silent, by
  /// the same `LevelMeter` definition) only the levels are measured: no rule compares a silent answer's
  /// fingerprint or voice, so the fingerprint is left empty and the profile nil.
  /// - Throws: the decoder's `ExamError` (notFound, unsupportedFormat, corrupt).
  public func analyze(path: String, levelsOnly: Bool = false) throws(ExamError) -> RecordingAnalysis {
    guard FileSystem.exists(path) else {
      throw ExamError(.notFound, file: path, "the stored recording is missing", fix: "re-ingest the batch that brought it")
    }
    let samples = try decodeMono(path: path, targetSampleRate: AudioFingerprint.sampleRate).samples
    guard levelsOnly else { return analyze(samples: samples) }
    let levels = LevelMeter.measure(samples, sampleRate: AudioFingerprint.sampleRate)
    // Only if the measurement agrees: a recording re-measured as not silent gets the full analysis.
    guard levels.isSilent else { return analyze(samples: samples) }
    return RecordingAnalysis(levels: levels, fingerprint: AudioFingerprint(frames: [], loud: []), profile: nil)
  }

  /// Speaker profile only (for callers that have samples and need no fingerprint).
  public func profile(samples: [Float]) -> SpeakerProfile? {
    samples.withUnsafeBufferPointer { SpeakerProfile(samples: $0, analyzer: speech) }
  }

  /// Fingerprint only.
  public func fingerprint(samples: [Float]) -> AudioFingerprint {
    samples.withUnsafeBufferPointer { AudioFingerprint(samples: $0, fft: fingerprintFFT, window: fingerprintWindow) }
  }
}
