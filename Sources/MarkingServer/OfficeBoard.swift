import ExamCore
import ExamStorage
import Foundation
import Scoring

/// What `/marking` and `/marking.json` show: progress per item and per rater, throughput, each rater's agreement
/// with the other rater of the same answers and with the machine (Pearson, exact and adjacent on a 0–10 scale), and
/// drift: per rater and hour, the mean of (own mark − other rater's mark) on the 0–10 scale.
struct OfficeBoard: Sendable {
  struct ItemRow: Sendable, Codable, Equatable {
    var itemId: String
    var maxPoints: Double
    var answersForPeople = 0
    var humanMarks = 0
    var final = 0
    var waitingForArbitration = 0
  }

  struct DriftPoint: Sendable, Codable, Equatable {
    /// `YYYY-MM-DDTHH` (UTC).
    var hour: String
    var meanDifference: Double
    var count: Int
  }

  struct RaterRow: Sendable, Codable, Equatable {
    var raterId: String
    var name: String
    var assigned = 0
    var marked = 0
    var marksLastHour = 0
    var lastMarkAt: String?
    var versusOtherRater: Agreement?
    var versusMachine: Agreement?
    var drift: [DriftPoint] = []
  }

  struct Snapshot: Sendable, Codable, Equatable {
    var examId: String
    var at: String
    var status: MarkingDesk.Status
    var humanMarks: Int
    var marksLastHour: Int
    /// Human marks per hour between the first and the last mark.
    var marksPerHour: Double
    var items: [ItemRow]
    var raters: [RaterRow]
  }

  let desk: MarkingDesk
  let examId: String

  func snapshot(nowSeconds: Double = Date().timeIntervalSince1970) async throws -> Snapshot {
    let database = desk.store
    let exam = try await database.requireExam(id: examId)
    let recordings = Dictionary(
      uniqueKeysWithValues: try await database.recordings(examId: examId, currentOnly: true).compactMap { r in
        r.id.map { ($0, r) }
      })
    let assignments = try await database.assignments(examId: examId)
    let marks = try await database.marks(examId: examId)
    let machine = Dictionary(
      uniqueKeysWithValues: try await database.machineScores(examId: examId).compactMap { s in
        s.points.map { (s.recordingId, $0) }
      })
    let finals = Set(try await database.finalMarks(examId: examId).map(\.recordingId))
    let waiting = Set(try await desk.arbitrationQueue(examId: examId).map(\.answerId))
    func maximum(_ answer: Int64) -> Double { recordings[answer].flatMap { exam.item($0.itemId)?.points } ?? 0 }
    func scaled(_ points: Double, _ answer: Int64) -> Double { maximum(answer) > 0 ? points / maximum(answer) * 10 : 0 }

    var items: [String: ItemRow] = [:]
    for a in Set(assignments.map(\.recordingId)) {
      guard let r = recordings[a] else { continue }
      items[r.itemId, default: ItemRow(itemId: r.itemId, maxPoints: maximum(a))].answersForPeople += 1
      if finals.contains(a) { items[r.itemId]?.final += 1 }
      if waiting.contains(a) { items[r.itemId]?.waitingForArbitration += 1 }
    }
    let human = marks.filter { $0.kind == .human }
    let byAnswer = Dictionary(grouping: human, by: \.recordingId)
    var rows: [String: RaterRow] = [:]
    for rater in try await database.raters() { rows[rater.id] = RaterRow(raterId: rater.id, name: rater.name) }
    for a in assignments where a.slot <= 2 { rows[a.raterId]?.assigned += 1 }
    var pairs:
      [String: (own: [Double], other: [Double], ownM: [Double], machine: [Double], drift: [String: [Double]])] = [:]
    var times: [Double] = []
    for m in human {
      guard let r = recordings[m.recordingId] else { continue }
      items[r.itemId]?.humanMarks += 1
      rows[m.raterId]?.marked += 1
      let seconds = Timestamp.parse(m.markedAt) ?? 0
      times.append(seconds)
      if nowSeconds - seconds <= 3600 { rows[m.raterId]?.marksLastHour += 1 }
      if (rows[m.raterId]?.lastMarkAt ?? "") < m.markedAt { rows[m.raterId]?.lastMarkAt = m.markedAt }
      var p = pairs[m.raterId] ?? ([], [], [], [], [:])
      let own = scaled(m.points, m.recordingId)
      if let other = byAnswer[m.recordingId]?.first(where: { $0.raterId != m.raterId }) {
        let theirs = scaled(other.points, m.recordingId)
        p.own.append(own)
        p.other.append(theirs)
        p.drift[String(m.markedAt.prefix(13)), default: []].append(own - theirs)
      }
      if let points = machine[m.recordingId] {
        p.ownM.append(own)
        p.machine.append(scaled(points, m.recordingId))
      }
      pairs[m.raterId] = p
    }
    for (id, p) in pairs {
      if !p.own.isEmpty { rows[id]?.versusOtherRater = AgreementMetrics.agreement(p.own, p.other) }
      if !p.ownM.isEmpty { rows[id]?.versusMachine = AgreementMetrics.agreement(p.ownM, p.machine) }
      rows[id]?.drift = p.drift.sorted { $0.key < $1.key }.map {
        DriftPoint(
          hour: $0.key, meanDifference: ($0.value.reduce(0, +) / Double($0.value.count) * 100).rounded() / 100,
          count: $0.value.count)
      }
    }
    let spanHours = max((times.max() ?? 0) - (times.min() ?? 0), 60) / 3600
    return Snapshot(
      examId: examId, at: Timestamp.now(), status: try await desk.status(examId: examId), humanMarks: human.count,
      marksLastHour: rows.values.reduce(0) { $0 + $1.marksLastHour },
      marksPerHour: times.isEmpty ? 0 : (Double(times.count) / spanHours * 10).rounded() / 10,
      items: items.values.sorted { $0.itemId < $1.itemId }, raters: rows.values.sorted { $0.raterId < $1.raterId })
  }

  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func quoted(_ text: String) -> String {
    String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
  }
}
