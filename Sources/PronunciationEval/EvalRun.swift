import AudioIO
import ExamCore
import Foundation
import Pronunciation

/// One utterance's result with the aligner's CPU time and the audio's length.
struct Scored: Sendable {
  var result: PronunciationResult
  var cpuSeconds: Double
  var audioSeconds: Double
}

enum EvalRun {
  /// Scores every utterance with `jobs` workers, each with its own decoder.
  static func scoreAll(_ utterances: [Utterance], scorer: PronunciationScorer, jobs: Int) async throws -> [Scored] {
    let items = utterances.map { ($0.audioPath, $0.text) }
    let queue = WorkQueue(count: items.count)
    return try await withThrowingTaskGroup(of: [(Int, Scored)].self) { group in
      for _ in 0..<max(1, jobs) {
        group.addTask {
          let aligner = try scorer.makeAligner()
          var done: [(Int, Scored)] = []
          while let index = await queue.next() {
            let audio = try decodeMono(path: items[index].0, targetSampleRate: 16_000)
            let start = threadCPUSeconds()
            let result = try scorer.score(audio, prompt: items[index].1, aligner: aligner)
            done.append((index, Scored(result: result, cpuSeconds: threadCPUSeconds() - start,
              audioSeconds: audio.durationSeconds)))
          }
          return done
        }
      }
      var all = [Scored?](repeating: nil, count: items.count)
      for try await batch in group { for (index, scored) in batch { all[index] = scored } }
      return all.compactMap { $0 }
    }
  }

  /// CPU seconds used by the calling thread (the scoring call never suspends, so it stays on one thread).
  static func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}

/// Hands out indices 0..<count, once each.
actor WorkQueue {
  private var nextIndex = 0
  private let count: Int
  init(count: Int) { self.count = count }
  func next() -> Int? {
    guard nextIndex < count else { return nil }
    defer { nextIndex += 1 }
    return nextIndex
  }
}
