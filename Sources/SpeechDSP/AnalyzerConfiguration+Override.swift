import ExamCore

extension AnalyzerConfiguration {
  /// The settings that `set(_:to:)` accepts, by name.
  public static let tunableKeys: [String] = [
    "minimum_pause", "vad_dynamic_range", "vad_rise_fraction", "vad_minimum_rise", "vad_maximum_floor",
    "vad_hysteresis", "vad_hysteresis_reach", "minimum_speech_burst",
    "bridge_gap", "pitch_floor", "pitch_ceiling", "voicing_threshold", "silence_threshold", "octave_cost",
    "octave_jump_cost", "voiced_unvoiced_cost", "syllable_minimum_dip", "syllable_dynamic_range",
    "intensity_smoothing", "syllable_minimum_gap", "nucleus_band_low", "nucleus_band_high", "nucleus_subbands",
    "unvoiced_penalty", "syllable_local_range", "syllable_local_window", "dtw_band_fraction", "dtw_deltas",
    "coverage_distance",
  ]

  /// Changes one setting from text such as `syllable_minimum_dip=3` (for evaluation scripts).
  /// - Throws: `ExamError.invalidInput` naming the key or value when either is unknown or not a number.
  public mutating func set(_ assignment: String) throws(ExamError) {
    let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
      throw ExamError(
        .invalidInput, location: assignment, "expected KEY=NUMBER", fix: "for example syllable_minimum_dip=3")
    }
    switch parts[0] {
    case "minimum_pause": minimumPause = value
    case "vad_dynamic_range": vadDynamicRange = value
    case "vad_rise_fraction": vadRiseFraction = value
    case "vad_minimum_rise": vadMinimumRise = value
    case "vad_maximum_floor": vadMaximumFloor = value
    case "vad_hysteresis": vadHysteresis = value
    case "vad_hysteresis_reach": vadHysteresisReach = value
    case "minimum_speech_burst": minimumSpeechBurst = value
    case "bridge_gap": bridgeGap = value
    case "pitch_floor": pitchFloor = value
    case "pitch_ceiling": pitchCeiling = value
    case "voicing_threshold": voicingThreshold = value
    case "silence_threshold": silenceThreshold = value
    case "octave_cost": octaveCost = value
    case "octave_jump_cost": octaveJumpCost = value
    case "voiced_unvoiced_cost": voicedUnvoicedCost = value
    case "syllable_minimum_dip": syllableMinimumDip = value
    case "syllable_dynamic_range": syllableDynamicRange = value
    case "intensity_smoothing": intensitySmoothing = value
    case "syllable_minimum_gap": syllableMinimumGap = value
    case "nucleus_band_low": nucleusBandLow = value
    case "nucleus_band_high": nucleusBandHigh = value
    case "nucleus_subbands": nucleusSubbands = max(1, min(32, Int(value)))
    case "unvoiced_penalty": unvoicedPenalty = value
    case "syllable_local_range": syllableLocalRange = value
    case "syllable_local_window": syllableLocalWindow = value
    case "dtw_band_fraction": dtwBandFraction = value
    case "dtw_deltas": dtwDeltas = value != 0
    case "coverage_distance": coverageDistance = value
    default:
      throw ExamError(
        .invalidInput, location: assignment, "unknown setting '\(parts[0])'",
        fix: "use one of: " + Self.tunableKeys.joined(separator: ", "))
    }
    guard pitchFloor > 0, nucleusBandHigh > nucleusBandLow, nucleusBandLow >= 0, pitchCeiling > pitchFloor,
      minimumPause > 0, dtwBandFraction > 0
    else {
      throw ExamError(
        .invalidInput, location: assignment, "value \(value) is out of range",
        fix: "pitch_floor > 0, pitch_ceiling > pitch_floor, minimum_pause > 0, dtw_band_fraction > 0")
    }
  }
}
