/// Expected phone durations, for `PhoneScore.durationRatio`.
enum PhoneDurations {
  static let vowels: Set<String> = [
    "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW",
  ]

  /// Seconds; PROVISIONAL (replaced by measured means).
  static func expectedSeconds(_ phone: String) -> Double { table[phone] ?? 0.08 }

  private static let table: [String: Double] = [:]
}
