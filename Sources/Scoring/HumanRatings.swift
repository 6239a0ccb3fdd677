import ExamCore

/// Human ratings per answer and aspect: every rater's score (`ASPECT_r1 … ASPECT_rN`, or one `ASPECT` column).
public struct HumanRatings: Sendable {
  /// The aspects speechocean762 and the exam's read-aloud rubrics use.
  public static let knownAspects = ["accuracy", "fluency", "prosodic", "completeness", "total"]

  /// ratings[id][aspect] = scores of raters 1…N in column order (nil where a rater gave none).
  public var ratings: [String: [String: [Double?]]]
  /// Aspects found in the file, in `knownAspects` order.
  public var aspects: [String]
  /// Highest score of each aspect's scale: 1 when every rating is in 0…1 (speechocean's completeness), else 10.
  public var scaleMaximum: [String: Double]

  public init(ratings: [String: [String: [Double?]]], aspects: [String], scaleMaximum: [String: Double]) {
    self.ratings = ratings
    self.aspects = aspects
    self.scaleMaximum = scaleMaximum
  }

  /// The mean of the raters' scores, or nil when none rated it.
  public func mean(_ id: String, _ aspect: String) -> Double? {
    let values = (ratings[id]?[aspect] ?? []).compactMap { $0 }
    return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
  }

  /// Number of rater columns for `aspect`.
  public func raterCount(_ aspect: String) -> Int {
    ratings.values.first?[aspect]?.count ?? 0
  }

  /// Loads ratings from a CSV with `utt` or `id` and per-aspect rater columns.
  public static func load(path: String) throws(ExamError) -> HumanRatings {
    try parse(try InputFile.text(path), source: path)
  }

  public static func parse(_ text: String, source: String) throws(ExamError) -> HumanRatings {
    let table = try CSVTable(parsing: text, source: source)
    let idColumn = try ScoringManifest.idColumn(of: table)
    var columns: [String: [Int]] = [:]
    for aspect in knownAspects {
      let numbered = table.header.enumerated().compactMap { (i, name) -> (Int, Int)? in
        guard name.hasPrefix(aspect + "_r"), let k = Int(name.dropFirst(aspect.count + 2)) else { return nil }
        return (k, i)
      }.sorted { $0.0 < $1.0 }.map(\.1)
      if !numbered.isEmpty {
        columns[aspect] = numbered
      } else if let i = table.index(of: aspect) {
        columns[aspect] = [i]
      }
    }
    let aspects = knownAspects.filter { columns[$0] != nil }
    guard !aspects.isEmpty else {
      throw ExamError(
        .invalidInput, file: source, location: "line 1",
        "no rating columns found (found: \(table.header.joined(separator: ",")))",
        fix:
          "name rating columns ASPECT_r1 … ASPECT_rN or ASPECT, with ASPECT one of \(knownAspects.joined(separator: ", "))"
      )
    }
    var ratings: [String: [String: [Double?]]] = [:]
    var maxima: [String: Double] = [:]
    for row in table.rows {
      let id = table.value(row, idColumn).trimmingSpaces()
      guard !id.isEmpty else { continue }
      var perAspect: [String: [Double?]] = [:]
      for aspect in aspects {
        var values: [Double?] = []
        for i in columns[aspect] ?? [] {
          let raw = row.fields[i].trimmingSpaces()
          if raw.isEmpty { values.append(nil); continue }
          guard let v = Double(raw), v.isFinite, v >= 0, v <= 10 else {
            throw ExamError(
              .invalidInput, file: source, location: "line \(row.line), column \(table.header[i])",
              "'\(raw)' is not a score from 0 to 10", fix: "give a number from 0 to 10, or leave the field empty")
          }
          values.append(v)
          maxima[aspect] = max(maxima[aspect] ?? 0, v)
        }
        perAspect[aspect] = values
      }
      ratings[id] = perAspect
    }
    var scale: [String: Double] = [:]
    for aspect in aspects { scale[aspect] = (maxima[aspect] ?? 10) <= 1 ? 1 : 10 }
    return HumanRatings(ratings: ratings, aspects: aspects, scaleMaximum: scale)
  }
}
