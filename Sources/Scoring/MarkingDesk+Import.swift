import ExamCore
import ExamStorage

extension MarkingDesk {
  /// A validated mark read from a file, before it is stored.
  public struct IncomingMark: Sendable, Equatable {
    public var answerId: Int64
    public var raterId: String
    public var points: Double
    public var source: String
    public init(answerId: Int64, raterId: String, points: Double, source: String) {
      self.answerId = answerId
      self.raterId = raterId
      self.points = points
      self.source = source
    }
  }

  /// Reads `answer_id,rater_id,points` rows (a filled-in worksheet works as it is: other columns are ignored,
  /// rows with empty points are skipped as not yet marked).
  /// - Throws: `ExamErrors` with every bad row; nothing is stored then.
  public func readMarks(path: String, text: String, examId: String, kind: Mark.Kind) async throws -> (
    marks: [IncomingMark], blank: Int
  ) {
    let table = try CSVTable(parsing: text, source: path)
    try table.require(columns: ["answer_id", "rater_id", "points"])
    let exam = try await store.requireExam(id: examId)
    let recordings = Dictionary(
      uniqueKeysWithValues: try await store.recordings(examId: examId, currentOnly: true).compactMap { r in
        r.id.map { ($0, r) }
      })
    let raters = Dictionary(uniqueKeysWithValues: try await store.raters().map { ($0.id, $0) })
    let assignments = try await store.assignments(examId: examId)
    var errors: [ExamError] = []
    var marks: [IncomingMark] = []
    var blank = 0
    var seen: Set<String> = []
    for row in table.rows {
      let location = "line \(row.line)"
      let answerText = table.value(row, "answer_id").trimmingSpaces()
      let raterId = table.value(row, "rater_id").trimmingSpaces()
      let pointsText = table.value(row, "points").trimmingSpaces()
      if pointsText.isEmpty { blank += 1; continue }
      guard let answerId = Int64(answerText), let recording = recordings[answerId] else {
        errors.append(
          ExamError(
            .invalidInput, file: path, location: location + ", column answer_id",
            "no current answer '\(answerText)' in exam \(examId)", fix: "use the answer_id from the worksheet"))
        continue
      }
      guard raters[raterId] != nil else {
        errors.append(
          ExamError(
            .invalidInput, file: path, location: location + ", column rater_id",
            "rater '\(raterId)' is not on the rater list", fix: "use the rater id from the worksheet's name and rows"))
        continue
      }
      if kind == .human && !assignments.contains(where: { $0.recordingId == answerId && $0.raterId == raterId }) {
        errors.append(
          ExamError(
            .invalidInput, file: path, location: location,
            "answer \(answerId) was not given to rater \(raterId)",
            fix: "only import marks from the rater's own worksheet"))
        continue
      }
      let maximum = exam.item(recording.itemId)?.points ?? 0
      guard let points = Double(pointsText), points.isFinite, points >= 0, points <= maximum else {
        errors.append(
          ExamError(
            .invalidInput, file: path, location: location + ", column points",
            "'\(pointsText)' is not a mark from 0 to \(maximum) for item \(recording.itemId)",
            fix: "give a number of points from 0 to \(maximum)"))
        continue
      }
      guard seen.insert("\(answerId)/\(raterId)").inserted else {
        errors.append(
          ExamError(
            .invalidInput, file: path, location: location,
            "answer \(answerId) is marked twice by rater \(raterId)", fix: "keep one row per answer"))
        continue
      }
      marks.append(IncomingMark(answerId: answerId, raterId: raterId, points: points, source: "\(path):\(row.line)"))
    }
    if !errors.isEmpty { throw ExamErrors(errors) }
    return (marks, blank)
  }

  public struct ImportSummary: Sendable, Codable, Equatable {
    public var imported = 0
    public var blank = 0
    public var finalised = 0
    public var toArbitration = 0
  }

  /// Validates and stores human marks from a CSV (all or nothing), then the final marks they settle (a second
  /// transaction; re-importing the same file after a crash stores no mark twice and settles the rest).
  public func importMarks(path: String, examId: String, audit: AuditEntry) async throws -> ImportSummary {
    let (incoming, blank) = try await readMarks(
      path: path, text: try InputFile.text(path), examId: examId, kind: .human)
    var summary = ImportSummary()
    summary.blank = blank
    let marks = incoming.map {
      Mark(
        recordingId: $0.answerId, raterId: $0.raterId, kind: .human, points: $0.points, markedAt: audit.at,
        source: $0.source)
    }
    summary.imported = try await store.saveMarks(
      marks, finals: [], audit: audit.with(summary: "imported \(marks.count) human mark(s) from \(path)"))
    let settled = try await settle(examId: examId, answers: Set(incoming.map(\.answerId)), audit: audit)
    summary.finalised = settled.finalised
    summary.toArbitration = settled.toArbitration
    return summary
  }

  /// Decides final marks for `answers` where the rule allows; returns how many were finalised and how many wait
  /// for arbitration.
  func settle(examId: String, answers: Set<Int64>, audit: AuditEntry) async throws -> (
    finalised: Int, toArbitration: Int
  ) {
    let exam = try await store.requireExam(id: examId)
    var recordings: [Int64: StoredRecording] = [:]
    var marks: [Int64: [Mark]] = [:]
    var assignments: [Int64: [MarkAssignment]] = [:]
    var finalIds: Set<Int64> = []
    if answers.count <= 8 {  // one answer marked on the desk: read only what it needs
      for id in answers {
        guard let r = try await store.recording(id: id), r.examId == examId, r.isCurrent else { continue }
        let (list, isFinal) = try await store.marks(recordingId: id)
        recordings[id] = r
        marks[id] = list
        assignments[id] = try await store.assignments(recordingId: id)
        if isFinal { finalIds.insert(id) }
      }
    } else {
      recordings = Dictionary(
        uniqueKeysWithValues: try await store.recordings(examId: examId, currentOnly: true).compactMap { r in
          r.id.map { ($0, r) }
        })
      marks = Dictionary(grouping: try await store.marks(examId: examId), by: \.recordingId)
      assignments = Dictionary(grouping: try await store.assignments(examId: examId), by: \.recordingId)
      finalIds = Set(try await store.finalMarks(examId: examId).map(\.recordingId))
    }
    var finals: [FinalMark] = []
    var waiting = 0
    for id in answers.sorted() where !finalIds.contains(id) {
      guard let r = recordings[id], let item = exam.item(r.itemId) else { continue }
      let slots = (assignments[id] ?? []).sorted { $0.slot < $1.slot }.prefix(2)
      let human = slots.compactMap { a in (marks[id] ?? []).first { $0.kind == .human && $0.raterId == a.raterId } }
      guard human.count == 2 else { continue }
      let arbiter = (marks[id] ?? []).first { $0.kind == .arbiter }
      let candidates = [human[0], human[1]] + (arbiter.map { [$0] } ?? [])
      switch FinalMarkRule.resolve(
        human[0].points, human[1].points, arbiter: arbiter?.points, rubric: ItemScoring.markingRule(for: item))
      {
      case .final(let points, let method, let uses):
        finals.append(
          FinalMark(
            recordingId: id, examId: examId, candidateId: r.candidateId, itemId: r.itemId, points: points,
            method: method, markIds: uses.compactMap { candidates[$0].id }, decidedAt: audit.at))
      case .needsArbitration:
        waiting += 1
      }
    }
    if !finals.isEmpty {
      _ = try await store.saveMarks(
        [], finals: finals, audit: audit.with(summary: "final marks for \(finals.count) answer(s)"))
    }
    return (finals.count, waiting)
  }
}
