import ArgumentParser
import AudioIO
import ExamCore
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
        """)

    @Argument(help: "Recordings to analyse.") var files: [String] = []
    @Option(help: "Reference reading to compare each file with (ref_distance, ref_coverage, ref_f0_correlation).")
    var reference: String?
    @Flag(help: "One compact JSON object per line.") var json = false
    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp("Override an analysis setting, KEY=NUMBER (for evaluation).", visibility: .hidden))
    var overrides: [String] = []
    @Flag(help: ArgumentHelp("Print the per-frame tracks (f0_hz, speech, nuclei_s, nucleus_db, band_db, mfcc) instead of the features.", visibility: .hidden))
    var frames = false

    func validate() throws {
      guard !files.isEmpty else { throw ValidationError("Give at least one recording to analyse.") }
    }

    func run() async throws {
      var configuration = AnalyzerConfiguration()
      for assignment in overrides { try configuration.set(assignment) }
      let analyzer = SpeechAnalyzer(configuration: configuration)
      let referenceAudio = try reference.map { (path) throws(ExamError) in
        try decodeMono(path: path, targetSampleRate: configuration.sampleRate)
      }
      var failures: [ExamError] = []
      for file in files {
        do {
          let audio = try decodeMono(path: file, targetSampleRate: configuration.sampleRate)
          if frames {
            print(JSONOutput.string(try analyzer.frameTrack(audio, file: file), pretty: !json))
          } else {
            print(JSONOutput.string(try analyzer.analyze(audio, reference: referenceAudio, file: file), pretty: !json))
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
