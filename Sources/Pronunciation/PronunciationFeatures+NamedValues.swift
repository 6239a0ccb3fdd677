/// The answer-level pronunciation measures under stable names, for the scorer's feature tables and models
/// (`pron_…`; GOP in nats per 10 ms frame). A missing answer has only `pron_missing` and what the encoder heard
/// without the text (`pron_free_…`), when it did.
extension PronunciationResult {
  /// The key holding why there are no measures: 0 when measured, else `MissingReason.numericCode`.
  public static let missingKey = "pron_missing"

  /// Every key `namedValues` can hold, in a stable order (`pron_missing` last).
  public static let numericKeys =
    [
      "pron_mean_gop", "pron_gop_deficit", "pron_p10_gop", "pron_share_low_phones", "pron_vowel_gop",
      "pron_consonant_gop", "pron_final_consonant_gop", "pron_alignment_score", "pron_duration_log_sd",
      "pron_median_duration_ratio", "pron_completeness", "pron_pause_count", "pron_pause_s", "pron_word_min_gop",
      "pron_retried", "pron_warp", "pron_lpp_mean", "pron_lpp_p10", "pron_margin_deficit", "pron_share_misheard",
      "pron_mark_mean", "pron_mark_p10", "pron_word_mark_min", "pron_learner_lpp_mean", "pron_encoder_lpp_mean",
    ] + ListeningMeasures.numericKeys + [missingKey]

  /// The measures by name; for a missing answer only `pron_missing` (its reason's code).
  public var namedValues: [String: Double] {
    let heard = listening?.namedValues ?? [:]
    guard let f = features else {
      return heard.merging([Self.missingKey: Double(missing?.numericCode ?? 0)]) { $1 }.filter { $0.value.isFinite }
    }
    let wordMinimum = words.isEmpty ? f.meanGOP : words.map(\.meanGOP).min() ?? f.meanGOP
    var values: [String: Double] = [
      "pron_mean_gop": f.meanGOP, "pron_gop_deficit": f.meanNormalisedGOPDeficit, "pron_p10_gop": f.p10GOP,
      "pron_share_low_phones": f.shareLowPhones, "pron_vowel_gop": f.vowelMeanGOP,
      "pron_consonant_gop": f.consonantMeanGOP, "pron_final_consonant_gop": f.wordFinalConsonantMeanGOP,
      "pron_alignment_score": f.alignmentScorePerFrame, "pron_duration_log_sd": f.durationRatioLogSD,
      "pron_median_duration_ratio": f.medianDurationRatio, "pron_completeness": f.completeness,
      "pron_pause_count": Double(f.pausesBetweenWords), "pron_pause_s": f.pauseSecondsBetweenWords,
      "pron_word_min_gop": wordMinimum, "pron_retried": retriedWithWideBeams ? 1 : 0,
      "pron_warp": frequencyWarp ?? 1, Self.missingKey: 0,
    ]
    values["pron_lpp_mean"] = f.meanLogPosterior
    values["pron_lpp_p10"] = f.p10LogPosterior
    values["pron_margin_deficit"] = f.meanMarginDeficit
    values["pron_share_misheard"] = f.shareMisheard
    values["pron_mark_mean"] = f.meanPhoneMark
    values["pron_mark_p10"] = f.p10PhoneMark
    values["pron_word_mark_min"] = f.minimumWordMark
    values["pron_learner_lpp_mean"] = f.meanLearnerLogPosterior
    values["pron_encoder_lpp_mean"] = f.meanEncoderLogPosterior
    values.merge(heard) { $1 }
    return values.filter { $0.value.isFinite }
  }

  /// Only the missing reason, for answers that were not aligned at all (no text, no model).
  public static func namedValues(missing reason: MissingReason) -> [String: Double] {
    [missingKey: Double(reason.numericCode)]
  }
}
