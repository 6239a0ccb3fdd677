/// Speech / non-speech per frame from speech-band energy against an adaptive noise floor, then pauses.
///
/// A frame is speech when its 300–3400 Hz energy is (a) within `vadDynamicRange` dB of the file's 99th
/// percentile and (b) above the noise floor (10th percentile) by at least `vadMinimumRise` dB or
/// `vadRiseFraction` of the floor-to-peak distance (the floor: 10th percentile of unvoiced frames), whichever is larger. Then gaps shorter than `bridgeGap`
/// are bridged and bursts shorter than `minimumSpeechBurst` are dropped. In white noise the floor rises with
/// the noise, so the threshold follows it.
struct VoiceActivity {
  /// One flag per frame.
  var speech: [Bool]
  /// dB, the noise floor and the threshold used.
  var noiseFloorDB: Double
  var thresholdDB: Double

  init(bandDB: [Double], voiced: [Bool], configuration c: AnalyzerConfiguration) {
    guard !bandDB.isEmpty else {
      speech = []
      noiseFloorDB = -150
      thresholdDB = -150
      return
    }
    let sorted = bandDB.sorted()
    let top = Statistics.quantile(sorted: sorted, 0.99)
    // The floor is the 10th percentile of the unvoiced frames (noise and pauses; in noise, the noise).
    // A recording voiced throughout has no such frames: the floor is then taken `vadMaximumFloor` under the top.
    let unvoiced = zip(bandDB, voiced).compactMap { $1 ? nil : $0 }.sorted()
    let floor =
      unvoiced.count >= max(3, bandDB.count / 20)
      ? Statistics.quantile(sorted: unvoiced, 0.10) : top - c.vadMaximumFloor
    let rise = max(c.vadMinimumRise, c.vadRiseFraction * (top - floor))
    let threshold = max(top - c.vadDynamicRange, floor + rise)
    noiseFloorDB = floor
    thresholdDB = threshold
    var flags = bandDB.map { $0 > threshold && $0 > -100 }
    // Hysteresis: speech extends (up to `vadHysteresisReach`) into neighbouring frames that stay above a lower threshold (weak word
    // endings, consonants), and voiced frames above it are speech; in noise this keeps words whole.
    let low = max(top - c.vadDynamicRange, floor + c.vadHysteresis * rise)
    if c.vadHysteresis < 1 {
      let strong = flags
      let reach = Int((c.vadHysteresisReach / c.frameStep).rounded())
      for i in flags.indices where !flags[i] && voiced[i] && bandDB[i] > low { flags[i] = true }
      // From each strong frame, extend at most `reach` frames each way while above the low threshold.
      for i in strong.indices where strong[i] {
        var j = i + 1
        while j < flags.count && j <= i + reach && !strong[j] && bandDB[j] > low {
          flags[j] = true
          j += 1
        }
        j = i - 1
        while j >= 0 && j >= i - reach && !strong[j] && bandDB[j] > low {
          flags[j] = true
          j -= 1
        }
      }
    }
    let step = c.frameStep
    VoiceActivity.fillRuns(&flags, value: false, shorterThan: Int((c.bridgeGap / step).rounded()), interiorOnly: true)
    VoiceActivity.fillRuns(
      &flags, value: true, shorterThan: Int((c.minimumSpeechBurst / step).rounded()), interiorOnly: false)
    speech = flags
  }

  /// Replaces runs of `value` shorter than `length` frames by `!value` (interior runs only when asked).
  static func fillRuns(_ flags: inout [Bool], value: Bool, shorterThan length: Int, interiorOnly: Bool) {
    guard length > 0 else { return }
    var i = 0
    while i < flags.count {
      guard flags[i] == value else {
        i += 1
        continue
      }
      var j = i
      while j < flags.count && flags[j] == value { j += 1 }
      let interior = i > 0 && j < flags.count
      if j - i < length && (interior || !interiorOnly) {
        for k in i..<j { flags[k] = !value }
      }
      i = j
    }
  }

  /// Pause and silence summary of `speech` with frames of `step` seconds.
  struct Pauses {
    var count = 0
    var lengths: [Double] = []
    var leading = 0.0
    var trailing = 0.0
    /// Speech runs between pauses, as frame ranges.
    var runs: [Range<Int>] = []
  }

  func pauses(step: Double, minimumPause: Double, duration: Double) -> Pauses {
    var result = Pauses()
    guard let first = speech.firstIndex(of: true), let last = speech.lastIndex(of: true) else {
      result.leading = duration
      return result
    }
    result.leading = Double(first) * step
    result.trailing = max(0, duration - Double(last + 1) * step)
    let minimumFrames = Int((minimumPause / step - 1e-9).rounded(.up))
    var runStart = first
    var i = first
    while i <= last {
      if speech[i] {
        i += 1
        continue
      }
      var j = i
      while j <= last && !speech[j] { j += 1 }
      if j - i >= minimumFrames {
        result.lengths.append(Double(j - i) * step)
        result.runs.append(runStart..<i)
        runStart = j
      }
      i = j
    }
    result.runs.append(runStart..<(last + 1))
    result.count = result.lengths.count
    return result
  }
}
