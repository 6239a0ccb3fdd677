import AudioIO
import ExamCore
import Foundation

/// Decoders for many tasks: each call borrows a `PhoneAligner` (made on first need), so a batch of `jobs` tasks
/// loads the model at most `jobs` times, however many answers it scores.
///
/// `@unchecked Sendable`: the list of idle aligners is only touched under `lock`, and an aligner is used by one
/// task at a time — it leaves the list while borrowed and comes back when the call ends.
public final class PhoneAlignerPool: @unchecked Sendable {
  public let scorer: PronunciationScorer
  private let lock = NSLock()
  private var idle: [PhoneAligner] = []

  public init(scorer: PronunciationScorer) { self.scorer = scorer }

  /// Scores decoded 16 kHz audio against `prompt` with a borrowed aligner (`PronunciationScorer.score`).
  /// - Throws: `ExamError` when a decoder cannot be made (model missing or refused).
  public func score(_ audio: DecodedAudio, prompt: String, medianPitchHz: Double?) throws(ExamError)
    -> PronunciationResult
  {
    let aligner = try borrow()
    defer { giveBack(aligner) }
    return try scorer.score(audio, prompt: prompt, aligner: aligner, medianPitchHz: medianPitchHz)
  }

  private func borrow() throws(ExamError) -> PhoneAligner {
    let reused: PhoneAligner? = lock.withLock { idle.popLast() }
    if let reused { return reused }
    return try scorer.makeAligner()
  }

  private func giveBack(_ aligner: PhoneAligner) { lock.withLock { idle.append(aligner) } }
}
