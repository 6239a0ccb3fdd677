/// The 18-character resident identity number (GB 11643): 6-digit region, 8-digit birth date YYYYMMDD,
/// 3-digit sequence, and a check character by ISO 7064 MOD 11-2 (0–9 or X). The one rule set every import
/// (roster, records, export ID lists) applies.
public enum NationalID {
  static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

  /// Why an ID is wrong; the text is the "why" of the bad-row report.
  public enum Problem: Equatable, Sendable {
    case length(Int)
    case notDigits
    case badDate(String)
    case checkCharacter(expected: Character, found: Character)

    public var reason: String {
      switch self {
      case .length(let n): "is \(n) characters long; a national ID has 18"
      case .notDigits: "must be 17 digits followed by a digit or X"
      case .badDate(let d): "contains the birth date \(d), which is not a real date"
      case .checkCharacter(let e, let f):
        "has the check character \(f) but its digits give \(e) (ISO 7064 MOD 11-2); a digit is mistyped"
      }
    }
  }

  /// The check character for the first 17 digits (each 0–9).
  public static func checkCharacter(for digits: some Sequence<Int>) -> Character {
    let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
    return checkCharacters[sum % 11]
  }

  /// The problem with `id`, or nil when it is valid. A lower-case x is accepted as X.
  /// - Parameter latestYear: birth years after this are refused.
  public static func problem(with id: String, latestYear: Int = 2100) -> Problem? {
    let characters = Array(id.uppercased())
    guard characters.count == 18 else { return .length(characters.count) }
    let digits = characters.prefix(17).compactMap { $0.wholeNumberValue }
    guard digits.count == 17, characters.prefix(17).allSatisfy({ $0.isASCII && $0.isNumber }),
      characters[17] == "X" || (characters[17].isASCII && characters[17].isNumber)
    else { return .notDigits }
    let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
    let month = digits[10] * 10 + digits[11]
    let day = digits[12] * 10 + digits[13]
    let text = String(characters[6..<14])
    guard year <= latestYear, CalendarDate(year: year, month: month, day: day) != nil else {
      return .badDate("\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))")
    }
    let expected = checkCharacter(for: digits)
    guard expected == characters[17] else { return .checkCharacter(expected: expected, found: characters[17]) }
    return nil
  }

  /// The ID with a lower-case x made upper-case.
  public static func normalised(_ text: String) -> String {
    text.hasSuffix("x") ? String(text.dropLast()) + "X" : text
  }

  /// The ID with only the first 6 and the last 4 characters shown: `310101********123X`.
  public static func masked(_ text: String) -> String {
    guard text.count > 10 else { return String(repeating: "*", count: text.count) }
    return String(text.prefix(6)) + String(repeating: "*", count: text.count - 10) + String(text.suffix(4))
  }
}
