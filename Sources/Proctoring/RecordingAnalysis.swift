import AudioIO
import ExamCore
import SpeakerEmbedding
import SpeechDSP

/// Everything the recording rules need from one stored recording; cached in the store by its digest.
public struct RecordingAnalysis: Sendable, Codable, Equatable {
  /// Bumped whenever the analysis changes, so cached analyses are recomputed. 2: SpeechDSP's level meter and
  /// speaker profile; 3: the speaker encoder's embedding instead of the profile.
  public static let version = 3

  public var levels: LevelMeasurement
  public var fingerprint: AudioFingerprint
  /// The speaker embedding; nil when the answer had too little speech (`voiceSkipped` says why), was silent,
  /// or no speaker encoder was given.
  public var voice: VoiceEmbedding?
  public var voiceSkipped: VoiceSkipReason?

  public init(
    levels: LevelMeasurement, fingerprint: AudioFingerprint, voice: VoiceEmbedding?,
    voiceSkipped: VoiceSkipReason? = nil
  ) {
    self.levels = levels
    self.fingerprint = fingerprint
    self.voice = voice
    self.voiceSkipped = voiceSkipped
  }

  /// Whether the speaker encoder has looked at this answer (an embedding or a reason for none).
  public var hasVoiceOutcome: Bool { voice != nil || voiceSkipped != nil }
}

/// Computes `RecordingAnalysis` values: each recording decoded once, then SpeechDSP's level meter, the
/// fingerprint and the speaker encoder's embedding over the same samples. Holds FFT buffers: one per task.
public final class RecordingAnalyzer {
  private let fingerprintFFT = RealFFT(size: AudioFingerprint.frameLength)
  private let fingerprintWindow = RealFFT.periodicHann(AudioFingerprint.frameLength)
  /// nil: no voice embeddings (the voice-change rule then has nothing to compare).
  public let encoder: SpeakerEncoder?

  public init(encoder: SpeakerEncoder? = nil) { self.encoder = encoder }

  /// Analyses 16 kHz mono samples.
  public func analyze(samples: [Float]) -> RecordingAnalysis {
    let levels = samples.withUnsafeBufferPointer { LevelMeter.measure($0, sampleRate: AudioFingerprint.sampleRate) }
    let print = fingerprint(samples: samples)
    // A silent answer has no voice to describe (and no speech to find).
    guard let encoder, !levels.isSilent else {
      return RecordingAnalysis(levels: levels, fingerprint: print, voice: nil)
    }
    switch encoder.embed(samples) {
    case .success(let e): return RecordingAnalysis(levels: levels, fingerprint: print, voice: e)
    case .failure(let reason):
      return RecordingAnalysis(levels: levels, fingerprint: print, voice: nil, voiceSkipped: reason)
    }
  }

  /// Decodes `path` to 16 kHz mono and analyses it. With `levelsOnly` (a recording ingest already found silent, by
  /// the same `LevelMeter` definition) only the levels are measured: no rule compares a silent answer's
  /// fingerprint or voice, so the fingerprint is left empty and the voice nil.
  /// - Throws: the decoder's `ExamError` (notFound, unsupportedFormat, corrupt).
  public func analyze(path: String, levelsOnly: Bool = false) throws(ExamError) -> RecordingAnalysis {
    guard FileSystem.exists(path) else {
      throw ExamError(
        .notFound, file: path, "the stored recording is missing", fix: "re-ingest the batch that brought it")
    }
    let samples = try decodeMono(path: path, targetSampleRate: AudioFingerprint.sampleRate).samples
    guard levelsOnly else { return analyze(samples: samples) }
    let levels = LevelMeter.measure(samples, sampleRate: AudioFingerprint.sampleRate)
    // Only if the measurement agrees: a recording re-measured as not silent gets the full analysis.
    guard levels.isSilent else { return analyze(samples: samples) }
    return RecordingAnalysis(levels: levels, fingerprint: AudioFingerprint(frames: [], loud: []), voice: nil)
  }

  /// Fingerprint only.
  public func fingerprint(samples: [Float]) -> AudioFingerprint {
    samples.withUnsafeBufferPointer { AudioFingerprint(samples: $0, fft: fingerprintFFT, window: fingerprintWindow) }
  }
}
