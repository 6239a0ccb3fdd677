extension SpeechFeatures {
  /// Every numeric feature by its JSON key, for transparent models: finite values only, absent ones omitted
  /// (`file` and `speaker_profile` are not single numbers and are left out).
  public var namedValues: [String: Double] {
    var values: [String: Double] = [:]
    func put(_ key: CodingKeys, _ value: Double?) {
      if let value, value.isFinite { values[key.rawValue] = value }
    }
    put(.durationSeconds, durationSeconds)
    put(.sourceSampleRate, Double(sourceSampleRate))
    put(.rmsDBFS, rmsDBFS)
    put(.peakDBFS, peakDBFS)
    put(.clippingRatio, clippingRatio)
    put(.dcOffset, dcOffset)
    put(.zeroRunCount, Double(zeroRunCount))
    put(.zeroRunLongestSeconds, zeroRunLongestSeconds)
    put(.snrDB, snrDB)
    put(.speechRatio, speechRatio)
    put(.speechSeconds, speechSeconds)
    put(.pauseCount, Double(pauseCount))
    put(.pauseMeanSeconds, pauseMeanSeconds)
    put(.pauseLongestSeconds, pauseLongestSeconds)
    put(.pauseTotalSeconds, pauseTotalSeconds)
    put(.leadingSilenceSeconds, leadingSilenceSeconds)
    put(.trailingSilenceSeconds, trailingSilenceSeconds)
    put(.syllableCount, Double(syllableCount))
    put(.speechRate, speechRate)
    put(.articulationRate, articulationRate)
    put(.meanLengthOfRun, meanLengthOfRun)
    put(.f0MedianHz, f0MedianHz)
    put(.f0IQRSemitones, f0IQRSemitones)
    put(.f0RangeSemitones, f0RangeSemitones)
    put(.voicedFraction, voicedFraction)
    put(.voicedSpeechFraction, voicedSpeechFraction)
    put(.refDistance, refDistance)
    put(.refCoverage, refCoverage)
    put(.refF0Correlation, refF0Correlation)
    return values
  }

  /// The JSON keys `namedValues` can hold, in a stable order.
  public static var numericKeys: [String] {
    CodingKeys.allCases.filter { $0 != .file && $0 != .speakerProfile }.map(\.rawValue)
  }
}
