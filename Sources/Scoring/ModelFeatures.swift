import Foundation

/// The model's inputs: monotone transforms of the measured features, and rates normalised by the prompt.
///
/// Every input is named; a model lists the names it uses. Durations enter as logarithms (a pause of 2 s is not
/// twice as bad as one of 1 s), counts as rates. With a prompt text, the syllables the text asks for
/// (`TextSyllables`) normalise time and pauses: a slow reader needs more seconds per expected syllable,
/// whatever the sentence's length.
public enum ModelFeatures {
  /// Inputs that need only the recording: SpeechDSP's, and what the speech encoder's phone classifier hears
  /// without a text (`pron_free_…`, `ListeningMeasures`; missing where the encoder is not installed).
  public static let audioOnly = [
    "log_duration_s", "speech_ratio", "log_speech_s", "speech_rate_syl_s", "articulation_rate_syl_s",
    "pause_count", "log_pause_total_s", "log_pause_longest_s", "log_pause_mean_s",
    "log_leading_silence_s", "log_trailing_silence_s", "mean_length_of_run_syl", "f0_iqr_st", "f0_range_st",
    "voiced_fraction", "voiced_speech_fraction", "snr_db", "log_syllable_count",
    "pron_free_speech_share", "pron_free_clarity_mean", "pron_free_clarity_p10", "pron_free_entropy",
    "pron_free_change_rate",
  ]
  /// Inputs that also need the prompt text.
  public static let withText = [
    "log_expected_syllables", "log_s_per_expected_syl", "log_speech_s_per_expected_syl",
    "log_syllable_ratio", "pauses_per_word", "log_pause_s_per_expected_syl", "pauses_per_word_sq",
    "log_s_per_expected_syl_sq",
  ]
  /// Inputs that need the prompt aligned with the acoustic model (`AnswerExtractor`, `pron_…`): goodness of
  /// pronunciation, phone durations and completeness. Recording-chain measures stay out of this set.
  public static let pronunciation = [
    "pron_mean_gop", "pron_gop_deficit", "pron_p10_gop", "pron_share_low_phones", "pron_vowel_gop",
    "pron_consonant_gop", "pron_final_consonant_gop", "pron_alignment_score", "pron_duration_log_sd",
    "log_pron_median_duration_ratio", "pron_completeness", "pron_pause_count", "log_pron_pause_s", "pron_word_min_gop",
    "pron_lpp_mean", "pron_lpp_p10", "pron_margin_deficit", "pron_share_misheard", "pron_mark_mean", "pron_mark_p10",
    "pron_word_mark_min", "pron_learner_lpp_mean", "pron_encoder_lpp_mean",
  ]
  /// Inputs that need a reference reading.
  public static let withReference = ["ref_distance", "ref_coverage", "ref_f0_correlation"]

  /// Whether `values` hold an aligned answer's pronunciation measures.
  public static func hasPronunciation(_ values: [String: Double]) -> Bool {
    values["pron_mean_gop"]?.isFinite == true && (values["pron_missing"] ?? 0) == 0
  }

  /// Derives every input it can from measured `values` (SpeechDSP's JSON keys) and the prompt `text`.
  public static func derive(_ values: [String: Double], text: String?) -> [String: Double] {
    var out: [String: Double] = [:]
    func v(_ key: String) -> Double? { values[key].flatMap { $0.isFinite ? $0 : nil } }
    func logSeconds(_ x: Double) -> Double { log(max(x, 0) + 0.05) }
    if let d = v("duration_s") { out["log_duration_s"] = logSeconds(d) }
    if let x = v("speech_ratio") { out["speech_ratio"] = x }
    if let x = v("speech_s") { out["log_speech_s"] = logSeconds(x) }
    for key in [
      "speech_rate_syl_s", "articulation_rate_syl_s", "pause_count", "mean_length_of_run_syl", "f0_iqr_st",
      "f0_range_st", "voiced_fraction", "voiced_speech_fraction", "snr_db",
    ] {
      if let x = v(key) { out[key] = x }
    }
    if let x = v("pause_total_s") { out["log_pause_total_s"] = logSeconds(x) }
    if let x = v("pause_longest_s") { out["log_pause_longest_s"] = logSeconds(x) }
    out["log_pause_mean_s"] = logSeconds(v("pause_mean_s") ?? 0)
    if let x = v("leading_silence_s") { out["log_leading_silence_s"] = logSeconds(x) }
    if let x = v("trailing_silence_s") { out["log_trailing_silence_s"] = logSeconds(x) }
    if let x = v("syllable_count") { out["log_syllable_count"] = log(x + 1) }
    for key in withReference { if let x = v(key) { out[key] = x } }
    for key in pronunciation + audioOnly where key.hasPrefix("pron_") { if let x = v(key) { out[key] = x } }
    if let x = v("pron_median_duration_ratio") { out["log_pron_median_duration_ratio"] = log(max(x, 0.05)) }
    if let x = v("pron_pause_s") { out["log_pron_pause_s"] = logSeconds(x) }

    guard let text, !text.isEmpty else { return out }
    let words = TextSyllables.words(text)
    let expected = Double(max(TextSyllables.count(text), 1))
    out["log_expected_syllables"] = log(expected)
    if let d = v("duration_s") {
      // Time from the first to the last speech, per syllable the prompt asks for.
      let active = d - (v("leading_silence_s") ?? 0) - (v("trailing_silence_s") ?? 0)
      let x = log(max(active, 0.05) / expected)
      out["log_s_per_expected_syl"] = x
      out["log_s_per_expected_syl_sq"] = x * x
    }
    if let s = v("speech_s") { out["log_speech_s_per_expected_syl"] = log(max(s, 0.05) / expected) }
    if let c = v("syllable_count") { out["log_syllable_ratio"] = log((c + 1) / (expected + 1)) }
    if let p = v("pause_count") {
      let x = p / Double(max(words.count, 1))
      out["pauses_per_word"] = x
      out["pauses_per_word_sq"] = x * x
    }
    if let t = v("pause_total_s") { out["log_pause_s_per_expected_syl"] = log((t + 0.05) / expected) }
    return out
  }
}
