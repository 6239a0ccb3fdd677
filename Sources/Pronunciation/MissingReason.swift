/// Why an answer has no pronunciation features. Each case names what was found and how to fix it.
public enum MissingReason: Error, Sendable, Equatable, CustomStringConvertible {
  /// The prompt has no words after normalisation.
  case emptyPrompt
  /// Words in no lexicon and without a letter-to-sound pronunciation.
  case unknownWords([String])
  /// The recording was made below 16 kHz (the acoustic model's rate); upsampling cannot restore the band.
  case sampleRateTooLow(hertz: Int)
  /// No 10 ms frame is louder than the silence level.
  case silent(loudestFrameDBFS: Double)
  /// The level hardly changes (steady noise, hum): no speech to align.
  case noSpeechContrast(rangeDB: Double)
  /// Too little audio to hold the prompt's phones (fewer frames than phones × 3 HMM states).
  case tooShort(seconds: Double, needed: Double)
  /// The aligner did not reach the end of the prompt, even with wide beams.
  case alignmentFailed
  /// The alignment holds too few of the prompt's words with adequate scores: another text, or no speech.
  case promptNotSpoken(completeness: Double, meanGOP: Double, meanLogPosterior: Double? = nil)
  /// The answer has no prompt text (an open answer): there is nothing to align.
  case noPromptText
  /// The English acoustic model is not installed here.
  case modelNotInstalled

  /// Every code, in the order of `numericCode` (1-based; 0 means "measured"). Never reordered: stored tables
  /// hold the numbers.
  public static let codes = [
    "empty-prompt", "unknown-words", "sample-rate-too-low", "silent", "no-speech-contrast", "too-short",
    "alignment-failed", "prompt-not-spoken", "no-prompt-text", "model-not-installed",
  ]

  /// The code as a number for numeric feature tables (`pron_missing`): its 1-based place in `codes`.
  public var numericCode: Int { (Self.codes.firstIndex(of: code) ?? Self.codes.count) + 1 }

  /// The code for a `pron_missing` value, nil for 0 (measured) or an unknown number.
  public static func code(numeric value: Double) -> String? {
    let index = Int(value.rounded()) - 1
    return Self.codes.indices.contains(index) ? Self.codes[index] : nil
  }

  /// Whether the answer itself is the cause (silence, noise, another text, no alignment), as opposed to the
  /// item or the installation (no text, no model, words without a pronunciation): only the first should lower
  /// trust in the candidate's score.
  public static func isCausedByAnswer(code: String) -> Bool {
    ["sample-rate-too-low", "silent", "no-speech-contrast", "too-short", "alignment-failed", "prompt-not-spoken"]
      .contains(code)
  }

  /// A stable identifier for files and databases.
  public var code: String {
    switch self {
    case .emptyPrompt: "empty-prompt"
    case .unknownWords: "unknown-words"
    case .sampleRateTooLow: "sample-rate-too-low"
    case .silent: "silent"
    case .noSpeechContrast: "no-speech-contrast"
    case .tooShort: "too-short"
    case .alignmentFailed: "alignment-failed"
    case .promptNotSpoken: "prompt-not-spoken"
    case .noPromptText: "no-prompt-text"
    case .modelNotInstalled: "model-not-installed"
    }
  }

  public var description: String {
    switch self {
    case .emptyPrompt:
      "the prompt has no words to align — give the item's text (digits and punctuation are handled)"
    case .unknownWords(let words):
      "no pronunciation for \(words.map { "'\($0)'" }.joined(separator: ", ")) — add them to a lexicon file "
        + "(word, then ARPAbet phones) or install espeak-ng (Tools/bootstrap)"
    case .sampleRateTooLow(let hertz):
      "recorded at \(hertz) Hz; pronunciation needs 16 kHz — record at 16 kHz or more, or have the answer marked by people"
    case .silent(let level):
      String(format: "silent (loudest 10 ms frame %.1f dBFS) — check the microphone; the answer goes to people", level)
    case .noSpeechContrast(let range):
      String(
        format: "no speech found: the level varies by only %.1f dB (steady noise?) — the answer goes to people", range)
    case .tooShort(let seconds, let needed):
      String(
        format: "%.2f s of audio cannot hold the prompt (needs %.2f s) — the answer goes to people", seconds, needed)
    case .alignmentFailed:
      "the prompt could not be aligned with the audio, even with wide beams — the answer goes to people"
    case .promptNotSpoken(let completeness, let meanGOP, let meanLogPosterior):
      String(
        format: "the prompt was not found: %.0f%% of its words aligned adequately, mean phone GOP %.1f%@ — another "
          + "text was read, or none; the answer goes to people", completeness * 100, meanGOP,
        meanLogPosterior.map { String(format: ", mean phone log posterior %.1f", $0) } ?? "")
    case .noPromptText:
      "no prompt text (an open answer): pronunciation is not measured; the answer is scored on the audio alone"
    case .modelNotInstalled:
      "the English acoustic model is not installed: pronunciation is not measured — run Tools/bootstrap "
        + "(apt-get install pocketsphinx-en-us libpocketsphinx-dev)"
    }
  }
}
