/// Ridge regression on standardised features: β = (XᵀX + λ·n·I)⁻¹ Xᵀ(y − ȳ), intercept ȳ.
///
/// `X` is n×p row-major and already standardised (mean 0, SD 1 per column), so λ is comparable across feature
/// sets: λ = 0.01 shrinks little, λ = 1 a lot. Solved by Cholesky factorisation (XᵀX + λnI is positive definite
/// for λ > 0).
public enum RidgeRegression {
  public struct Fit: Sendable, Equatable {
    public var intercept: Double
    public var coefficients: [Double]
    public func predict(_ row: [Double]) -> Double {
      var s = intercept
      for (c, x) in zip(coefficients, row) { s += c * x }
      return s
    }
  }

  /// Fits `y ≈ intercept + X·β` with penalty `lambda` (per sample, see the type's note).
  public static func fit(_ x: [[Double]], _ y: [Double], lambda: Double) -> Fit {
    let n = x.count
    let p = x.first?.count ?? 0
    guard n > 0 else { return Fit(intercept: 0, coefficients: []) }
    let mean = y.reduce(0, +) / Double(n)
    guard p > 0 else { return Fit(intercept: mean, coefficients: []) }
    // Centre the columns so the intercept is not penalised (a no-op for standardised data).
    var columnMeans = [Double](repeating: 0, count: p)
    for row in x { for j in 0..<p { columnMeans[j] += row[j] } }
    for j in 0..<p { columnMeans[j] /= Double(n) }
    let centred = x.map { row in (0..<p).map { row[$0] - columnMeans[$0] } }
    var gram = gramMatrix(centred)
    for i in 0..<p { gram[i * p + i] += lambda * Double(n) }
    var rhs = [Double](repeating: 0, count: p)
    for (row, target) in zip(centred, y) {
      let t = target - mean
      for j in 0..<p { rhs[j] += row[j] * t }
    }
    let beta = choleskySolve(gram, rhs, size: p) ?? [Double](repeating: 0, count: p)
    var intercept = mean
    for j in 0..<p { intercept -= beta[j] * columnMeans[j] }
    return Fit(intercept: intercept, coefficients: beta)
  }

  /// XᵀX, p×p row-major.
  public static func gramMatrix(_ x: [[Double]]) -> [Double] {
    let p = x.first?.count ?? 0
    var g = [Double](repeating: 0, count: p * p)
    for row in x {
      for i in 0..<p {
        let xi = row[i]
        if xi == 0 { continue }
        for j in i..<p { g[i * p + j] += xi * row[j] }
      }
    }
    for i in 0..<p { for j in 0..<i { g[i * p + j] = g[j * p + i] } }
    return g
  }

  /// Solves A·x = b for symmetric positive-definite A (row-major, size×size); nil when A is not positive definite.
  public static func choleskySolve(_ a: [Double], _ b: [Double], size p: Int) -> [Double]? {
    guard let l = cholesky(a, size: p) else { return nil }
    var z = b
    for i in 0..<p {
      var s = z[i]
      for k in 0..<i { s -= l[i * p + k] * z[k] }
      z[i] = s / l[i * p + i]
    }
    var x = z
    for i in stride(from: p - 1, through: 0, by: -1) {
      var s = x[i]
      for k in (i + 1)..<max(p, i + 1) { s -= l[k * p + i] * x[k] }
      x[i] = s / l[i * p + i]
    }
    return x
  }

  /// The inverse of a symmetric positive-definite matrix, row-major; nil when it is not positive definite.
  public static func inverse(_ a: [Double], size p: Int) -> [Double]? {
    var out = [Double](repeating: 0, count: p * p)
    for j in 0..<p {
      var e = [Double](repeating: 0, count: p)
      e[j] = 1
      guard let column = choleskySolve(a, e, size: p) else { return nil }
      for i in 0..<p { out[i * p + j] = column[i] }
    }
    return out
  }

  /// Lower-triangular L with A = L·Lᵀ, or nil.
  static func cholesky(_ a: [Double], size p: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: p * p)
    for i in 0..<p {
      for j in 0...i {
        var s = a[i * p + j]
        for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
        if i == j {
          guard s > 1e-12 else { return nil }
          l[i * p + i] = s.squareRoot()
        } else {
          l[i * p + j] = s / l[j * p + j]
        }
      }
    }
    return l
  }
}
