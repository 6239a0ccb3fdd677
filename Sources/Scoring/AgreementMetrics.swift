/// Agreement between two sets of scores of the same answers, as automated scoring is judged by.
public struct Agreement: Sendable, Codable, Equatable {
  /// Number of answers compared.
  public var count: Int
  /// Pearson correlation.
  public var pearson: Double
  /// Quadratic weighted kappa on the 0–10 integer scale (scores rounded).
  public var quadraticKappa: Double
  /// Share of answers whose rounded scores are equal.
  public var exact: Double
  /// Share whose rounded scores differ by at most 1 point on the 0–10 scale.
  public var adjacent: Double

  public init(count: Int, pearson: Double, quadraticKappa: Double, exact: Double, adjacent: Double) {
    self.count = count
    self.pearson = pearson
    self.quadraticKappa = quadraticKappa
    self.exact = exact
    self.adjacent = adjacent
  }
}

/// Pearson r, quadratic weighted kappa, exact and adjacent agreement.
public enum AgreementMetrics {
  /// Pearson correlation of paired values; 0 when either side is constant or fewer than 2 pairs.
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = min(x.count, y.count)
    guard n >= 2 else { return 0 }
    let mx = x.prefix(n).reduce(0, +) / Double(n)
    let my = y.prefix(n).reduce(0, +) / Double(n)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in 0..<n {
      let dx = x[i] - mx, dy = y[i] - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return 0 }
    return sxy / (sxx * syy).squareRoot()
  }

  /// Quadratic weighted kappa of two integer ratings on `0...categories-1`.
  ///
  /// κ = 1 − Σ w·O / Σ w·E with w(i,j) = (i−j)²/(k−1)², O the observed and E the expected (outer product of the
  /// marginals) agreement matrices. 1 is perfect agreement, 0 chance.
  public static func quadraticWeightedKappa(_ a: [Int], _ b: [Int], categories: Int) -> Double {
    let n = min(a.count, b.count)
    guard n > 0, categories > 1 else { return 0 }
    var observed = [Double](repeating: 0, count: categories * categories)
    var rowTotals = [Double](repeating: 0, count: categories)
    var columnTotals = [Double](repeating: 0, count: categories)
    for i in 0..<n {
      let x = min(max(a[i], 0), categories - 1), y = min(max(b[i], 0), categories - 1)
      observed[x * categories + y] += 1
      rowTotals[x] += 1
      columnTotals[y] += 1
    }
    var numerator = 0.0, denominator = 0.0
    let scale = Double((categories - 1) * (categories - 1))
    for i in 0..<categories {
      for j in 0..<categories {
        let w = Double((i - j) * (i - j)) / scale
        numerator += w * observed[i * categories + j]
        denominator += w * rowTotals[i] * columnTotals[j] / Double(n)
      }
    }
    return denominator > 0 ? 1 - numerator / denominator : 1
  }

  /// Every statistic for machine (or one rater's) scores against reference scores on a `0...scaleMaximum` scale.
  /// Scores are mapped onto 0–10 and rounded to integers for kappa and agreement.
  public static func agreement(_ scores: [Double], _ reference: [Double], scaleMaximum: Double = 10) -> Agreement {
    let n = min(scores.count, reference.count)
    let k = 10.0 / scaleMaximum
    let a = scores.prefix(n).map { Int(($0 * k).rounded()) }
    let b = reference.prefix(n).map { Int(($0 * k).rounded()) }
    var exact = 0, adjacent = 0
    for i in 0..<n {
      let d = abs(a[i] - b[i])
      if d == 0 { exact += 1 }
      if d <= 1 { adjacent += 1 }
    }
    return Agreement(
      count: n, pearson: pearson(Array(scores.prefix(n)), Array(reference.prefix(n))),
      quadraticKappa: quadraticWeightedKappa(a, b, categories: 11),
      exact: n == 0 ? 0 : Double(exact) / Double(n), adjacent: n == 0 ? 0 : Double(adjacent) / Double(n))
  }

  /// Human–human agreement: each rater against the mean of the other raters, averaged over raters.
  ///
  /// `ratings[i]` are the raters' scores of answer i (nil where one gave none); answers with fewer than two
  /// ratings are skipped for that rater. Returns nil when there are fewer than two raters.
  public static func oneVersusRestMean(_ ratings: [[Double?]], scaleMaximum: Double = 10) -> Agreement? {
    let raterCount = ratings.map(\.count).max() ?? 0
    guard raterCount >= 2 else { return nil }
    var perRater: [Agreement] = []
    for r in 0..<raterCount {
      var own: [Double] = [], rest: [Double] = []
      for answer in ratings where r < answer.count {
        guard let mine = answer[r] else { continue }
        let others = answer.enumerated().compactMap { $0.offset == r ? nil : $0.element }
        guard !others.isEmpty else { continue }
        own.append(mine)
        rest.append(others.reduce(0, +) / Double(others.count))
      }
      if own.count >= 2 { perRater.append(agreement(own, rest, scaleMaximum: scaleMaximum)) }
    }
    guard !perRater.isEmpty else { return nil }
    let m = Double(perRater.count)
    return Agreement(
      count: perRater.map(\.count).max() ?? 0,
      pearson: perRater.map(\.pearson).reduce(0, +) / m,
      quadraticKappa: perRater.map(\.quadraticKappa).reduce(0, +) / m,
      exact: perRater.map(\.exact).reduce(0, +) / m,
      adjacent: perRater.map(\.adjacent).reduce(0, +) / m)
  }
}
