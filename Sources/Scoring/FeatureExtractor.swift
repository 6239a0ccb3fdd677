import ExamCore

/// Measures an answer's features: SpeechDSP's named values (`duration_s`, `speech_rate_syl_s`, …).
///
/// A protocol so that scoring can be tested with known features and run with SpeechDSP's analyser.
public protocol FeatureExtractor: Sendable {
  /// Features of the audio at `audioPath`, with reference-similarity features when `referencePath` is given.
  func features(audioPath: String, referencePath: String?) throws(ExamError) -> [String: Double]
  /// The same with the answer's prompt text (read-aloud answers; nil for open answers), for extractors that align
  /// the prompt (`AnswerExtractor`). By default the text is not used.
  func features(audioPath: String, referencePath: String?, text: String?) throws(ExamError) -> [String: Double]
}

extension FeatureExtractor {
  public func features(audioPath: String, referencePath: String?, text: String?) throws(ExamError) -> [String: Double] {
    try features(audioPath: audioPath, referencePath: referencePath)
  }
}

/// Extracts features of many answers with at most `jobs` in flight (one finishes, the next starts), so memory
/// stays at `jobs` answers' working sets; the parent collects results in order of completion.
public enum FeatureBatch {
  /// Features (or the error) per entry, in `entries` order.
  /// - Parameter progress: called from the collecting task after each answer, with the count done so far.
  public static func extract(
    _ entries: [ManifestEntry], with extractor: some FeatureExtractor, jobs: Int,
    progress: (Int) -> Void = { _ in }
  ) async -> [Result<[String: Double], ExamError>] {
    var results = [Result<[String: Double], ExamError>?](repeating: nil, count: entries.count)
    await withTaskGroup(of: (Int, Result<[String: Double], ExamError>).self) { group in
      var next = 0
      func start(_ i: Int) {
        let entry = entries[i]
        group.addTask {
          do throws(ExamError) {
            let features = try extractor.features(
              audioPath: entry.audioPath, referencePath: entry.referencePath, text: entry.text)
            return (i, .success(features))
          } catch {
            return (i, .failure(error))
          }
        }
      }
      while next < min(max(jobs, 1), entries.count) {
        start(next)
        next += 1
      }
      var done = 0
      while let (i, result) = await group.next() {
        results[i] = result
        done += 1
        progress(done)
        if next < entries.count {
          start(next)
          next += 1
        }
      }
    }
    return results.map { $0 ?? .failure(ExamError(.state, "not analysed")) }
  }
}
