import ExamCore
import ExamStorage
import Foundation
import Proctoring

/// Precision and recall of the stored incidents against a truth file (rule,candidate,centre,room,seat).
/// A truth row matches an incident of the same rule about the same candidate (or, for room-level rules, the
/// same room). Prints one line per rule and the totals.
func score(db: ExamDatabase, truth path: String, exam: String) throws {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let table = try CSVTable(parsing: text, source: path)
  struct Finding: Hashable { var rule: String; var subject: String }
  func subject(rule: String, candidate: String, centre: String, room: String) -> String {
    rule == "session-overrun" ? "\(centre)/\(room)" : candidate
  }
  let truth = Set(
    table.rows.map { r in
      Finding(
        rule: table.value(r, "rule"),
        subject: subject(
          rule: table.value(r, "rule"), candidate: table.value(r, "candidate"),
          centre: table.value(r, "centre"), room: table.value(r, "room")))
    })
  let incidents = try db.incidents(examId: exam)
  let found = Set(
    incidents.map { i in
      Finding(
        rule: i.rule,
        subject: subject(rule: i.rule, candidate: i.candidateId ?? "", centre: i.centreId ?? "", room: i.roomId ?? ""))
    })
  let rules = Set(truth.map(\.rule)).union(found.map(\.rule)).sorted()
  print("| rule | planted | raised | true positives | precision | recall |")
  print("|---|---:|---:|---:|---:|---:|")
  var totals = (planted: 0, raised: 0, hits: 0)
  for rule in rules {
    let t = truth.filter { $0.rule == rule }
    let f = found.filter { $0.rule == rule }
    let hits = t.intersection(f).count
    totals.planted += t.count
    totals.raised += f.count
    totals.hits += hits
    print(
      String(
        format: "| %@ | %d | %d | %d | %.3f | %.3f |", rule, t.count, f.count, hits,
        f.isEmpty ? 1 : Double(hits) / Double(f.count), t.isEmpty ? 1 : Double(hits) / Double(t.count)))
  }
  print(
    String(
      format: "| **all** | %d | %d | %d | %.3f | %.3f |", totals.planted, totals.raised, totals.hits,
      Double(totals.hits) / Double(max(1, totals.raised)), Double(totals.hits) / Double(max(1, totals.planted))))
}
