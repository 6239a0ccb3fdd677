/// Small order statistics over Double arrays (linear interpolation between order statistics, like numpy).
public enum Statistics {
  /// The `p`-quantile (0...1) of `sorted` (ascending, not empty).
  public static func quantile(sorted: [Double], _ p: Double) -> Double {
    precondition(!sorted.isEmpty)
    let position = p * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }

  static func mean(_ values: [Double]) -> Double? {
    values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
  }

  /// Pearson correlation, nil when fewer than 3 pairs or a constant side.
  static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    guard x.count == y.count, x.count >= 3, let mx = mean(x), let my = mean(y) else { return nil }
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices {
      let dx = x[i] - mx
      let dy = y[i] - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
  }

  /// 10·log10(power), floored at -150 dB.
  @inline(__always) static func decibels(power: Double) -> Double {
    power > 1e-15 ? 10 * log10(power) : -150
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
