import ExamCore
import ExamStorage

/// One answer a centre's batch should hold: an allocated candidate × an item of the exam (what
/// `exam audio expected` prints), and whether it is stored already.
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
  /// A spoken item's answer window, in seconds.
  public var minSeconds: Double?
  public var maxSeconds: Double?
  /// Whether an answer is stored for this candidate and item.
  public var received: Bool
}

/// What each centre should send, and what it still owes: the allocation × the exam's items, for `exam serve`'s
/// `GET /expected` (a centre sees only its own lines).
public struct ExpectedAnswers: Sendable {
  public let database: ExamDatabase

  public init(database: ExamDatabase) { self.database = database }

  /// The id of `examId`, or of the only exam in the store.
  /// - Throws: `ExamError.usage` when no exam is named and the store holds none or several.
  public func resolveExamId(_ examId: String?) throws -> String {
    if let examId { return try database.requireExam(id: examId).id }
    let ids = try database.examIds()
    guard ids.count == 1 else {
      throw ExamError(.usage, location: "exam", ids.isEmpty ? "no exam is imported" : "the store holds several exams (\(ids.joined(separator: ", ")))",
        fix: ids.isEmpty ? "import the exam pack first" : "name one")
    }
    return ids[0]
  }

  /// The expected answers of `centreId` (optionally one session), in seat-plan order; `outstandingOnly` keeps
  /// those not stored yet.
  public func list(examId: String, centreId: String, sessionId: String? = nil, outstandingOnly: Bool) throws -> [ExpectedAnswer] {
    let definition = try database.requireExam(id: examId)
    let received = try database.receivedAnswerKeys(examId: examId, centreId: centreId)
    var lines: [ExpectedAnswer] = []
    for seat in try database.allocation(examId: examId) where seat.centreId == centreId && (sessionId == nil || seat.sessionId == sessionId) {
      for item in definition.items {
        let stored = received.contains("\(seat.candidateId)|\(item.id)")
        if outstandingOnly && stored { continue }
        lines.append(ExpectedAnswer(centre: seat.centreId, candidate: seat.candidateId, session: seat.sessionId, room: seat.roomId,
          seat: seat.seatId, item: item.id, type: item.type.rawValue, spoken: item.type.isSpoken,
          minSeconds: item.minAnswerSeconds, maxSeconds: item.maxAnswerSeconds, received: stored))
      }
    }
    return lines
  }
}
