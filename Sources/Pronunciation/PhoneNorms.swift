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
    "AA": 0.177, "AE": 0.165, "AH": 0.150, "AO": 0.181, "AW": 0.193, "AY": 0.211, "B": 0.066, "CH": 0.140, "D": 0.077,
    "DH": 0.101, "EH": 0.140, "ER": 0.159, "EY": 0.201, "F": 0.126, "G": 0.090, "HH": 0.129, "IH": 0.129, "IY": 0.184,
    "JH": 0.099, "K": 0.116, "L": 0.087, "M": 0.113, "N": 0.103, "NG": 0.141, "OW": 0.192, "OY": 0.317, "P": 0.105,
    "R": 0.077, "S": 0.144, "SH": 0.174, "T": 0.108, "TH": 0.127, "UH": 0.110, "UW": 0.159, "V": 0.083, "W": 0.122,
    "Y": 0.119, "Z": 0.113, "ZH": 0.120,
  ]

  /// Phone → (mean, standard deviation) of GOP, nats per frame, with the standard settings (own senones scored:
  /// `pron-eval --all-senones no --norms`, 2026-12-03, one stream per answer).
  private static let gopNorms: [String: (Double, Double)] = [
    "AA": (-1.96, 1.73), "AE": (-1.67, 1.23), "AH": (-3.01, 1.51), "AO": (-2.61, 2.86), "AW": (-2.28, 1.69),
    "AY": (-2.14, 1.98), "B": (-3.21, 1.88), "CH": (-2.19, 3.03), "D": (-3.69, 2.05), "DH": (-2.93, 1.67),
    "EH": (-2.53, 2.19), "ER": (-2.95, 1.96), "EY": (-2.03, 1.94), "F": (-2.52, 2.39), "G": (-3.09, 1.98),
    "HH": (-2.11, 1.76), "IH": (-3.02, 1.65), "IY": (-2.32, 2.28), "JH": (-3.02, 2.51), "K": (-2.86, 2.16),
    "L": (-6.17, 4.09), "M": (-2.90, 2.12), "N": (-2.99, 2.10), "NG": (-2.89, 2.64), "OW": (-2.17, 1.89),
    "OY": (-2.51, 2.50), "P": (-3.24, 2.62), "R": (-4.46, 2.80), "S": (-2.22, 2.82), "SH": (-1.92, 2.38),
    "T": (-3.08, 2.12), "TH": (-2.74, 1.91), "UH": (-3.06, 2.42), "UW": (-2.61, 2.08), "V": (-3.42, 2.72),
    "W": (-2.91, 2.81), "Y": (-2.10, 1.78), "Z": (-2.93, 2.73), "ZH": (-2.80, 2.24),
  ]
}
