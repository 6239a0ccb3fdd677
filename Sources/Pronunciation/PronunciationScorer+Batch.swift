import ExamCore

/// A recorded answer and the prompt it should read.
public struct PronunciationJob: Sendable, Equatable {
  public var path: String
  public var prompt: String

  public init(path: String, prompt: String) {
    self.path = path
    self.prompt = prompt
  }
}

extension PronunciationScorer {
  /// Scores every answer with at most `concurrency` decoders at once (one per task, each loading the model once).
  /// - Returns: one result per job, in the jobs' order; a file that cannot be read is a failure, not a throw.
  /// - Throws: `ExamError` only when a decoder cannot be made (model missing).
  public func scoreAll(_ jobs: [PronunciationJob], concurrency: Int) async throws(ExamError)
    -> [Result<PronunciationResult, ExamError>]
  {
    try await forEach(count: jobs.count, concurrency: concurrency) { index, aligner in
      Result { () throws(ExamError) in try score(path: jobs[index].path, prompt: jobs[index].prompt, aligner: aligner) }
    }
  }

  /// Runs `body` for 0..<count with at most `concurrency` tasks, each owning one `PhoneAligner` that it passes to
  /// every call it makes. Memory ≈ `concurrency` × (one model + one answer).
  /// - Returns: the bodies' values in index order.
  public func forEach<Value: Sendable>(
    count: Int, concurrency: Int, _ body: @escaping @Sendable (Int, PhoneAligner) -> Value
  ) async throws(ExamError) -> [Value] {
    let queue = IndexQueue(count: count)
    let scorer = self
    do {
      return try await withThrowingTaskGroup(of: [(Int, Value)].self) { group in
        for _ in 0..<max(1, min(concurrency, count)) {
          group.addTask {
            let aligner = try scorer.makeAligner()
            var done: [(Int, Value)] = []
            while let index = await queue.next() { done.append((index, body(index, aligner))) }
            return done
          }
        }
        var values = [Value?](repeating: nil, count: count)
        for try await batch in group { for (index, value) in batch { values[index] = value } }
        return values.compactMap { $0 }
      }
    } catch let error as ExamError {
      throw error
    } catch {
      throw ExamError(.state, "pronunciation scoring stopped", fix: "run it again", underlying: "\(error)")
    }
  }
}

/// Hands out 0..<count once each to the tasks that ask.
private actor IndexQueue {
  private var nextIndex = 0
  private let count: Int
  init(count: Int) { self.count = count }
  func next() -> Int? {
    guard nextIndex < count else { return nil }
    defer { nextIndex += 1 }
    return nextIndex
  }
}
