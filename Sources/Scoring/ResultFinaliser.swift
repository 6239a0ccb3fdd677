import ExamCore
import ExamStorage

/// `exam results finalise`: totals per candidate from final marks and listening keys.
///
/// - Listening items: full points when the logged choice equals the key, else 0 (no answer is 0).
/// - Spoken items: the answer's final mark; an item with no recording is 0 (no response).
/// - Section score: the sum of its items' points, scaled to the section's points when they differ.
/// - Total: the sum of section scores; listening and speaking: of the listening and speaking sections.
/// - Level (`LevelBands`): A at 85% of the exam's points or more, B at 70%, C at 60%, D below; `absent` (缺考)
///   for an allocated candidate with no recording, no listening answer and no login on a seat machine, who did
///   not sit the exam (points 0, never a D: a candidate who sat and scored nothing still gets D).
/// Candidates: those allocated to the exam or with any answer in it.
/// Works on either backend (`MarkingStore`).
public struct ResultFinaliser: Sendable {
  public var store: any MarkingStore
  public init(store: any MarkingStore) { self.store = store }

  /// Computes every candidate's result.
  /// - Throws: `ExamError.state` naming how many answers (and the first few) still lack a final mark.
  public func compute(examId: String, finalisedAt: String) async throws -> [CandidateResult] {
    let exam = try await store.requireExam(id: examId)
    let recordings = try await store.recordings(examId: examId, currentOnly: true).filter {
      exam.item($0.itemId)?.type.isSpoken ?? false
    }
    let finals = Dictionary(
      uniqueKeysWithValues: try await store.finalMarks(examId: examId).map { ($0.recordingId, $0) })
    let missing = recordings.filter { $0.id.map { finals[$0] == nil } ?? true }
    guard missing.isEmpty else {
      let sample = missing.prefix(5).map { "\($0.candidateId)/\($0.itemId) (answer \($0.id ?? 0))" }.joined(
        separator: ", ")
      throw ExamError(
        .state, location: "exam \(examId)", "\(missing.count) answer(s) have no final mark yet, e.g. \(sample)",
        fix:
          "run `exam score run`, import the raters' marks (`exam marking import`) and settle arbitration (`exam marking arbitrate`)"
      )
    }
    let listening = try await store.listeningAnswers(examId: examId)
    let allocation = try await store.allocation(examId: examId)
    let sessions = Dictionary(uniqueKeysWithValues: try await store.sessions().map { ($0.id, $0.date) })
    let answered = Set(recordings.map(\.candidateId)).union(listening.map(\.candidateId))
    let sat = answered.union(try await store.loggedInCandidates(examId: examId))
    let candidates = answered.union(allocation.map(\.candidateId))
    var spokenPoints: [String: [String: Double]] = [:]
    var sittingDate: [String: String] = [:]
    for r in recordings {
      if let id = r.id, let f = finals[id] { spokenPoints[r.candidateId, default: [:]][r.itemId] = f.points }
      if sittingDate[r.candidateId] == nil { sittingDate[r.candidateId] = String(r.recordedAt.prefix(10)) }
    }
    for a in allocation { if let d = sessions[a.sessionId] { sittingDate[a.candidateId] = d } }
    var choices: [String: [String: String]] = [:]
    for a in listening { choices[a.candidateId, default: [:]][a.itemId] = a.choice }
    return candidates.sorted().map { c in
      var sections: [String: Double] = [:]
      var listeningTotal = 0.0, speakingTotal = 0.0
      for section in exam.sections {
        var raw = 0.0
        for item in section.items {
          raw +=
            item.type.isSpoken
            ? (spokenPoints[c]?[item.id] ?? 0) : ItemScoring.listeningPoints(for: item, choice: choices[c]?[item.id])
        }
        let itemTotal = section.items.reduce(0) { $0 + $1.points }
        let score = round2(
          itemTotal > 0 && abs(itemTotal - section.points) > 1e-9 ? raw * section.points / itemTotal : raw)
        sections[section.id] = score
        if section.part == .listening { listeningTotal += score } else { speakingTotal += score }
      }
      let total = round2(listeningTotal + speakingTotal)
      return CandidateResult(
        examId: examId, candidateId: c, sittingDate: sittingDate[c] ?? String(finalisedAt.prefix(10)),
        total: total, listening: round2(listeningTotal), speaking: round2(speakingTotal), sectionScores: sections,
        level: sat.contains(c) ? LevelBands.level(points: total, of: exam.totalPoints) : CandidateResult.absentLevel,
        finalisedAt: finalisedAt)
    }
  }

  func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}

/// The level band rule: share of the exam's points → A (≥ 85%), B (≥ 70%), C (≥ 60%), D (below 60%).
public enum LevelBands {
  public static let bands: [(level: String, minimumShare: Double)] = [("A", 0.85), ("B", 0.70), ("C", 0.60), ("D", 0)]

  public static func level(points: Double, of total: Double) -> String {
    let share = total > 0 ? points / total : 0
    return bands.first { share + 1e-9 >= $0.minimumShare }?.level ?? "D"
  }
}
