import AudioIO
import ExamCore
import Pronunciation
import SpeechDSP

/// The scorer's features of one answer: SpeechDSP's (timing, pauses, pitch, levels) and, for an answer with a
/// prompt text, its pronunciation against that text (`pron_…`, `PronunciationResult.namedValues`). The audio is
/// decoded once for both.
///
/// Pronunciation is measured only when a text is given and the acoustic model is installed; otherwise the answer
/// carries `pron_missing` with the reason (`no-prompt-text`, `model-not-installed`) and is scored without it.
public struct AnswerExtractor: FeatureExtractor {
  public var analyzer: SpeechAnalyzer
  /// Decoders shared by the tasks of one run; nil when pronunciation is off or unavailable.
  public var pronunciation: PhoneAlignerPool?
  /// Why there is no pronunciation when `pronunciation` is nil (`modelNotInstalled`), or nil when it is off:
  /// then no `pron_…` value is written at all (the scorer as it was before pronunciation).
  public var unavailable: MissingReason?

  public init(
    analyzer: SpeechAnalyzer = SpeechAnalyzer(), pronunciation: PhoneAlignerPool?, unavailable: MissingReason? = nil
  ) {
    self.analyzer = analyzer
    self.pronunciation = pronunciation
    self.unavailable = unavailable
  }

  /// With the installed model (CMUdict plus `extraLexicons`), or, when the model is missing, without
  /// pronunciation and with the reason recorded per answer.
  /// - Throws: `ExamError` when a lexicon file cannot be read.
  public static func standard(extraLexicons: [String] = []) throws(ExamError) -> AnswerExtractor {
    do {
      _ = try AcousticModel.locate()
    } catch {
      return AnswerExtractor(pronunciation: nil, unavailable: .modelNotInstalled)
    }
    let scorer = try PronunciationScorer.standard(extraLexicons: extraLexicons)
    return AnswerExtractor(pronunciation: PhoneAlignerPool(scorer: scorer))
  }

  /// SpeechDSP only: no `pron_…` values.
  public static var withoutPronunciation: AnswerExtractor { AnswerExtractor(pronunciation: nil) }

  public func features(audioPath: String, referencePath: String?) throws(ExamError) -> [String: Double] {
    try features(audioPath: audioPath, referencePath: referencePath, text: nil)
  }

  public func features(audioPath: String, referencePath: String?, text: String?) throws(ExamError) -> [String: Double] {
    try measure(audioPath: audioPath, referencePath: referencePath, text: text).features
  }

  /// The pronunciation of `audio` (decoded from `path`) against `text`, for display (`exam audio analyze --text`).
  /// - Parameter medianPitchHz: the answer's median F0 from its SpeechDSP features, which picks the vocal-tract warp
  ///   as in scoring.
  public func pronunciationReport(
    _ audio: DecodedAudio, path: String, text: String, medianPitchHz: Double?, perPhone: Bool
  ) throws(ExamError) -> PronunciationReport {
    guard let pronunciation else { return PronunciationReport(missing: unavailable ?? .modelNotInstalled) }
    let audio16k = audio.sampleRate == 16_000 ? audio : try decodeMono(path: path, targetSampleRate: 16_000)
    return PronunciationReport(
      try pronunciation.score(audio16k, prompt: text, medianPitchHz: medianPitchHz), perPhone: perPhone)
  }

  /// Features and, when aligned, the full pronunciation result (words and phones).
  public func measure(audioPath: String, referencePath: String?, text: String?) throws(ExamError) -> (
    features: [String: Double], pronunciation: PronunciationResult?
  ) {
    let rate = analyzer.configuration.sampleRate
    let audio = try decodeMono(path: audioPath, targetSampleRate: rate)
    let reference = try referencePath.map { (p) throws(ExamError) in try decodeMono(path: p, targetSampleRate: rate) }
    var values = try analyzer.analyze(audio, reference: reference, file: audioPath).namedValues
    func audio16k() throws(ExamError) -> DecodedAudio {
      rate == 16_000 ? audio : try decodeMono(path: audioPath, targetSampleRate: 16_000)
    }
    guard pronunciation != nil || unavailable != nil else { return (values, nil) }
    guard let text, !text.isEmpty else {
      values.merge(PronunciationResult.namedValues(missing: .noPromptText)) { $1 }
      // An open answer: what the speech encoder's phone classifier hears without a text.
      if let pronunciation { values.merge(pronunciation.scorer.listen(try audio16k())?.namedValues ?? [:]) { $1 } }
      return (values, nil)
    }
    guard let pronunciation else {
      values.merge(PronunciationResult.namedValues(missing: unavailable ?? .modelNotInstalled)) { $1 }
      return (values, nil)
    }
    let result = try pronunciation.score(try audio16k(), prompt: text, medianPitchHz: values["f0_median_hz"])
    values.merge(result.namedValues) { $1 }
    return (values, result)
  }
}
