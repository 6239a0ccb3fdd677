/// Every measurement of one recorded answer: levels, voice activity, pauses, syllable rate, pitch,
/// and (with a reference reading) its similarity to the reference.
///
/// JSON keys are snake_case and carry their unit (`_s` seconds, `_hz` Hz, `_st` semitones, `_db`/`_dbfs`
/// decibels, `_syl_s` syllables per second). Optional values are JSON `null` when they cannot exist (no voiced
/// frame → no F0; no reference → no `ref_*`). Method and units of each field: Sources/SpeechDSP/README.md.
public struct SpeechFeatures: Sendable, Codable, Equatable {
  /// The file the answer came from (as given), or "" for in-memory audio.
  public var file: String
  /// s, of the decoded audio.
  public var durationSeconds: Double
  /// Hz of the source file before resampling.
  public var sourceSampleRate: Int

  // MARK: Levels
  /// dBFS of the RMS over all samples (nil for digital silence).
  public var rmsDBFS: Double?
  /// dBFS of the largest absolute sample (nil for digital silence).
  public var peakDBFS: Double?
  /// Fraction of samples that clip (|x| ≥ 0.99, `LevelMeter.clipLevel`).
  public var clippingRatio: Double
  /// Mean sample value (full scale = 1).
  public var dcOffset: Double
  /// Runs of digital zeros (|x| < 2⁻¹⁶) lasting at least 20 ms (`LevelMeter`): dropouts, muted input.
  public var zeroRunCount: Int
  /// s, longest such run (0 when none).
  public var zeroRunLongestSeconds: Double
  /// dB, speech frames' power over the noise floor's (nil when there is no speech or no noise floor).
  public var snrDB: Double?

  // MARK: Voice activity and pauses
  /// Fraction of 10 ms frames judged speech.
  public var speechRatio: Double
  /// s of speech frames (phonation time).
  public var speechSeconds: Double
  /// Silences of at least the minimum pause (0.25 s) between the first and last speech frame.
  public var pauseCount: Int
  /// s, mean pause length (nil without pauses).
  public var pauseMeanSeconds: Double?
  /// s, longest pause (0 without pauses).
  public var pauseLongestSeconds: Double
  /// s, total pause time.
  public var pauseTotalSeconds: Double
  /// s before the first speech frame (the whole duration when there is no speech).
  public var leadingSilenceSeconds: Double
  /// s after the last speech frame (0 when there is no speech).
  public var trailingSilenceSeconds: Double

  // MARK: Syllables and rates
  /// Syllable nuclei found (intensity peaks in voiced speech, de Jong & Wempe 2009).
  public var syllableCount: Int
  /// Syllables per second of total duration.
  public var speechRate: Double
  /// Syllables per second of phonation time: the speech runs between pauses (nil without speech).
  public var articulationRate: Double?
  /// Syllables per run between pauses (nil without speech).
  public var meanLengthOfRun: Double?

  // MARK: Pitch
  /// Hz, median F0 of voiced frames (nil when no frame is voiced).
  public var f0MedianHz: Double?
  /// Semitones between the 25th and 75th percentile of F0.
  public var f0IQRSemitones: Double?
  /// Semitones between the 5th and 95th percentile of F0.
  public var f0RangeSemitones: Double?
  /// Fraction of 10 ms frames that are voiced.
  public var voicedFraction: Double
  /// Fraction of speech frames that are voiced (nil without speech).
  public var voicedSpeechFraction: Double?

  // MARK: Similarity to a reference reading
  /// Mean per-frame MFCC distance along the banded DTW path (0 = identical; nil without reference).
  public var refDistance: Double?
  /// Fraction of the reference's speech frames matched closely by the answer (0–1).
  public var refCoverage: Double?
  /// Pearson r of the two F0 contours (semitones) along the path where both are voiced.
  public var refF0Correlation: Double?

  /// Speaker-characterising summary: mean of MFCC 1–12 over voiced frames, their standard deviations, and
  /// log2 of the median F0 (0 when unvoiced) — 25 values, for "a different voice" checks. Empty when no
  /// frame is voiced.
  public var speakerProfile: [Double]

  enum CodingKeys: String, CodingKey, CaseIterable {
    case file
    case durationSeconds = "duration_s"
    case sourceSampleRate = "source_sample_rate_hz"
    case rmsDBFS = "rms_dbfs"
    case peakDBFS = "peak_dbfs"
    case clippingRatio = "clipping_ratio"
    case dcOffset = "dc_offset"
    case zeroRunCount = "zero_run_count"
    case zeroRunLongestSeconds = "zero_run_longest_s"
    case snrDB = "snr_db"
    case speechRatio = "speech_ratio"
    case speechSeconds = "speech_s"
    case pauseCount = "pause_count"
    case pauseMeanSeconds = "pause_mean_s"
    case pauseLongestSeconds = "pause_longest_s"
    case pauseTotalSeconds = "pause_total_s"
    case leadingSilenceSeconds = "leading_silence_s"
    case trailingSilenceSeconds = "trailing_silence_s"
    case syllableCount = "syllable_count"
    case speechRate = "speech_rate_syl_s"
    case articulationRate = "articulation_rate_syl_s"
    case meanLengthOfRun = "mean_length_of_run_syl"
    case f0MedianHz = "f0_median_hz"
    case f0IQRSemitones = "f0_iqr_st"
    case f0RangeSemitones = "f0_range_st"
    case voicedFraction = "voiced_fraction"
    case voicedSpeechFraction = "voiced_speech_fraction"
    case refDistance = "ref_distance"
    case refCoverage = "ref_coverage"
    case refF0Correlation = "ref_f0_correlation"
    case speakerProfile = "speaker_profile"
  }

  /// An answer with nothing measured yet: `file` and duration only.
  public init(file: String, durationSeconds: Double, sourceSampleRate: Int) {
    self.file = file
    self.durationSeconds = durationSeconds
    self.sourceSampleRate = sourceSampleRate
    clippingRatio = 0
    dcOffset = 0
    zeroRunCount = 0
    zeroRunLongestSeconds = 0
    speechRatio = 0
    speechSeconds = 0
    pauseCount = 0
    pauseLongestSeconds = 0
    pauseTotalSeconds = 0
    leadingSilenceSeconds = durationSeconds
    trailingSilenceSeconds = 0
    syllableCount = 0
    speechRate = 0
    voicedFraction = 0
    speakerProfile = []
  }
}
