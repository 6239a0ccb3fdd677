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
  public func analyze(samples: [Float]) -> RecordingAnalysis { analyze(answers: [samples])[0] }

  /// Analyses several answers of 16 kHz mono samples; their voice embeddings share the encoder's network batches
  /// (2–3 times faster than one answer at a time, docs/benchmarks.md).
  public func analyze(answers: [[Float]]) -> [RecordingAnalysis] {
    var analyses = answers.map { samples in
      let levels = samples.withUnsafeBufferPointer { LevelMeter.measure($0, sampleRate: AudioFingerprint.sampleRate) }
      return RecordingAnalysis(levels: levels, fingerprint: fingerprint(samples: samples), voice: nil)
    }
    // A silent answer has no voice to describe (and no speech to find).
    guard let encoder else { return analyses }
    let voiced = analyses.indices.filter { !analyses[$0].levels.isSilent }
    for (k, outcome) in zip(voiced, encoder.embed(voiced.map { answers[$0] })) {
      switch outcome {
      case .success(let e): analyses[k].voice = e
      case .failure(let reason): analyses[k].voiceSkipped = reason
      }
    }
    return analyses
  }

  /// Decodes `path` to 16 kHz mono and analyses it. With `levelsOnly` (a recording ingest already found silent, by
  /// the same `LevelMeter` definition) only the levels are measured: no rule compares a silent answer's
  /// fingerprint or voice, so the fingerprint is left empty and the voice nil.
  /// - Throws: the decoder's `ExamError` (notFound, unsupportedFormat, corrupt).
  public func analyze(path: String, levelsOnly: Bool = false) throws(ExamError) -> RecordingAnalysis {
    try analyze(paths: [path], levelsOnly: [levelsOnly])[0].get()
  }

  /// `analyze(path:levelsOnly:)` of several recordings (same order), their embeddings batched; a recording that
  /// cannot be read is a failure in its place, the others are analysed.
  public func analyze(paths: [String], levelsOnly: [Bool]) -> [Result<RecordingAnalysis, ExamError>] {
    precondition(paths.count == levelsOnly.count)
    var results = [Result<RecordingAnalysis, ExamError>?](repeating: nil, count: paths.count)
    var full: [Int] = []
    var samples: [[Float]] = []
    for (k, path) in paths.enumerated() {
      do throws(ExamError) {
        guard FileSystem.exists(path) else {
          throw ExamError(
            .notFound, file: path, "the stored recording is missing", fix: "re-ingest the batch that brought it")
        }
        let x = try decodeMono(path: path, targetSampleRate: AudioFingerprint.sampleRate).samples
        if levelsOnly[k] {
          let levels = LevelMeter.measure(x, sampleRate: AudioFingerprint.sampleRate)
          // Only if the measurement agrees: a recording re-measured as not silent gets the full analysis.
          if levels.isSilent {
            results[k] = .success(
              RecordingAnalysis(levels: levels, fingerprint: AudioFingerprint(frames: [], loud: []), voice: nil))
            continue
          }
        }
        full.append(k)
        samples.append(x)
      } catch {
        results[k] = .failure(error)
      }
    }
    for (k, a) in zip(full, analyze(answers: samples)) { results[k] = .success(a) }
    return results.map { $0! }
  }

  /// Fingerprint only.
  public func fingerprint(samples: [Float]) -> AudioFingerprint {
    samples.withUnsafeBufferPointer { AudioFingerprint(samples: $0, fft: fingerprintFFT, window: fingerprintWindow) }
  }
}
