import Foundation

/// A prompt as the words a reader says: numbers spelt out, abbreviations as letters, punctuation dropped.
///
/// "I came 2nd in the U.S.A., didn't I?" → `i came second in the u s a didn't i`, each spoken word keeping the
/// index of the written token it came from (so results can be shown against the prompt as printed).
public struct PromptText: Sendable, Equatable {
  /// A word to be said, lower case, with the index of the written token (whitespace-separated) it comes from.
  public struct Word: Sendable, Equatable {
    public var spoken: String
    public var tokenIndex: Int
  }

  /// The prompt as written.
  public var original: String
  /// The words a reader says, in order.
  public var words: [Word]

  public init(_ text: String) {
    original = text
    var words: [Word] = []
    for (index, token) in text.split(whereSeparator: \.isWhitespace).enumerated() {
      for spoken in Self.spokenWords(of: String(token)) { words.append(Word(spoken: spoken, tokenIndex: index)) }
    }
    self.words = words
  }

  /// The spoken words of one written token.
  static func spokenWords(of token: String) -> [String] {
    var text = token.lowercased()
      .replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "‘", with: "'")
    // Abbreviations written with dots ("U.S.A.", "e.g."): say the letters.
    var core = Substring(text)
    while let first = core.first, !first.isLetter, !first.isNumber { core = core.dropFirst() }
    while let last = core.last, !last.isLetter, !last.isNumber, last != "." { core = core.dropLast() }
    let letters = core.filter { $0 != "." }
    if core.contains("."), letters.allSatisfy(\.isLetter), letters.count >= 2,
      core.split(separator: ".").allSatisfy({ $0.count == 1 })
    {
      return letters.map(String.init)
    }
    text = text.replacingOccurrences(of: "&", with: " and ").replacingOccurrences(of: "%", with: " percent ")
      .replacingOccurrences(of: "+", with: " plus ")
    let characters = Array(text)
    var result: [String] = []
    var index = 0
    while index < characters.count {
      if characters[index].isNumber {
        var digits = ""
        while index < characters.count,
          characters[index].isNumber
            || (characters[index] == "," && index + 1 < characters.count && characters[index + 1].isNumber)
        {
          if characters[index].isNumber { digits.append(characters[index]) }
          index += 1
        }
        var suffix = ""
        while index < characters.count, characters[index].isLetter, suffix.count < 2 {
          suffix.append(characters[index])
          index += 1
        }
        let ordinal = ["st", "nd", "rd", "th"].contains(suffix)
        result.append(contentsOf: NumberWords.spoken(digits, ordinal: ordinal))
        if !ordinal { index -= suffix.count }
      } else if characters[index].isLetter {
        var word = ""
        while index < characters.count, characters[index].isLetter || characters[index] == "'" {
          word.append(characters[index])
          index += 1
        }
        while word.last == "'" { word.removeLast() }
        result.append(word)
      } else {
        index += 1
      }
    }
    return result
  }
}
