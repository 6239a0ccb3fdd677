import ExamCore
import ExamStorage

/// Double marking over the store: who marks what, worksheets, importing marks, final marks and arbitration.
///
/// Which answers need people: those whose machine score says so (open answers, low confidence, analysis
/// failed). Each gets two raters (slots 1 and 2), never from the candidate's school, chosen as the eligible
/// raters with the fewest answers so far (ties broken by a stable hash, so re-running gives the same plan).
/// The machine's mark stays on record as the first mark; the final mark follows from the two human marks by
/// `FinalMarkRule` and the item's rubric.
///
/// Works on either backend (`MarkingStore`).
public struct MarkingDesk: Sendable {
  public var store: any MarkingStore
  public var contentStore: ContentStore

  public init(store: any MarkingStore, contentStore: ContentStore) {
    self.store = store
    self.contentStore = contentStore
  }

  /// One answer a person must mark, as it appears on a worksheet or in the arbitration queue.
  public struct Task: Sendable, Codable, Equatable {
    public var answerId: Int64
    public var examId: String
    public var candidateId: String
    public var itemId: String
    public var itemType: String
    public var maxPoints: Double
    public var audio: String
    public var text: String
    public var machinePoints: Double?
    public var reason: String
  }

  /// State of the marking of one exam.
  public struct Status: Sendable, Codable, Equatable {
    public var answers = 0
    public var needHumans = 0
    public var unscored = 0
    public var final = 0
    public var awaitingMarks = 0
    public var awaitingArbitration = 0
  }

  /// Answers that need people, with their exam context.
  func humanTasks(examId: String) async throws -> (exam: ExamDefinition, tasks: [Task]) {
    let exam = try await store.requireExam(id: examId)
    var tasks: [Task] = []
    for s in try await store.machineScores(examId: examId) where s.needsHuman {
      let recording = try? await store.recordingVersions(examId: examId, candidateId: s.candidateId, itemId: s.itemId)
        .first { $0.id == s.recordingId }
      if let t = task(for: s, exam: exam, recording: recording) { tasks.append(t) }
    }
    return (exam, tasks)
  }

  /// The task for one machine-scored answer, or nil when its item is not in the exam.
  func task(for s: MachineScore, exam: ExamDefinition, recording: StoredRecording?) -> Task? {
    guard let item = exam.item(s.itemId) else { return nil }
    return Task(
      answerId: s.recordingId, examId: exam.id, candidateId: s.candidateId, itemId: s.itemId,
      itemType: item.type.rawValue, maxPoints: item.points,
      audio: recording.map { contentStore.path(sha256: $0.storedSha256, ext: "flac") } ?? "",
      text: item.referenceText ?? item.promptText ?? "", machinePoints: s.points, reason: s.reason)
  }

  /// Assigns two raters to every answer that needs people and has fewer than two, stores the plan (with the
  /// rater list) in one transaction, and returns every rater's open tasks.
  /// - Throws: `ExamError.state` when an answer has fewer than two raters outside the candidate's school.
  public func plan(examId: String, raters: [Rater], audit: AuditEntry) async throws -> [String: [Task]] {
    try await store.importRaters(raters, audit: audit.with(summary: "rater list: \(raters.count) raters"))
    let (_, tasks) = try await humanTasks(examId: examId)
    let schoolOf = Dictionary(uniqueKeysWithValues: try await store.candidates().map { ($0.id, $0.school) })
    var existing = try await store.assignments(examId: examId)
    var load: [String: Int] = [:]
    for a in existing { load[a.raterId, default: 0] += 1 }
    var added: [MarkAssignment] = []
    let now = audit.at
    for task in tasks {
      let mine = existing.filter { $0.recordingId == task.answerId }
      guard mine.count < 2 else { continue }
      let school = schoolOf[task.candidateId] ?? ""
      let eligible = raters.filter { r in r.school != school && !mine.contains { $0.raterId == r.id } }
        .sorted {
          (load[$0.id] ?? 0, SpeakerFolds.hash("\(task.answerId)/\($0.id)")) < (
            load[$1.id] ?? 0, SpeakerFolds.hash("\(task.answerId)/\($1.id)")
          )
        }
      let needed = 2 - mine.count
      guard eligible.count >= needed else {
        throw ExamError(
          .state, location: "answer \(task.answerId) (candidate \(task.candidateId), school \(school))",
          "only \(eligible.count) rater(s) outside the candidate's school are free for it",
          fix: "add raters from other schools to the rater list")
      }
      let freeSlots = [1, 2].filter { slot in !mine.contains { $0.slot == slot } }
      for (slot, rater) in zip(freeSlots, eligible.prefix(needed)) {
        let a = MarkAssignment(recordingId: task.answerId, raterId: rater.id, slot: slot, assignedAt: now)
        added.append(a)
        existing.append(a)
        load[rater.id, default: 0] += 1
      }
    }
    _ = try await store.saveAssignments(
      added, audit: audit.with(summary: "assigned \(added.count) marking task(s) for exam \(examId)"))
    let marked = Set(
      try await store.marks(examId: examId).filter { $0.kind == .human }.map { "\($0.recordingId)/\($0.raterId)" })
    var byRater: [String: [Task]] = [:]
    for r in raters { byRater[r.id] = [] }
    let taskById = Dictionary(uniqueKeysWithValues: tasks.map { ($0.answerId, $0) })
    for a in existing where !marked.contains("\(a.recordingId)/\(a.raterId)") && a.slot <= 2 {
      if let t = taskById[a.recordingId] { byRater[a.raterId, default: []].append(t) }
    }
    return byRater
  }

  /// Where every answer of the exam stands.
  public func status(examId: String) async throws -> Status {
    var s = Status()
    let exam = try await store.requireExam(id: examId)
    let recordings = try await store.recordings(examId: examId, currentOnly: true).filter {
      exam.item($0.itemId)?.type.isSpoken ?? false
    }
    let scores = Dictionary(
      uniqueKeysWithValues: try await store.machineScores(examId: examId).map { ($0.recordingId, $0) })
    let finals = Set(try await store.finalMarks(examId: examId).map(\.recordingId))
    let queue = Set(try await arbitrationQueue(examId: examId).map(\.answerId))
    s.answers = recordings.count
    for r in recordings {
      guard let id = r.id else { continue }
      guard let score = scores[id] else { s.unscored += 1; continue }
      if score.needsHuman { s.needHumans += 1 }
      if finals.contains(id) {
        s.final += 1
      } else if queue.contains(id) {
        s.awaitingArbitration += 1
      } else {
        s.awaitingMarks += 1
      }
    }
    return s
  }
}
