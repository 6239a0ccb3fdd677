import ExamCore
import ExamStorage

/// What `exam records sync` did.
public struct RecordsSyncSummary: Sendable, Equatable, Codable {
  public var examId: String
  /// Finalised results of the exam.
  public var results = 0
  /// Sittings newly filed in the academic dimension.
  public var inserted = 0
  /// Sittings (this or another exam's) whose values or counted mark changed.
  public var updated = 0
  /// Candidates with a result but no student record (by national ID), by candidate number.
  public var unmatchedCandidates: [String] = []

  public init(examId: String) { self.examId = examId }
}

/// Files finalised listening-and-speaking results in students' academic dimension.
public enum RecordsSync {
  /// Copies the exam's finalised results to the students with the candidates' national IDs, keeping every sitting
  /// and marking the best one of each student as counted; idempotent.
  /// - Throws: `ExamError.notFound` when the exam is not in the store.
  public static func sync(examId: String, store: any RecordsStore, audit: AuditEntry) async throws
    -> RecordsSyncSummary
  {
    let exam = try await store.requireExam(id: examId)
    var summary = RecordsSyncSummary(examId: examId)
    let results = try await store.results(examId: examId)
    summary.results = results.count
    guard !results.isEmpty else { return summary }
    let candidates = Dictionary(try await store.candidates().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let students = Set(try await store.recordStudents(RecordFilter()).map(\.nationalId))
    var fresh: [String: RecordTestSitting] = [:]
    for result in results {
      guard let candidate = candidates[result.candidateId],
        students.contains(NationalID.normalised(candidate.nationalId))
      else {
        summary.unmatchedCandidates.append(result.candidateId)
        continue
      }
      let id = NationalID.normalised(candidate.nationalId)
      fresh[id] = RecordTestSitting(
        nationalId: id, examId: examId, examTitle: exam.title, candidateId: result.candidateId,
        sittingDate: result.sittingDate, total: result.total, maxTotal: exam.totalPoints, listening: result.listening,
        speaking: result.speaking, sectionScores: result.sectionScores, level: result.level, counted: false)
    }
    let existing = try await store.recordTestSittings(RecordFilter(nationalIds: Set(fresh.keys)))
    var toSave: [RecordTestSitting] = []
    for (id, sitting) in fresh.sorted(by: { $0.key < $1.key }) {
      var all = (existing[id] ?? []).filter { $0.examId != examId } + [sitting]
      markCounted(&all)
      toSave += all
    }
    let previous = Dictionary(
      existing.values.joined().map { ("\($0.nationalId)|\($0.examId)", $0) },
      uniquingKeysWith: { a, _ in a })
    let willInsert = toSave.filter { previous["\($0.nationalId)|\($0.examId)"] == nil }.count
    let willUpdate = toSave.filter { new in
      previous["\(new.nationalId)|\(new.examId)"].map { old in old != new } ?? false
    }
    .count
    var line = audit
    line.summary =
      "\(examId): \(results.count) finalised result(s); \(willInsert) sitting(s) filed, \(willUpdate) updated; "
      + "\(summary.unmatchedCandidates.count) candidate(s) without a student record"
    let changes = try await store.saveTestSittings(toSave, audit: line)
    summary.inserted = changes.inserted
    summary.updated = changes.updated
    return summary
  }

  /// Marks exactly one sitting as counted: the highest share of the maximum, the earlier sitting on a tie; a
  /// sitting the student missed (level `absent`) counts only when there is no other.
  public static func markCounted(_ sittings: inout [RecordTestSitting]) {
    guard !sittings.isEmpty else { return }
    func share(_ s: RecordTestSitting) -> Double {
      s.level == CandidateResult.absentLevel ? -1 : s.maxTotal > 0 ? s.total / s.maxTotal : s.total
    }
    var best = 0
    for i in sittings.indices.dropFirst() {
      let a = share(sittings[i])
      let b = share(sittings[best])
      if a > b
        || (a == b
          && (sittings[i].sittingDate, sittings[i].examId) < (sittings[best].sittingDate, sittings[best].examId))
      {
        best = i
      }
    }
    for i in sittings.indices { sittings[i].counted = i == best }
  }
}
