import ExamCore

/// The per-answer table `exam score batch` writes: `id`, every feature (SpeechDSP keys), and with a model the
/// aspect scores. Read back, it lets calibrate and evaluate reuse measured features (`--features`).
public enum FeatureTable {
  /// CSV text: `id`, the feature columns in `featureKeys` order, then `aspects` (empty when not scored).
  public static func csv(
    ids: [String], features: [[String: Double]?], featureKeys: [String], aspects: [String],
    scores: [[String: Double]?], errors: [String?]
  ) -> String {
    var writer = CSVWriter(header: ["id"] + featureKeys + aspects + ["error"])
    for i in ids.indices {
      let f = features[i]
      let s = scores[i]
      writer.append(
        [ids[i]] + featureKeys.map { k in f?[k].map { NumberText.plain($0, decimals: 6) } ?? "" }
          + aspects.map { a in s?[a].map { NumberText.plain($0, decimals: 6) } ?? "" }
          + [errors[i] ?? ""])
    }
    return writer.text
  }

  /// Features per id from a table written by `csv`; columns that are not numbers in a row are left out.
  public static func load(path: String) throws(ExamError) -> [String: [String: Double]] {
    let table = try CSVTable(contentsOf: path)
    try table.require(columns: ["id"])
    let skip: Set<String> = Set(["id", "error"] + HumanRatings.knownAspects)
    var out: [String: [String: Double]] = [:]
    for row in table.rows {
      var values: [String: Double] = [:]
      for (i, name) in table.header.enumerated() where !skip.contains(name) {
        if let v = Double(row.fields[i]), v.isFinite { values[name] = v }
      }
      if table.value(row, "error").isEmpty { out[table.value(row, "id")] = values }
    }
    return out
  }
}
