import ArgumentParser
import AudioIO
import ExamCore
import Pronunciation
import Scoring
import SpeechDSP

extension ExamCommand.Audio {
  struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measure speech features of recordings: levels, pauses, syllable rate, F0, similarity to a reference.",
      discussion: """
        Files are decoded (WAV, FLAC, Ogg, AIFF, MP3), mixed to mono and resampled to 16 kHz. Each file gives one \
        JSON object; keys carry their units (duration_s, speech_rate_syl_s, f0_median_hz, f0_iqr_st, snr_db …); \
        Sources/SpeechDSP/README.md describes every key. A bad file is reported and the rest are still measured; \
        the exit code is then non-zero.

        Examples:
          exam audio analyze answer.flac
          exam audio analyze answers/*.flac --json > features.jsonl
          exam audio analyze answer.flac --reference pack/items/r1/reference.flac --json
          exam audio analyze answer.flac --text "We call it bear." --phones --json

        With --text (the prompt a read-aloud answer reads), the object also holds `pronunciation`: the answer's
        goodness of pronunciation against the prompt from the English acoustic model (GOP in nats per 10 ms frame,
        each phone's log posterior among all phones, phone timing, completeness), or `missing` with the reason;
        --phones adds every word and phone (with the phone its frames fit best).
        """)

    @Argument(help: "Recordings to analyse.") var files: [String] = []
    @Option(help: "Reference reading to compare each file with (ref_distance, ref_coverage, ref_f0_correlation).")
    var reference: String?
    @Flag(help: "One compact JSON object per line.") var json = false
    @Option(help: "The prompt the recordings read: also measure pronunciation against it.") var text: String?
    @Flag(
      help:
        "With --text: every word and phone (start, duration, GOP, log posterior, likeliest phone) as well as the answer's measures."
    )
    var phones = false
    @Option(help: "Extra pronunciation lexicon on top of CMUdict (WORD then ARPAbet phones per line); repeatable.")
    var lexicon: [String] = []
    @Option(
      name: .customLong("set"), parsing: .singleValue,
      help: ArgumentHelp("Override an analysis setting, KEY=NUMBER (for evaluation).", visibility: .hidden))
    var overrides: [String] = []
    @Flag(
      help: ArgumentHelp(
        "Print the per-frame tracks (f0_hz, speech, nuclei_s, nucleus_db, band_db, mfcc) instead of the features.",
        visibility: .hidden))
    var frames = false

    func validate() throws {
      guard !files.isEmpty else { throw ValidationError("Give at least one recording to analyse.") }
      if phones && text == nil { throw ValidationError("'--phones' needs '--text' (the prompt to align).") }
    }

    func run() async throws {
      var configuration = AnalyzerConfiguration()
      for assignment in overrides { try configuration.set(assignment) }
      let analyzer = SpeechAnalyzer(configuration: configuration)
      let referenceAudio = try reference.map { (path) throws(ExamError) in
        try decodeMono(path: path, targetSampleRate: configuration.sampleRate)
      }
      let extractor = try text.map { _ throws(ExamError) in try AnswerExtractor.standard(extraLexicons: lexicon) }
      var failures: [ExamError] = []
      for file in files {
        do {
          let audio = try decodeMono(path: file, targetSampleRate: configuration.sampleRate)
          if frames {
            print(JSONOutput.string(try analyzer.frameTrack(audio, file: file), pretty: !json))
          } else {
            let features = try analyzer.analyze(audio, reference: referenceAudio, file: file)
            if let text, let extractor {
              let report = try extractor.pronunciationReport(
                audio, path: file, text: text, medianPitchHz: features.f0MedianHz, perPhone: phones)
              print(
                JSONOutput.string(AnalysisWithPronunciation(speech: features, pronunciation: report), pretty: !json))
            } else {
              print(JSONOutput.string(features, pretty: !json))
            }
          }
        } catch {
          failures.append(error.inFile(file))
        }
      }
      if !failures.isEmpty {
        if files.count == 1, let only = failures.first { throw only }
        throw ExamErrors(failures)
      }
    }
  }
}

/// SpeechDSP's features with a `pronunciation` object beside them (one JSON object).
struct AnalysisWithPronunciation: Encodable {
  var speech: SpeechFeatures
  var pronunciation: PronunciationReport
  private enum Key: String, CodingKey { case pronunciation }

  func encode(to encoder: any Encoder) throws {
    try speech.encode(to: encoder)
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(pronunciation, forKey: .pronunciation)
  }
}
