/// Numbers as they are read out in English: 2 → two, 21 → twenty one, 2nd → second, 1999 → one thousand nine
/// hundred ninety nine. Digits only (no signs or decimals); anything over 999,999 is read digit by digit.
enum NumberWords {
  private static let ones = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
  ]
  private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
  private static let ordinals = [
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth", "nine": "ninth",
    "twelve": "twelfth",
  ]

  /// The words of a string of digits, as a cardinal or (with `ordinal`) an ordinal number.
  static func spoken(_ digits: String, ordinal: Bool = false) -> [String] {
    var words: [String]
    if let value = Int(digits), digits.count <= 6 {
      words = cardinal(value)
    } else {
      words = digits.compactMap { $0.wholeNumberValue.map { ones[$0] } }
    }
    if ordinal, let last = words.last {
      if let special = ordinals[last] {
        words[words.count - 1] = special
      } else if last.hasSuffix("y") {
        words[words.count - 1] = String(last.dropLast()) + "ieth"
      } else {
        words[words.count - 1] = last + "th"
      }
    }
    return words
  }

  private static func cardinal(_ value: Int) -> [String] {
    if value < 20 { return [ones[value]] }
    if value < 100 { return [tens[value / 10]] + (value % 10 == 0 ? [] : [ones[value % 10]]) }
    if value < 1000 { return [ones[value / 100], "hundred"] + (value % 100 == 0 ? [] : cardinal(value % 100)) }
    return cardinal(value / 1000) + ["thousand"] + (value % 1000 == 0 ? [] : cardinal(value % 1000))
  }
}
