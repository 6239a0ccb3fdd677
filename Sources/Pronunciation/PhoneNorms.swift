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

  /// Phone → (mean, standard deviation) of GOP, nats per frame.
  private static let gopNorms: [String: (Double, Double)] = [
    "AA": (-5.50, 2.22), "AE": (-4.95, 1.66), "AH": (-7.50, 1.84), "AO": (-6.53, 3.54), "AW": (-5.83, 2.45),
    "AY": (-5.83, 2.25), "B": (-6.83, 2.73), "CH": (-5.48, 2.87), "D": (-7.79, 2.55), "DH": (-6.94, 2.41),
    "EH": (-6.71, 2.62), "ER": (-7.15, 2.74), "EY": (-5.63, 2.49), "F": (-5.44, 3.34), "G": (-7.58, 2.51),
    "HH": (-5.49, 2.47), "IH": (-7.47, 1.96), "IY": (-5.93, 2.98), "JH": (-7.77, 3.35), "K": (-6.83, 2.59),
    "L": (-10.29, 4.59), "M": (-6.48, 2.72), "N": (-6.45, 2.88), "NG": (-6.16, 3.26), "OW": (-5.83, 2.55),
    "OY": (-6.37, 2.44), "P": (-7.05, 3.40), "R": (-9.17, 3.20), "S": (-5.26, 3.17), "SH": (-5.04, 3.37),
    "T": (-7.31, 2.65), "TH": (-6.87, 2.51), "UH": (-7.56, 2.21), "UW": (-6.30, 2.84), "V": (-6.67, 3.11),
    "W": (-6.83, 3.47), "Y": (-5.43, 2.31), "Z": (-6.13, 3.33), "ZH": (-6.59, 2.78),
  ]
}
