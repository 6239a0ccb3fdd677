import ExamCore
import Foundation

/// Finalised results as CSV (one row per candidate, one column per section) or JSON (an array).
public enum ResultsExport {
  public static func csv(_ results: [CandidateResult], sectionIds: [String]) -> String {
    var writer = CSVWriter(
      header: ["exam_id", "candidate_id", "sitting_date", "total", "listening", "speaking", "level"]
        + sectionIds.map { "section_\($0)" } + ["finalised_at"], byteOrderMark: false)
    for r in results {
      writer.append(
        [r.examId, r.candidateId, r.sittingDate, number(r.total), number(r.listening), number(r.speaking), r.level]
          + sectionIds.map { r.sectionScores[$0].map(number) ?? "" } + [r.finalisedAt])
    }
    return writer.text
  }

  public static func json(_ results: [CandidateResult]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return (try? encoder.encode(results)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "[]\n"
  }

  static func number(_ x: Double) -> String {
    x == x.rounded() ? String(Int(x)) : String((x * 100).rounded() / 100)
  }
}
