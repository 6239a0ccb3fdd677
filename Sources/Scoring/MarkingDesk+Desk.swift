import ExamCore
import ExamStorage

/// One answer at a time, for raters marking in a browser (`exam serve`'s `/mark`): the same assignments, marks, final
/// marks and audit lines as worksheets (`importMarks`), read and written for one answer.
extension MarkingDesk {
  /// What became of a mark given on the desk.
  public enum MarkOutcome: String, Sendable, Codable, Equatable {
    /// Stored; the answer waits for its other mark.
    case stored
    /// Stored, and with the other mark within tolerance it settled the final mark.
    case finalised
    /// Stored, and the two marks are too far apart: the answer waits for an arbiter.
    case toArbitration
  }

  /// The first answer given to `raterId` that they have not marked yet, or nil when they are done.
  public func nextTask(examId: String, raterId: String) async throws -> Task? {
    guard let assignment = try await store.nextOpenAssignment(examId: examId, raterId: raterId) else { return nil }
    return try await task(answerId: assignment.recordingId, examId: examId)
  }

  /// The marking task for one answer of `examId` (nil when it is not a current, machine-scored answer of the exam).
  public func task(answerId: Int64, examId: String) async throws -> Task? {
    guard let recording = try await store.recording(id: answerId), recording.examId == examId, recording.isCurrent,
      let score = try await store.machineScore(recordingId: answerId)
    else { return nil }
    return task(for: score, exam: try await store.requireExam(id: examId), recording: recording)
  }

  /// Whether `answerId` is given to `raterId` as first or second mark.
  public func isAssigned(answerId: Int64, to raterId: String) async throws -> Bool {
    try await store.assignments(recordingId: answerId).contains { $0.raterId == raterId && $0.slot <= 2 }
  }

  /// Stores one rater's mark on an answer given to them, then settles the answer's final mark where the rubric allows
  /// (the same two transactions as `importMarks`, each with its audit line).
  /// - Throws: `ExamError.invalidInput` when the answer is not given to the rater or the points are out of range;
  ///   `ExamError.conflict` when the rater marked it before (a mark is never replaced or stored twice).
  public func recordMark(_ mark: IncomingMark, examId: String, audit: AuditEntry) async throws -> MarkOutcome {
    guard try await isAssigned(answerId: mark.answerId, to: mark.raterId),
      let task = try await task(answerId: mark.answerId, examId: examId)
    else {
      throw ExamError(
        .invalidInput, location: "answer \(mark.answerId)",
        "answer \(mark.answerId) was not given to rater \(mark.raterId)",
        fix: "mark the answers the desk gives you")
    }
    guard mark.points.isFinite, mark.points >= 0, mark.points <= task.maxPoints else {
      throw ExamError(
        .invalidInput, location: "answer \(mark.answerId), points",
        "\(NumberText.plain(mark.points)) is not a mark from 0 to \(NumberText.plain(task.maxPoints)) for item \(task.itemId)",
        fix: "give a number of points from 0 to \(NumberText.plain(task.maxPoints))")
    }
    let stored = Mark(
      recordingId: mark.answerId, raterId: mark.raterId, kind: .human, points: mark.points, markedAt: audit.at,
      source: mark.source)
    let added = try await store.saveMarks(
      [stored], finals: [],
      audit: audit.with(summary: "mark \(NumberText.plain(mark.points)) on answer \(mark.answerId)"))
    guard added == 1 else {
      throw ExamError(
        .conflict, location: "answer \(mark.answerId)", "rater \(mark.raterId) has marked this answer already",
        fix: "go on to the next answer; ask the exam office to withdraw a mark given by mistake")
    }
    let settled = try await settle(examId: examId, answers: [mark.answerId], audit: audit)
    return settled.finalised > 0 ? .finalised : settled.toArbitration > 0 ? .toArbitration : .stored
  }
}
