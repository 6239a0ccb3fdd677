import ExamCore
import ExamStorage

/// One answer a centre's batch should hold: an allocated candidate × an item of the exam, with the item's
/// answer window. `exam audio expected` lists them; seat machines and the demo's batch maker use the list.
public struct ExpectedAnswer: Sendable, Codable, Equatable {
  public var centre: String
  public var candidate: String
  public var session: String
  public var room: String
  public var seat: String
  public var item: String
  public var type: String
  /// A recording in manifest.csv (spoken) or a choice in answers.csv (listening).
  public var spoken: Bool
  public var minSeconds: Double?
  public var maxSeconds: Double?
  public var referenceText: String?
  public var promptText: String?
  /// Whether an answer is stored for this candidate and item; nil when not asked (see `ExpectedAnswers`).
  public var received: Bool?

  /// Every answer of `examId`'s allocated candidates, in seat-plan order then item order; only `centreId`'s and
  /// `sessionId`'s when given.
  /// - Throws: `ExamError.notFound` for an unknown exam.
  public static func list(
    examId: String, centreId: String? = nil, sessionId: String? = nil, store: any SittingStore
  ) async throws -> [ExpectedAnswer] {
    let exam = try await store.requireExam(id: examId)
    let seats = try await store.allocation(examId: examId).filter {
      (centreId == nil || $0.centreId == centreId) && (sessionId == nil || $0.sessionId == sessionId)
    }
    return seats.flatMap { seat in
      exam.items.map { item in
        ExpectedAnswer(
          centre: seat.centreId, candidate: seat.candidateId, session: seat.sessionId, room: seat.roomId,
          seat: seat.seatId, item: item.id, type: item.type.rawValue, spoken: item.type.isSpoken,
          minSeconds: item.minAnswerSeconds, maxSeconds: item.maxAnswerSeconds, referenceText: item.referenceText,
          promptText: item.promptText, received: nil)
      }
    }
  }
}
