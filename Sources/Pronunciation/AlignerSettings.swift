/// The decoder settings that decide speed and agreement (docs/benchmarks.md, "Pronunciation", measures each).
public struct AlignerSettings: Sendable, Equatable {
  /// HMM state beam (pocketsphinx `-beam`, also `-pbeam` and `-wbeam`): a probability ratio, smaller is wider.
  public var beam: Double
  /// Score every senone in every frame (`-compallsen`, ≈ 4× the cost). Without it (the standard) each frame's
  /// scores are relative to the best senone still in the search — the aligned phone's neighbours, variants and
  /// the optional silences — and on speechocean762 that GOP agrees with the experts as well as the all-senone one
  /// (docs/accuracy.md, "Pronunciation"), at 60× real time instead of 16×. `PhoneNorms` and
  /// `PronunciationThresholds.standard` hold for the standard only.
  public var scoreAllSenones: Bool
  /// Gaussians kept per codebook (`-topn`, 4 in the model's defaults).
  public var topGaussians: Int
  /// Compute the acoustic scores every n-th frame only (`-ds`; 1 = every frame).
  public var frameDownsampling: Int
  /// Seconds of quiet kept before the first and after the last loud frame; the rest is not decoded
  /// (our own frame skipping: pocketsphinx's `-remove_silence` would shift the frame numbers).
  public var silenceMarginSeconds: Double
  /// Vocal-tract warps of the front end's mel filters (pocketsphinx `-warp_type piecewise_linear -warp_params`;
  /// 1 = not warped, below 1 fits a shorter vocal tract), from the longest vocal tract to the shortest. The
  /// standard pair: the model's adult men (1) and a child's or woman's shorter vocal tract (0.7: about 12 cm against
  /// an adult man's 17 cm) — docs/accuracy.md, "Vocal tract length normalisation".
  public var frequencyWarps: [Double]
  /// How the warp is chosen when the answer's median pitch is known: `frequencyWarps[i]` where i is the number of
  /// these ascending thresholds the pitch is above, at most the last warp (standard: 165 Hz, where adult women's
  /// voices begin; men speak at 85–155 Hz, women 165–255 Hz, children higher), so one decode per answer. Empty, or
  /// no pitch (an unvoiced answer, a caller without SpeechDSP's features): every warp is decoded and the best
  /// acoustic fit kept.
  public var warpPitchThresholdsHz: [Double]
  /// Score the aligned frames against every phone of the model (`SenoneModel`, `PhonePosteriors`): each phone's
  /// log posterior, its margin over the nearest other phone, and the phone its frames fit best. Off, those
  /// `PhoneScore` fields and the answer's log-posterior measures (`pron_lpp_mean`, …) are nil.
  public var scoresEveryPhone: Bool
  /// Score every n-th frame of each phone against every phone (its first frame always): neighbouring 10 ms frames
  /// say nearly the same. 2 (the standard) costs 0.002 of phone-level r and nothing in the calibrated model's
  /// cross-validation, and lifts the whole aligner from 44× to 54× real time per core (docs/benchmarks.md,
  /// "Pronunciation", session 14). Values below 1 count as 1.
  public var posteriorFrameStep: Int

  public init(
    beam: Double = 1e-48, scoreAllSenones: Bool = false, topGaussians: Int = 4, frameDownsampling: Int = 1,
    silenceMarginSeconds: Double = 0.3, frequencyWarps: [Double] = [1, 0.7],
    warpPitchThresholdsHz: [Double] = [165], scoresEveryPhone: Bool = true, posteriorFrameStep: Int = 2
  ) {
    self.scoresEveryPhone = scoresEveryPhone
    self.posteriorFrameStep = posteriorFrameStep
    self.frequencyWarps = frequencyWarps
    self.warpPitchThresholdsHz = warpPitchThresholdsHz
    self.beam = beam
    self.scoreAllSenones = scoreAllSenones
    self.topGaussians = topGaussians
    self.frameDownsampling = frameDownsampling
    self.silenceMarginSeconds = silenceMarginSeconds
  }

  /// The settings the scorer uses unless told otherwise.
  public static let standard = AlignerSettings()
  /// The retry after a failed alignment: beams as wide as pocketsphinx allows.
  public static let wide = AlignerSettings(beam: 1e-80)

  /// The warp for an answer of `medianPitchHz`, or nil when every warp is to be decoded and the best fit kept.
  public func warp(forPitchHz medianPitchHz: Double?) -> Double? {
    guard let pitch = medianPitchHz, pitch.isFinite, pitch > 0, !warpPitchThresholdsHz.isEmpty else { return nil }
    return frequencyWarps[min(warpPitchThresholdsHz.filter { pitch > $0 }.count, frequencyWarps.count - 1)]
  }

  /// The same settings with wide beams, for the retry.
  public var widened: AlignerSettings {
    var copy = self
    copy.beam = AlignerSettings.wide.beam
    return copy
  }
}
