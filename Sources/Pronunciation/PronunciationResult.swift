/// One canonical phone of the prompt as the aligner found it.
public struct PhoneScore: Sendable, Equatable, Codable {
  /// ARPAbet, without stress.
  public var phone: String
  /// Index into `PronunciationResult.words`.
  public var wordIndex: Int
  /// Seconds from the start of the recording.
  public var startSeconds: Double
  public var durationSeconds: Double
  /// Goodness of pronunciation: the aligned path's log likelihood minus the best senone's, in nats per 10 ms frame
  /// (≤ 0; nearer 0 is better).
  public var gop: Double
  /// `gop` as a z-score against the same phone in speechocean762 (`PhoneNorms`): some phones always score lower.
  public var normalisedGOP: Double
  /// `durationSeconds` over the phone's expected duration (`PhoneNorms`).
  public var durationRatio: Double
  public var isVowel: Bool
  /// The last phone of its word.
  public var isWordFinal: Bool
  /// Mean log posterior of this phone over its frames, the posterior taken over all the model's phones (LPP,
  /// nats, ≤ 0); nil when not measured (`AlignerSettings.scoresEveryPhone`).
  public var logPosterior: Double?
  /// Mean over its frames of this phone's score minus the best other phone's (LPR against the nearest
  /// competitor, nats; below 0 when another phone fits the frames better).
  public var margin: Double?
  /// The phone the frames fit best — what a free phone loop would have heard; this phone when pronounced as
  /// expected. `SIL`, `+NSN+` (noise) and `+SPN+` (other speech) are possible.
  public var likeliestPhone: String?
  /// What the learners' frame classifier (`FrameClassifier`) says of its frames: the canonical phone's mean log
  /// posterior, margin and more; nil without it.
  public var learner: LearnerEvidence? = nil
  /// What the speech encoder's phone classifier (`PronunciationScorer.encoderClassifier`) says of the phone, the
  /// same measures as `learner`; nil without it.
  public var encoder: LearnerEvidence? = nil
  /// The mark experts would give this phone as the phone-mark models predict it (the scorer's: the mean of the five
  /// folds' models, `CrossFittedModels.meanMarks`): 2 correct, 1 accented, 0 wrong or missed (a mean of experts,
  /// so anything between); nil without the every-phone measures.
  public var mark: Double? = nil
  /// Mean log posterior over its frames of each of the acoustic model's base phones (`SenoneModel.phones`' order):
  /// the evidence `PhoneMarkModel` reads. Not written out (`CodingKeys`).
  public var meanLogPosteriors: [Double]? = nil

  enum CodingKeys: String, CodingKey {
    case phone, wordIndex, startSeconds, durationSeconds, gop, normalisedGOP, durationRatio, isVowel, isWordFinal
    case logPosterior, margin, likeliestPhone, learner, encoder, mark
  }
}

/// A word of the prompt as aligned.
public struct WordScore: Sendable, Equatable, Codable {
  /// Where the pronunciation came from.
  public enum Source: String, Sendable, Codable { case lexicon, letterToSound }
  /// The spoken form (`PromptText.Word.spoken`).
  public var text: String
  /// Index of the written token of the prompt it comes from.
  public var tokenIndex: Int
  /// The pronunciation the aligner chose among the lexicon's.
  public var phones: [String]
  public var source: Source
  public var startSeconds: Double
  public var durationSeconds: Double
  /// Mean of the word's phone GOPs (nats per frame).
  public var meanGOP: Double
  /// The word's worst phone GOP.
  public var minimumGOP: Double
  /// `meanGOP` at or above `PronunciationThresholds.adequateWordGOP`: counts towards completeness.
  public var isAdequate: Bool
  /// Mean of its phones' predicted marks (`PhoneScore.mark`, 0–2): the word's pronunciation as experts would mark
  /// it; nil without them.
  public var mark: Double? = nil
}

/// The pronunciation of one answer against its prompt: per phone, per word, and aggregates; or why there are none.
public struct PronunciationResult: Sendable, Equatable {
  public var prompt: PromptText
  public var words: [WordScore]
  public var phones: [PhoneScore]
  /// Nil exactly when `missing` is set.
  public var features: PronunciationFeatures?
  public var missing: MissingReason?
  /// The first alignment failed and the wide-beam retry was used.
  public var retriedWithWideBeams: Bool
  /// Seconds of audio decoded by the aligner (after trimming leading and trailing quiet).
  public var decodedSeconds: Double
  /// The vocal-tract warp the answer was aligned at (`AlignerSettings.frequencyWarps`: picked by its pitch, or
  /// the best fit); nil when not aligned.
  public var frequencyWarp: Double?
  /// The answer's feature frames and its alignment, when the scorer keeps them (`PronunciationScorer.keepsFrames`):
  /// what `FrameClassifier` trains on. Not part of the result's output.
  public var alignedFrames: AlignedFrames? = nil
  /// The speech encoder's frames of the same answer, the alignment counted in them, when the scorer keeps frames:
  /// what the encoder's phone classifier trains on. Not part of the result's output.
  public var encoderFrames: AlignedFrames? = nil
  /// What the speech encoder's phone classifier hears without the text (`ListeningMeasures`), also when the answer
  /// could not be aligned; nil without the encoder or for silence and steady noise.
  public var listening: ListeningMeasures? = nil

  static func missing(_ reason: MissingReason, prompt: PromptText, decodedSeconds: Double = 0, retried: Bool = false)
    -> PronunciationResult
  {
    PronunciationResult(
      prompt: prompt, words: [], phones: [], features: nil, missing: reason, retriedWithWideBeams: retried,
      decodedSeconds: decodedSeconds, frequencyWarp: nil)
  }
}
