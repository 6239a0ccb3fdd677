import Pronunciation

/// How well the answer-level measures tell a reading of the prompt from a reading of another sentence.
struct WrongPromptReport {
  var right: [PronunciationResult]
  var wrong: [PronunciationResult]

  /// The answer's phones' mean GOP and its word completeness, computed from the phones even when the result is
  /// marked missing (`promptNotSpoken` keeps its words and phones).
  static func measures(_ result: PronunciationResult) -> (
    meanGOP: Double, wordGOPs: [Double], completeness: Double, meanLogPosterior: Double
  )? {
    guard !result.phones.isEmpty else { return nil }
    let posteriors = result.phones.compactMap(\.logPosterior)
    return (
      result.phones.map(\.gop).reduce(0, +) / Double(result.phones.count), result.words.map(\.meanGOP),
      Double(result.words.filter(\.isAdequate).count) / Double(max(1, result.words.count)),
      posteriors.count == result.phones.count ? posteriors.reduce(0, +) / Double(posteriors.count) : .nan
    )
  }

  func markdown() -> String {
    let r = right.compactMap(Self.measures)
    let w = wrong.compactMap(Self.measures)
    var out = [
      "| wrong prompt test (\(right.count) answers, each also aligned with the next answer's prompt) | right prompt | wrong prompt |",
      "|---|---|---|",
    ]
    func quantiles(_ values: [Double]) -> String {
      let sorted = values.sorted()
      guard !sorted.isEmpty else { return "—" }
      return [0.01, 0.05, 0.25, 0.5, 0.75, 0.95].map {
        String(format: "%.2f", sorted[Int($0 * Double(sorted.count - 1))])
      }
      .joined(separator: " ")
    }
    out.append(
      "| mean GOP quantiles 1 5 25 50 75 95 % | \(quantiles(r.map(\.meanGOP))) | \(quantiles(w.map(\.meanGOP))) |")
    out.append(
      "| word mean GOP quantiles | \(quantiles(r.flatMap(\.wordGOPs))) | \(quantiles(w.flatMap(\.wordGOPs))) |")
    out.append(
      "| mean log posterior (LPP) quantiles | \(quantiles(r.map(\.meanLogPosterior))) | \(quantiles(w.map(\.meanLogPosterior))) |"
    )
    out.append("| completeness quantiles | \(quantiles(r.map(\.completeness))) | \(quantiles(w.map(\.completeness))) |")
    let failed = wrong.filter { $0.missing == .alignmentFailed }.count
    out.append("| alignment failed | \(right.filter { $0.missing == .alignmentFailed }.count) | \(failed) |")
    let scores = r.map(\.meanGOP) + w.map(\.meanGOP)
    let labels = r.map { _ in true } + w.map { _ in false }
    out.append(
      String(format: "\nROC AUC of mean GOP for right vs wrong prompt: %.3f", Statistics.auc(scores, positive: labels)))
    out.append(
      String(
        format: "ROC AUC of mean LPP for right vs wrong prompt: %.3f",
        Statistics.auc(r.map(\.meanLogPosterior) + w.map(\.meanLogPosterior), positive: labels)))
    let flagged = wrong.filter { $0.missing != nil }.count
    let falseAlarms = right.filter { if case .promptNotSpoken = $0.missing { true } else { false } }.count
    out.append(
      "wrong-prompt answers marked missing: \(flagged) of \(wrong.count); right-prompt answers marked prompt-not-spoken: \(falseAlarms) of \(right.count)"
    )
    for level in [-5.5, -6.0, -6.5] {
      func low(_ result: PronunciationResult) -> Bool {
        Self.measures(result).map { $0.meanLogPosterior < level } ?? false
      }
      out.append(
        String(
          format: "with mean LPP < %.1f also missing: wrong-prompt %d of %d, right-prompt %d of %d", level,
          wrong.filter { $0.missing != nil || low($0) }.count, wrong.count,
          right.filter { $0.missing != nil || low($0) }.count, right.count))
    }
    return out.joined(separator: "\n")
  }
}
