import Foundation

/// Per-answer aggregates of the phone scores (GOP in nats per 10 ms frame; nearer 0 is better).
public struct PronunciationFeatures: Sendable, Equatable, Codable {
  public var meanGOP: Double
  /// Mean over phones of min(normalised GOP, 0): how far the answer's phones fall below the same phones in other
  /// answers, the better side not counted (the best single predictor of the experts' accuracy on speechocean762).
  public var meanNormalisedGOPDeficit: Double
  /// 10th percentile of the phone GOPs (the answer's bad phones).
  public var p10GOP: Double
  /// Share of phones with GOP below `PronunciationThresholds.lowPhoneGOP`.
  public var shareLowPhones: Double
  public var vowelMeanGOP: Double
  public var consonantMeanGOP: Double
  /// Mean GOP of consonants that end a word (often dropped or added to by learners); the consonant mean when no
  /// word ends in a consonant.
  public var wordFinalConsonantMeanGOP: Double
  /// The whole alignment's acoustic score (phones and silences) per frame, in nats.
  public var alignmentScorePerFrame: Double
  /// Standard deviation of log(duration ratio) over phones: uneven timing.
  public var durationRatioLogSD: Double
  /// Median phone duration ratio (≈ 1 at the expected pace, > 1 slow).
  public var medianDurationRatio: Double
  /// Share of the prompt's words aligned with `meanGOP` ≥ `PronunciationThresholds.adequateWordGOP`.
  public var completeness: Double
  /// Silences of ≥ 0.1 s that the aligner put between words, and their total seconds.
  public var pausesBetweenWords: Int
  public var pauseSecondsBetweenWords: Double
  /// Mean over phones of their log posterior among all the model's phones (`PhoneScore.logPosterior`; nats, ≤ 0):
  /// the strongest single pronunciation measure on speechocean762 (docs/accuracy.md, "Every phone scored").
  /// Nil when the phones were not scored against every phone (`AlignerSettings.scoresEveryPhone`).
  public var meanLogPosterior: Double?
  /// 10th percentile of the phones' log posteriors.
  public var p10LogPosterior: Double?
  /// Mean over phones of min(margin, 0): how far other phones fit the frames better than the canonical one.
  public var meanMarginDeficit: Double?
  /// Share of phones whose frames fit another phone best (`PhoneScore.likeliestPhone` ≠ the phone).
  public var shareMisheard: Double?
  /// Mean of the phones' predicted expert marks (`PhoneScore.mark`, 0–2); nil without them (`PhoneMarkModel`).
  public var meanPhoneMark: Double?
  /// 10th percentile of the phones' predicted marks.
  public var p10PhoneMark: Double?
  /// The lowest word mark (`WordScore.mark`).
  public var minimumWordMark: Double?
  /// Mean over phones of the learners' frame classifier's log posterior (`PhoneScore.learner`); nil
  /// without it.
  public var meanLearnerLogPosterior: Double?
  /// Mean over phones of the speech encoder's phone classifier's log posterior (`PhoneScore.encoder`); nil without
  /// it.
  public var meanEncoderLogPosterior: Double?

  public init(phones: [PhoneScore], words: [WordScore], segments: [AlignedSegment], thresholds: PronunciationThresholds)
  {
    let gops = phones.map(\.gop)
    meanGOP = Self.mean(gops)
    meanNormalisedGOPDeficit = Self.mean(phones.map { min($0.normalisedGOP, 0) })
    p10GOP = Self.quantile(gops, 0.1)
    shareLowPhones = gops.isEmpty ? 0 : Double(gops.filter { $0 < thresholds.lowPhoneGOP }.count) / Double(gops.count)
    vowelMeanGOP = Self.mean(phones.filter(\.isVowel).map(\.gop), fallback: meanGOP)
    consonantMeanGOP = Self.mean(phones.filter { !$0.isVowel }.map(\.gop), fallback: meanGOP)
    wordFinalConsonantMeanGOP = Self.mean(
      phones.filter { $0.isWordFinal && !$0.isVowel }.map(\.gop), fallback: consonantMeanGOP)
    alignmentScorePerFrame = (AlignedSegment.scorePerFrame(segments) ?? 0) * PhoneAligner.natsPerScoreUnit
    let logRatios = phones.map { log(max($0.durationRatio, 1e-3)) }
    let logMean = Self.mean(logRatios)
    durationRatioLogSD =
      logRatios.count > 1
      ? (logRatios.reduce(0) { $0 + ($1 - logMean) * ($1 - logMean) } / Double(logRatios.count - 1)).squareRoot() : 0
    medianDurationRatio = Self.quantile(phones.map(\.durationRatio), 0.5)
    completeness = words.isEmpty ? 0 : Double(words.filter(\.isAdequate).count) / Double(words.count)
    // Silences strictly between the first and the last phone.
    let phoneIndices = segments.indices.filter { segments[$0].phone != "SIL" }
    let inner = (phoneIndices.first ?? 0)..<(phoneIndices.last ?? 0)
    let pauses = segments[inner].filter { $0.phone == "SIL" && $0.frameCount >= 10 }
    pausesBetweenWords = pauses.count
    pauseSecondsBetweenWords = Double(pauses.reduce(0) { $0 + $1.frameCount }) / 100
    let scored = phones.filter { $0.logPosterior != nil && $0.margin != nil && $0.likeliestPhone != nil }
    if !phones.isEmpty, scored.count == phones.count {
      let posteriors = scored.compactMap(\.logPosterior)
      meanLogPosterior = Self.mean(posteriors)
      p10LogPosterior = Self.quantile(posteriors, 0.1)
      meanMarginDeficit = Self.mean(scored.compactMap { $0.margin.map { min($0, 0) } })
      shareMisheard = Double(scored.filter { $0.likeliestPhone != $0.phone }.count) / Double(scored.count)
    }
    measureMarks(phones: phones)
  }

  /// The answer's measures from its phones' learner and encoder log posteriors and its phones' predicted marks and their word
  /// means (`marks`, when given, in place of the phones' own: the first stage's, `PhoneMarkModel.StagedMarks`); each
  /// nil unless every phone has one.
  mutating func measureMarks(phones: [PhoneScore], marks phoneMarks: [Double]? = nil) {
    func meanLogPosterior(_ evidence: KeyPath<PhoneScore, LearnerEvidence?>) -> Double? {
      let posteriors = phones.compactMap { $0[keyPath: evidence]?.logPosterior }
      return !phones.isEmpty && posteriors.count == phones.count ? Self.mean(posteriors) : nil
    }
    meanLearnerLogPosterior = meanLogPosterior(\.learner)
    meanEncoderLogPosterior = meanLogPosterior(\.encoder)
    let marks = phoneMarks ?? phones.compactMap(\.mark)
    guard !phones.isEmpty, marks.count == phones.count else {
      (meanPhoneMark, p10PhoneMark, minimumWordMark) = (nil, nil, nil)
      return
    }
    meanPhoneMark = Self.mean(marks)
    p10PhoneMark = Self.quantile(marks, 0.1)
    minimumWordMark = Self.wordMeans(of: marks, phones: phones).values.min()
  }

  /// Each word's (`PhoneScore.wordIndex`) mean of its phones' `marks` (one per phone, in order).
  static func wordMeans(of marks: [Double], phones: [PhoneScore]) -> [Int: Double] {
    Dictionary(grouping: phones.indices, by: { phones[$0].wordIndex }).mapValues { mean($0.map { marks[$0] }) }
  }

  static func mean(_ values: [Double], fallback: Double = 0) -> Double {
    values.isEmpty ? fallback : values.reduce(0, +) / Double(values.count)
  }

  /// Linear-interpolated quantile (`q` in 0…1); 0 for no values.
  static func quantile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
  }
}

/// The levels that turn GOPs into counts (chosen on speechocean762, docs/accuracy.md "Pronunciation").
public struct PronunciationThresholds: Sendable, Equatable {
  /// A phone below this GOP (nats per frame) counts as low.
  public var lowPhoneGOP: Double
  /// A word whose mean phone GOP is at least this counts as found (completeness).
  public var adequateWordGOP: Double
  /// Below this completeness the answer is `MissingReason.promptNotSpoken`.
  public var minimumCompleteness: Double
  /// Below this mean phone GOP too (the answer's phones fit the prompt worse than almost any real reading).
  public var minimumMeanGOP: Double
  /// And below this mean phone log posterior (`PronunciationFeatures.meanLogPosterior`), when measured.
  public var minimumMeanLogPosterior: Double

  public init(
    lowPhoneGOP: Double, adequateWordGOP: Double, minimumCompleteness: Double, minimumMeanGOP: Double,
    minimumMeanLogPosterior: Double = -.infinity
  ) {
    self.lowPhoneGOP = lowPhoneGOP
    self.adequateWordGOP = adequateWordGOP
    self.minimumCompleteness = minimumCompleteness
    self.minimumMeanGOP = minimumMeanGOP
    self.minimumMeanLogPosterior = minimumMeanLogPosterior
  }

  /// Whether an aligned answer is not a reading of its prompt (`MissingReason.promptNotSpoken`).
  public func rejects(_ features: PronunciationFeatures) -> Bool {
    features.completeness < minimumCompleteness || features.meanGOP < minimumMeanGOP
      || (features.meanLogPosterior.map { $0 < minimumMeanLogPosterior } ?? false)
  }
}

extension PronunciationThresholds {
  /// Chosen on speechocean762 with the standard settings (own senones, the warp picked by pitch; `pron-eval --norms
  /// --wrong-prompts`) by fixed rules, not by the experts' marks: a low phone is below the 10th percentile of phone
  /// GOPs (−5.36), an adequate word at or above the 5th percentile of right-prompt word means (−5.70), and an
  /// answer whose mean GOP is below that of 99 % of right-prompt answers (−5.44), rounded down to −6, is not a
  /// reading of the prompt (docs/accuracy.md, "Pronunciation"); nor one whose mean phone log posterior is below
  /// that of 99 % of right-prompt answers (−6.05), rounded down to the half nat, −6.5 (docs/accuracy.md, "Every phone
  /// scored": 470 of 1,000 wrong-sentence answers caught instead of 400, right-prompt answers 5 instead of 4).
  public static let standard = PronunciationThresholds(
    lowPhoneGOP: -5.36, adequateWordGOP: -5.7, minimumCompleteness: 0.5, minimumMeanGOP: -6,
    minimumMeanLogPosterior: -6.5)
}
