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
    "AA": 0.180, "AE": 0.152, "AH": 0.150, "AO": 0.175, "AW": 0.189, "AY": 0.212, "B": 0.070, "CH": 0.142,
    "D": 0.081, "DH": 0.104, "EH": 0.135, "ER": 0.157, "EY": 0.191, "F": 0.128, "G": 0.092, "HH": 0.129, "IH": 0.129,
    "IY": 0.178, "JH": 0.099, "K": 0.115, "L": 0.095, "M": 0.116, "N": 0.102, "NG": 0.138, "OW": 0.201, "OY": 0.326,
    "P": 0.108, "R": 0.082, "S": 0.146, "SH": 0.174, "T": 0.108, "TH": 0.124, "UH": 0.113, "UW": 0.162, "V": 0.083,
    "W": 0.131, "Y": 0.111, "Z": 0.114, "ZH": 0.120,
  ]

  /// Phone → (mean, standard deviation) of GOP, nats per frame, with the standard settings (own senones scored,
  /// the vocal-tract warp picked by the answer's pitch: `pron-eval --norms`, 2026-12-04, one stream per answer).
  private static let gopNorms: [String: (Double, Double)] = [
    "AA": (-2.00, 2.00), "AE": (-1.73, 1.25), "AH": (-2.88, 1.50), "AO": (-2.48, 2.59), "AW": (-2.41, 1.80),
    "AY": (-2.11, 1.87), "B": (-2.98, 1.83), "CH": (-2.23, 3.10), "D": (-3.58, 1.95), "DH": (-2.72, 1.65),
    "EH": (-2.58, 2.38), "ER": (-3.00, 2.14), "EY": (-2.00, 1.89), "F": (-2.47, 2.33), "G": (-3.15, 2.23),
    "HH": (-2.08, 1.77), "IH": (-2.87, 1.65), "IY": (-2.35, 2.35), "JH": (-2.52, 2.29), "K": (-2.79, 2.08),
    "L": (-5.74, 4.17), "M": (-2.71, 2.07), "N": (-2.93, 2.20), "NG": (-2.89, 2.57), "OW": (-1.95, 1.59),
    "OY": (-2.33, 2.45), "P": (-3.08, 2.34), "R": (-4.43, 3.01), "S": (-2.19, 2.74), "SH": (-1.73, 2.24),
    "T": (-2.99, 2.02), "TH": (-2.63, 1.96), "UH": (-3.24, 2.57), "UW": (-2.36, 1.77), "V": (-3.19, 2.54),
    "W": (-2.80, 2.90), "Y": (-2.31, 2.08), "Z": (-2.99, 3.06), "ZH": (-2.72, 2.23),
  ]
}
