import ExamCore
import ExamStorage

extension MarkingDesk {
  /// An answer whose two human marks differ by more than the rubric's tolerance.
  public struct ArbitrationCase: Sendable, Codable, Equatable {
    public var answerId: Int64
    public var candidateId: String
    public var itemId: String
    public var audio: String
    public var maxPoints: Double
    public var tolerance: Double
    public var machinePoints: Double?
    /// The two marks: rater id and points.
    public var marks: [String: Double]
  }

  /// Answers waiting for an arbiter.
  public func arbitrationQueue(examId: String) async throws -> [ArbitrationCase] {
    let exam = try await store.requireExam(id: examId)
    let recordings = Dictionary(
      uniqueKeysWithValues: try await store.recordings(examId: examId, currentOnly: true).compactMap { r in
        r.id.map { ($0, r) }
      })
    let marks = Dictionary(grouping: try await store.marks(examId: examId), by: \.recordingId)
    let assignments = Dictionary(grouping: try await store.assignments(examId: examId), by: \.recordingId)
    let finals = Set(try await store.finalMarks(examId: examId).map(\.recordingId))
    var queue: [ArbitrationCase] = []
    for (id, list) in assignments.sorted(by: { $0.key < $1.key }) where !finals.contains(id) {
      guard let r = recordings[id], let item = exam.item(r.itemId) else { continue }
      let human = list.sorted { $0.slot < $1.slot }.prefix(2).compactMap { a in
        (marks[id] ?? []).first { $0.kind == .human && $0.raterId == a.raterId }
      }
      guard human.count == 2 else { continue }
      let rule = ItemScoring.markingRule(for: item)
      guard case .needsArbitration = FinalMarkRule.resolve(human[0].points, human[1].points, arbiter: nil, rubric: rule)
      else { continue }
      queue.append(
        ArbitrationCase(
          answerId: id, candidateId: r.candidateId, itemId: r.itemId,
          audio: contentStore.path(sha256: r.storedSha256, ext: "flac"), maxPoints: item.points,
          tolerance: rule.tolerance,
          machinePoints: (marks[id] ?? []).first { $0.kind == .machine }?.points,
          marks: Dictionary(uniqueKeysWithValues: human.map { ($0.raterId, $0.points) })))
    }
    return queue
  }

  /// Records arbiters' marks (`answer_id,rater_id,points` rows, or one given directly), then the final marks they
  /// settle (two transactions, each with its audit line; after a crash between them, running the same command
  /// again stores nothing twice and settles the rest).
  /// - Throws: `ExamErrors` when an answer is not waiting for arbitration, the arbiter is unknown, is one of the
  ///   two raters or from the candidate's school, or the points are out of range; nothing is stored then.
  public func arbitrate(examId: String, decisions: [IncomingMark], audit: AuditEntry) async throws -> Int {
    let queue = Dictionary(uniqueKeysWithValues: try await arbitrationQueue(examId: examId).map { ($0.answerId, $0) })
    let raters = Dictionary(uniqueKeysWithValues: try await store.raters().map { ($0.id, $0) })
    let schoolOf = Dictionary(uniqueKeysWithValues: try await store.candidates().map { ($0.id, $0.school) })
    var errors: [ExamError] = []
    for d in decisions {
      guard let c = queue[d.answerId] else {
        errors.append(
          ExamError(
            .invalidInput, file: d.source, location: "answer \(d.answerId)",
            "answer \(d.answerId) is not waiting for arbitration",
            fix: "see `exam marking arbitrate --exam ID` for the queue"))
        continue
      }
      guard let rater = raters[d.raterId] else {
        errors.append(
          ExamError(
            .invalidInput, file: d.source, location: "rater_id", "arbiter '\(d.raterId)' is not on the rater list",
            fix: "add the arbiter to the rater list (exam marking export --raters) first"))
        continue
      }
      if c.marks[d.raterId] != nil || rater.school == schoolOf[c.candidateId] {
        errors.append(
          ExamError(
            .invalidInput, file: d.source, location: "answer \(d.answerId)",
            "rater \(d.raterId) marked this answer already or is from the candidate's school",
            fix: "choose an arbiter who is neither of the two raters nor from the candidate's school"))
        continue
      }
      if !(d.points >= 0 && d.points <= c.maxPoints) {
        errors.append(
          ExamError(
            .invalidInput, file: d.source, location: "answer \(d.answerId), points",
            "\(d.points) is not a mark from 0 to \(c.maxPoints)",
            fix: "give a number of points from 0 to \(c.maxPoints)"))
      }
    }
    if !errors.isEmpty { throw ExamErrors(errors) }
    let marks = decisions.map {
      Mark(
        recordingId: $0.answerId, raterId: $0.raterId, kind: .arbiter, points: $0.points, markedAt: audit.at,
        source: $0.source)
    }
    _ = try await store.saveMarks(marks, finals: [], audit: audit.with(summary: "arbitration: \(marks.count) mark(s)"))
    return try await settle(examId: examId, answers: Set(decisions.map(\.answerId)), audit: audit).finalised
  }
}
