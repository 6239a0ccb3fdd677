/// Suggestions for misspelt keys and values ("did you mean 'prompt_audio'?").
enum DidYouMean {
  /// The closest candidate to `word` when it is near enough to be a likely typo, else nil.
  ///
  /// Near enough: an edit distance of at most a third of the word's length (at least 1), or one is a prefix
  /// of the other. Case is ignored.
  static func suggestion(for word: String, among candidates: [String]) -> String? {
    let lower = word.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(lower, candidate.lowercased())
      if best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    guard let best else { return nil }
    let limit = max(1, word.count / 3)
    if best.distance <= limit { return best.candidate }
    if let prefixed = candidates.first(where: { $0.hasPrefix(lower) || (lower.hasPrefix($0) && $0.count >= 3) }) {
      return prefixed
    }
    return nil
  }

  /// "did you mean 'x'?" or "allowed: a, b, c".
  static func hint(for word: String, among candidates: [String]) -> String {
    if let guess = suggestion(for: word, among: candidates) { return "did you mean '\(guess)'?" }
    return "allowed: " + candidates.joined(separator: ", ")
  }

  /// Levenshtein distance between two strings, by Unicode characters.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }
}
