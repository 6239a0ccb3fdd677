/// Speaker-disjoint folds for cross-validation: every answer of a speaker is in the same fold, so a model is
/// always tested on voices it has not heard.
public enum SpeakerFolds {
  /// Fold index (0..<k) per item, from its speaker. Speakers are ordered by a stable hash of their id and dealt
  /// round-robin, so folds have nearly equal speaker counts and do not depend on the input order.
  public static func assign(speakers: [String], folds k: Int) -> [Int] {
    let distinct = Array(Set(speakers)).sorted { (hash($0), $0) < (hash($1), $1) }
    var fold: [String: Int] = [:]
    for (i, s) in distinct.enumerated() { fold[s] = i % max(k, 1) }
    return speakers.map { fold[$0] ?? 0 }
  }

  /// FNV-1a 64-bit of the UTF-8 bytes.
  static func hash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }
}
