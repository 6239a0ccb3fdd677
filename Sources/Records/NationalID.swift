import ExamCore

/// Mainland China's 18-character resident ID number (GB 11643): 17 digits and an ISO 7064 MOD 11-2 check
/// character (0–9 or X).
public enum NationalID {
  /// The check character the first 17 digits call for.
  public static func checkCharacter(for first17: some Collection<UInt8>) -> UInt8 {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    var sum = 0
    for (digit, weight) in zip(first17, weights) { sum += Int(digit - 48) * weight }
    return Array("10X98765432".utf8)[sum % 11]
  }

  /// Why `text` is not a valid national ID, or nil when it is.
  public static func problem(_ text: String) -> String? {
    let bytes = Array(text.utf8)
    guard bytes.count == 18 else { return "has \(text.count) characters, not 18" }
    guard bytes[0..<17].allSatisfy({ (48...57).contains($0) }) else { return "the first 17 characters must be digits" }
    let last = bytes[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : bytes[17]
    let expected = checkCharacter(for: bytes[0..<17])
    guard last == expected else {
      return "the check character is \(Character(Unicode.Scalar(last))) but the first 17 digits call for "
        + "\(Character(Unicode.Scalar(expected))) (ISO 7064 MOD 11-2)"
    }
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
