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
  /// `pron-eval --all-senones no --norms`, 2026-12-03).
  private static let gopNorms: [String: (Double, Double)] = [
    "AA": (-1.97, 1.72), "AE": (-1.68, 1.24), "AH": (-3.02, 1.53), "AO": (-2.61, 2.87), "AW": (-2.26, 1.69),
    "AY": (-2.15, 1.97), "B": (-3.22, 1.88), "CH": (-2.21, 3.02), "D": (-3.72, 2.18), "DH": (-2.92, 1.64),
    "EH": (-2.52, 2.17), "ER": (-2.95, 1.95), "EY": (-2.03, 1.93), "F": (-2.55, 2.39), "G": (-3.12, 2.01),
    "HH": (-2.12, 1.78), "IH": (-3.01, 1.64), "IY": (-2.34, 2.29), "JH": (-2.95, 2.32), "K": (-2.86, 2.15),
    "L": (-6.12, 4.04), "M": (-2.92, 2.12), "N": (-3.01, 2.14), "NG": (-2.90, 2.68), "OW": (-2.16, 1.88),
    "OY": (-2.53, 2.50), "P": (-3.27, 2.63), "R": (-4.46, 2.82), "S": (-2.22, 2.76), "SH": (-1.91, 2.38),
    "T": (-3.08, 2.13), "TH": (-2.75, 1.90), "UH": (-3.07, 2.41), "UW": (-2.63, 2.09), "V": (-3.41, 2.64),
    "W": (-2.93, 2.82), "Y": (-2.10, 1.79), "Z": (-2.91, 2.69), "ZH": (-2.80, 2.23),
  ]
}
