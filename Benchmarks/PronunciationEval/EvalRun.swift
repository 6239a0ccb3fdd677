import AudioIO
import ExamCore
import Foundation
import Pronunciation
import SpeechDSP
import SpeechEncoder

/// One utterance's result with the aligner's CPU time and the audio's length.
struct Scored: Sendable {
  var result: PronunciationResult
  var cpuSeconds: Double
  var audioSeconds: Double
  /// SpeechDSP's features and the pronunciation measures under the scorer's names (`--features-csv` only).
  var features: [String: Double] = [:]
  /// `SampleDigest.of` the decoded audio: how the scorer recognises one of its training answers.
  var digest: UInt64 = 0
}

enum EvalRun {
  /// Scores every utterance with `jobs` decoders; times the scoring (not the file decoding) in thread CPU seconds.
  static func scoreAll(
    _ utterances: [Utterance], scorer: PronunciationScorer, jobs: Int, withFeatures: Bool = false,
    pitchPicksWarp: Bool = true
  ) async throws -> [Scored] {
    let items = utterances.map { ($0.audioPath, $0.text) }
    return try await scorer.forEach(count: items.count, concurrency: jobs) { index, aligner in
      Result { () throws(ExamError) -> Scored in
        let audio = try decodeMono(path: items[index].0, targetSampleRate: 16_000)
        // What the scorer's AnswerExtractor measures first (its median pitch picks the vocal-tract warp), outside
        // the timed part.
        let speech = try (pitchPicksWarp || withFeatures) ? SpeechAnalyzer().analyze(audio, file: items[index].0) : nil
        let start = threadCPUSeconds()
        let result = try scorer.score(
          audio, prompt: items[index].1, aligner: aligner, medianPitchHz: pitchPicksWarp ? speech?.f0MedianHz : nil)
        var scored = Scored(result: result, cpuSeconds: threadCPUSeconds() - start, audioSeconds: audio.durationSeconds)
        scored.digest = SampleDigest.of(audio.samples)
        if withFeatures, let speech { scored.features = speech.namedValues.merging(result.namedValues) { $1 } }
        return scored
      }
    }.map { try $0.get() }
  }

  /// The speech encoder alone over the whole recordings of up to 200 answers (spread over the corpus), on this
  /// thread: its share of the scoring cost.
  static func encoderSpeed(_ encoder: SpeechEncoder, _ utterances: [Utterance]) throws -> String {
    let step = max(1, utterances.count / 200)
    var (audioSeconds, cpuSeconds, frames) = (0.0, 0.0, 0)
    for utterance in stride(from: 0, to: utterances.count, by: step).map({ utterances[$0] }) {
      let audio = try decodeMono(path: utterance.audioPath, targetSampleRate: 16_000)
      let start = threadCPUSeconds()
      frames += encoder.encode(audio.samples).frameCount
      cpuSeconds += threadCPUSeconds() - start
      audioSeconds += audio.durationSeconds
    }
    return String(
      format:
        "speech encoder alone: %.0f s of audio (%d frames) in %.2f s CPU on one core => %.1f x real time per core",
      audioSeconds, frames, cpuSeconds, audioSeconds / max(cpuSeconds, 1e-9))
  }

  /// CPU seconds used by the calling thread (the scoring call never suspends, so it stays on one thread).
  static func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}
