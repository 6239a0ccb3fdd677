import AudioIO
import Foundation
import Testing
import _ExamTestSupport

@testable import Pronunciation

@Suite(.enabled(if: SpeechFixtures.isAvailable))
struct AlignmentTests {
  let scorer = SpeechFixtures.scorer!
  let sentence = "the boy went to school on monday"

  @Test func findsThePromptsWordsInOrderWithPlausibleTimes() throws {
    let path = try SpeechFixtures.reading(sentence)
    let result = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    #expect(result.missing == nil, "\(String(describing: result.missing))")
    #expect(result.words.map(\.text) == sentence.split(separator: " ").map(String.init))
    let duration = try audioFileInfo(atPath: path).durationSeconds
    var previousEnd = 0.0
    for word in result.words {
      #expect(word.startSeconds >= previousEnd - 1e-9, "\(word.text) starts before the previous word ends")
      #expect(word.durationSeconds >= 0.05 && word.durationSeconds <= 1.2, "\(word.text): \(word.durationSeconds) s")
      previousEnd = word.startSeconds + word.durationSeconds
    }
    #expect(previousEnd <= duration + 0.01)
    #expect(result.phones.count == result.words.reduce(0) { $0 + $1.phones.count })
    #expect(result.features?.completeness ?? 0 >= 0.8)
  }

  @Test func aCorrectReadingScoresAboveAWrongSentence() throws {
    let path = try SpeechFixtures.reading(sentence)
    let aligner = try scorer.makeAligner()
    let right = try scorer.score(path: path, prompt: sentence, aligner: aligner)
    let wrong = try scorer.score(path: path, prompt: "please close every window in the kitchen", aligner: aligner)
    let rightGOP = try #require(right.features?.meanGOP)
    let wrongGOP =
      wrong.phones.isEmpty ? -Double.infinity : wrong.phones.map(\.gop).reduce(0, +) / Double(wrong.phones.count)
    #expect(rightGOP > wrongGOP + 1)
    #expect(wrong.missing != nil, "a wrong sentence is marked missing")
  }

  @Test func realLearnerReadingIsAligned() throws {
    guard SharedData.isAvailable else { return }
    let path = SharedData.path("speechocean762/audio/SPEAKER0001/000010011.flac")
    let result = try scorer.score(path: path, prompt: "WE CALL IT BEAR", aligner: try scorer.makeAligner())
    #expect(result.words.map(\.text) == ["we", "call", "it", "bear"])
    #expect(result.words.first.map { $0.startSeconds > 0.3 && $0.startSeconds < 0.8 } == true)
    #expect(result.missing == nil)
  }

  /// A decoder keeps state between utterances in pocketsphinx (the live CMN mean, among others): the same answer
  /// must score the same whichever answers the decoder saw before it, or marks depend on the order of a batch.
  @Test func scoresDoNotDependOnWhatTheDecoderSawBefore() throws {
    let path = try SpeechFixtures.reading(sentence)
    let other = try SpeechFixtures.reading("please close every window in the kitchen")
    let alone = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    let used = try scorer.makeAligner()
    _ = try scorer.score(path: other, prompt: "please close every window in the kitchen", aligner: used)
    if SharedData.isAvailable {  // a real recording: another voice, microphone and room
      _ = try scorer.score(
        path: SharedData.path("speechocean762/audio/SPEAKER0001/000010011.flac"), prompt: "WE CALL IT BEAR",
        aligner: used)
    }
    let after = try scorer.score(path: path, prompt: sentence, aligner: used)
    #expect(alone.phones.map(\.gop) == after.phones.map(\.gop))
    #expect(alone.phones.map(\.durationSeconds) == after.phones.map(\.durationSeconds))
  }

  @Test func silenceIsMissingWithAReason() throws {
    let path = try SpeechFixtures.file([Float](repeating: 0, count: 32_000), name: "silence.wav")
    let result = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    guard case .silent = result.missing else { Issue.record("got \(String(describing: result.missing))"); return }
    #expect(result.features == nil && result.phones.isEmpty)
  }

  @Test func steadyNoiseIsMissingWithAReason() throws {
    var rng = SplitMix64(seed: 0x5EED)
    let noise = (0..<48_000).map { _ in Float.random(in: -0.2...0.2, using: &rng) }
    let path = try SpeechFixtures.file(noise, name: "noise.wav")
    let result = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    #expect(result.missing != nil && result.features == nil, "\(String(describing: result.missing))")
  }

  @Test func eightKilohertzAudioIsMissingWithAReason() throws {
    let reading = try decodeMono(path: try SpeechFixtures.reading(sentence), targetSampleRate: 8_000)
    let path = try SpeechFixtures.file(reading.samples, sampleRate: 8_000, name: "8k.wav")
    let result = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner())
    #expect(result.missing == .sampleRateTooLow(hertz: 8_000))
    #expect(result.missing?.description.contains("16 kHz") == true)
  }

  @Test func aWordInNoLexiconIsGuessedOrNamed() throws {
    let prompt = "the zorblax went to school"
    let path = try SpeechFixtures.reading(prompt)
    let guessed = try scorer.score(path: path, prompt: prompt, aligner: try scorer.makeAligner())
    #expect(guessed.words.first { $0.text == "zorblax" }?.source == .letterToSound)
    var strict = scorer
    strict.letterToSound = nil
    let named = try strict.score(path: path, prompt: prompt, aligner: try strict.makeAligner())
    #expect(named.missing == .unknownWords(["zorblax"]))
    #expect(named.missing?.description.contains("'zorblax'") == true)
  }
}

@Suite(.enabled(if: SpeechFixtures.isAvailable))
struct BatchTests {
  @Test func scoresManyAnswersInOrderWithBoundedDecoders() async throws {
    let scorer = try #require(SpeechFixtures.scorer)
    let prompts = ["the boy went to school", "open the window please", "my sister likes green apples"]
    var jobs = try prompts.map { PronunciationJob(path: try SpeechFixtures.reading($0), prompt: $0) }
    jobs.append(PronunciationJob(path: SpeechFixtures.temporaryPath("absent.wav"), prompt: "hello"))
    let results = try await scorer.scoreAll(jobs, concurrency: 2)
    #expect(results.count == 4)
    for (prompt, result) in zip(prompts, results) {
      #expect((try? result.get())?.words.map(\.text) == prompt.split(separator: " ").map(String.init))
    }
    guard case .failure(let error) = results[3] else { Issue.record("an absent file was scored"); return }
    #expect(error.code == .notFound)
  }
}

/// Decoders made, used and freed by many tasks at once: pocketsphinx's log is one FILE* for the process, and a
/// log file named per decoder made each new decoder close the FILE* the others were writing to (CI once died of
/// "free(): invalid pointer" in a scoring run). Every task must score the answer as a decoder alone does.
@Suite(.enabled(if: SpeechFixtures.isAvailable))
struct ConcurrentDecoderTests {
  @Test func decodersMadeAndFreedAtOnceScoreAsOneAlone() async throws {
    let scorer = try #require(SpeechFixtures.scorer)
    let sentence = "open the window please"
    let path = try SpeechFixtures.reading(sentence)
    let alone = try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner()).phones.map(\.gop)
    let results = try await withThrowingTaskGroup(of: [Double].self) { group in
      for _ in 0..<24 {
        group.addTask {
          try scorer.score(path: path, prompt: sentence, aligner: try scorer.makeAligner()).phones.map(\.gop)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.count == 24)
    #expect(results.allSatisfy { $0 == alone })
  }
}
