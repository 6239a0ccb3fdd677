import ExamCore
import ExamStorage

/// What each centre should send, and what it still owes: `ExpectedAnswer.list` with each line marked received or
/// not, for `exam serve`'s `GET /expected` (a centre sees only its own lines) and the office's status page.
public struct ExpectedAnswers: Sendable {
  public let store: any ServerStore

  public init(store: any ServerStore) { self.store = store }

  /// The id of `examId` (which must be imported), or of the only exam in the store.
  /// - Throws: `ExamError.usage` when no exam is named and the store holds none or several; `.notFound` for an
  ///   unknown exam.
  public func resolveExamId(_ examId: String?) async throws -> String {
    try await store.requireExam(id: try await store.resolveExamId(examId)).id
  }

  /// The expected answers of `centreId` (optionally one session), in seat-plan order; `outstandingOnly` keeps
  /// those not stored yet.
  public func list(examId: String, centreId: String, sessionId: String? = nil, outstandingOnly: Bool) async throws
    -> [ExpectedAnswer]
  {
    let received = try await store.receivedAnswerKeys(examId: examId, centreId: centreId)
    return try await ExpectedAnswer.list(examId: examId, centreId: centreId, sessionId: sessionId, store: store)
      .compactMap {
        var line = $0
        line.received = received.contains("\(line.candidate)|\(line.item)")
        return outstandingOnly && line.received == true ? nil : line
      }
  }
}
