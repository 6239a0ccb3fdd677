import Foundation

enum Statistics {
  /// Pearson's r over pairs where both values are finite; nan with fewer than 3 pairs.
  static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
    guard pairs.count >= 3 else { return .nan }
    let n = Double(pairs.count)
    let mx = pairs.reduce(0) { $0 + $1.0 } / n
    let my = pairs.reduce(0) { $0 + $1.1 } / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in pairs {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
  }

  /// ROC AUC of `score` for the positives (higher score = more likely positive), ties counted half.
  static func auc(_ score: [Double], positive: [Bool]) -> Double {
    let ranked = zip(score, positive).sorted { $0.0 < $1.0 }
    var rankSum = 0.0
    var index = 0
    while index < ranked.count {
      var end = index
      while end + 1 < ranked.count, ranked[end + 1].0 == ranked[index].0 { end += 1 }
      let averageRank = Double(index + end) / 2 + 1
      for k in index...end where ranked[k].1 { rankSum += averageRank }
      index = end + 1
    }
    let positives = Double(positive.filter { $0 }.count)
    let negatives = Double(positive.count) - positives
    guard positives > 0, negatives > 0 else { return .nan }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }

  /// Ridge regression on standardised inputs; returns a predictor.
  static func ridge(_ x: [[Double]], _ y: [Double], lambda: Double) -> ([Double]) -> Double {
    let d = x[0].count
    let n = Double(x.count)
    var mean = [Double](repeating: 0, count: d)
    var sd = [Double](repeating: 0, count: d)
    for row in x { for j in 0..<d { mean[j] += row[j] / n } }
    for row in x { for j in 0..<d { sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n } }
    sd = sd.map { max($0.squareRoot(), 1e-9) }
    let yMean = y.reduce(0, +) / n
    var a = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    var b = [Double](repeating: 0, count: d)
    for (row, target) in zip(x, y) {
      let z = (0..<d).map { (row[$0] - mean[$0]) / sd[$0] }
      for i in 0..<d {
        b[i] += z[i] * (target - yMean)
        for j in 0..<d { a[i][j] += z[i] * z[j] }
      }
    }
    for i in 0..<d { a[i][i] += lambda * n }
    let w = solve(a, b)
    return { row in yMean + (0..<d).reduce(0) { $0 + w[$1] * (row[$1] - mean[$1]) / sd[$1] } }
  }

  /// Gaussian elimination with partial pivoting (a is symmetric positive definite here).
  static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double] {
    var a = matrix
    var b = vector
    let n = b.count
    for col in 0..<n {
      let pivot = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) } ?? col
      a.swapAt(col, pivot)
      b.swapAt(col, pivot)
      for row in col + 1..<n {
        let factor = a[row][col] / a[col][col]
        for k in col..<n { a[row][k] -= factor * a[col][k] }
        b[row] -= factor * b[col]
      }
    }
    var w = [Double](repeating: 0, count: n)
    for row in stride(from: n - 1, through: 0, by: -1) {
      w[row] = (b[row] - (row + 1..<n).reduce(0) { $0 + a[row][$1] * w[$1] }) / a[row][row]
    }
    return w
  }

  /// Fold (0..<folds) of each speaker: speakers sorted by id, dealt round-robin.
  static func speakerFolds(_ speakers: [String], folds: Int) -> [String: Int] {
    Dictionary(uniqueKeysWithValues: Set(speakers).sorted().enumerated().map { ($1, $0 % folds) })
  }
}
