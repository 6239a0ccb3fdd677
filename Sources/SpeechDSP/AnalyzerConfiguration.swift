/// Settings of `SpeechAnalyzer`. The defaults are the ones measured in docs/accuracy.md; change them only
/// to evaluate alternatives (the tuning scripts in Tools/ do).
public struct AnalyzerConfiguration: Sendable, Equatable {
  /// Hz the audio is analysed at (files are resampled to it).
  public var sampleRate = 16_000
  /// s between frames (voice activity, pitch, MFCC, intensity).
  public var frameStep = 0.010

  // Voice activity
  /// s, shortest silence counted as a pause.
  public var minimumPause = 0.25
  /// dB below the 99th percentile of frame energy under which a frame is never speech.
  public var vadDynamicRange = 30.0
  /// Fraction of the distance from the noise floor to the 99th percentile a frame must rise above the noise.
  public var vadRiseFraction = 0.25
  /// dB, the noise floor is taken at least this far under the 99th percentile (for all-speech recordings).
  public var vadMaximumFloor = 12.0
  /// dB a speech frame must rise above the noise floor at least.
  public var vadMinimumRise = 4.0
  /// Fraction of the rise that frames next to speech (or voiced frames) need to count as speech (1 = off).
  public var vadHysteresis = 0.1
  /// s, how far speech may extend into low-threshold frames on each side.
  public var vadHysteresisReach = 0.05
  /// s, speech bursts shorter than this are dropped (clicks).
  public var minimumSpeechBurst = 0.06
  /// s, gaps shorter than this inside speech are bridged.
  public var bridgeGap = 0.08

  // Pitch (Boersma 1993 autocorrelation with Praat's costs)
  /// Hz, lowest F0 searched (sets the 3-period window: 40 ms at 75 Hz).
  public var pitchFloor = 75.0
  /// Hz, highest F0 searched (children reach 600 Hz).
  public var pitchCeiling = 600.0
  public var voicingThreshold = 0.45
  public var silenceThreshold = 0.03
  public var octaveCost = 0.01
  public var octaveJumpCost = 0.35
  public var voicedUnvoicedCost = 0.14

  // Syllable nuclei (de Jong & Wempe 2009, adapted)
  /// dB, a peak must stand out by this much from the dips to its neighbouring peaks.
  public var syllableMinimumDip = 2.5
  /// dB below the 99th percentile of intensity under which no peak counts.
  public var syllableDynamicRange = 25.0
  /// s, nuclei closer than this are merged (the louder kept).
  public var syllableMinimumGap = 0.0
  /// Hz, the band whose energy makes the intensity contour for nuclei (vowel energy).
  public var nucleusBandLow = 300.0
  public var nucleusBandHigh = 3_400.0
  /// Log-spaced sub-bands of the nuclei band whose mean cross-band amplitude product is the contour (1 = the
  /// band's plain power).
  public var nucleusSubbands = 8
  /// dB subtracted from unvoiced frames of the contour before peak picking (0 = off): voicing and intensity
  /// judged jointly, so fricatives and bursts do not make peaks.
  public var unvoicedPenalty = 6.0
  /// dB below the highest contour point within `syllableLocalWindow` under which no peak counts (local
  /// dynamic range: weak peaks beside a stressed vowel are consonants or glides, not nuclei).
  public var syllableLocalRange = 15.0
  /// s, half-width of the window for `syllableLocalRange`.
  public var syllableLocalWindow = 0.25
  /// Frames, standard deviation of the Gaussian smoothing the intensity contour.
  public var intensitySmoothing = 1.5

  // Reference similarity
  /// Fraction of the longer sequence the DTW band allows on either side of the scaled diagonal.
  public var dtwBandFraction = 0.15
  /// Whether DTW compares MFCC deltas as well as c1–c12.
  public var dtwDeltas = true
  /// Per-frame MFCC distance under which a reference frame counts as covered.
  public var coverageDistance = 1.0

  public init() {}

  /// Samples per frame step at `sampleRate`.
  var hop: Int { Int((frameStep * Double(sampleRate)).rounded()) }
}
