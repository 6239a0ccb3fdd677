/// Per-phone norms measured on speechocean762's 1,000 answers with `pron-eval` (docs/accuracy.md, "Pronunciation"):
/// learners' own pace and GOP, so ratios and z-scores say how a phone compares with the same phone in other answers.
enum PhoneNorms {
  static let vowels: Set<String> = [
    "AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW",
  ]

  /// Seconds: the phone's mean aligned duration where every expert marked it correct (`pron-eval --durations`;
  /// ZH, absent there, set between SH and JH).
  static func expectedSeconds(_ phone: String) -> Double { durations[phone] ?? 0.12 }

  /// (GOP − the phone's mean GOP) / its standard deviation, over all aligned phones of the corpus (ZH, absent
  /// there, gets the mean of the other phones' norms).
  static func normalisedGOP(_ gop: Double, phone: String) -> Double {
    guard let (mean, sd) = gopNorms[phone] else { return 0 }
    return (gop - mean) / sd
  }

  private static let durations: [String: Double] = [
    "AA": 0.177, "AE": 0.156, "AH": 0.149, "AO": 0.177, "AW": 0.187, "AY": 0.209, "B": 0.070, "CH": 0.142,
    "D": 0.080, "DH": 0.104, "EH": 0.135, "ER": 0.159, "EY": 0.194, "F": 0.125, "G": 0.092, "HH": 0.129, "IH": 0.128,
    "IY": 0.180, "JH": 0.102, "K": 0.118, "L": 0.092, "M": 0.116, "N": 0.102, "NG": 0.139, "OW": 0.200, "OY": 0.326,
    "P": 0.108, "R": 0.082, "S": 0.145, "SH": 0.173, "T": 0.108, "TH": 0.123, "UH": 0.112, "UW": 0.162, "V": 0.084,
    "W": 0.132, "Y": 0.112, "Z": 0.115, "ZH": 0.120,
  ]

  /// Phone → (mean, standard deviation) of GOP, nats per frame, with the standard settings (own senones scored,
  /// the better of the vocal-tract warps 1 and 0.7: `pron-eval --norms`, 2026-12-04, one stream per answer).
  private static let gopNorms: [String: (Double, Double)] = [
    "AA": (-1.95, 1.78), "AE": (-1.69, 1.19), "AH": (-2.85, 1.47), "AO": (-2.39, 2.51), "AW": (-2.35, 1.86),
    "AY": (-2.14, 2.16), "B": (-3.04, 1.91), "CH": (-2.24, 3.10), "D": (-3.60, 2.03), "DH": (-2.71, 1.57),
    "EH": (-2.57, 2.38), "ER": (-2.91, 2.10), "EY": (-2.00, 1.94), "F": (-2.48, 2.25), "G": (-3.12, 2.16),
    "HH": (-2.06, 1.78), "IH": (-2.82, 1.60), "IY": (-2.33, 2.36), "JH": (-2.60, 2.23), "K": (-2.74, 2.04),
    "L": (-5.74, 4.10), "M": (-2.70, 2.03), "N": (-2.89, 2.19), "NG": (-2.79, 2.47), "OW": (-1.93, 1.62),
    "OY": (-2.22, 2.42), "P": (-3.02, 2.09), "R": (-4.36, 3.02), "S": (-2.16, 2.74), "SH": (-1.89, 2.48),
    "T": (-2.97, 2.02), "TH": (-2.74, 2.06), "UH": (-3.10, 2.49), "UW": (-2.38, 1.90), "V": (-3.13, 2.41),
    "W": (-2.69, 2.70), "Y": (-2.12, 1.89), "Z": (-2.93, 2.97), "ZH": (-2.69, 2.21),
  ]
}
