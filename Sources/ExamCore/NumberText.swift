/// Numbers as people read them in reports, messages and CSV files: the one set of formatting rules.
public enum NumberText {
  /// A whole number without `.0` (`35`, not `35.0`); otherwise Swift's shortest exact form (`0.25`).
  /// - Parameter decimals: round to this many decimal places first (`plain(0.123456789, decimals: 6)` is `0.123457`).
  public static func plain(_ value: Double, decimals: Int? = nil) -> String {
    var x = value
    if let decimals {
      var scale = 1.0
      for _ in 0..<max(0, decimals) { scale *= 10 }
      x = (x * scale).rounded() / scale
    }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
  }

  /// Exactly `decimals` decimal places, for tables: `fixed(0.5, decimals: 3)` is `0.500`.
  public static func fixed(_ value: Double, decimals: Int = 3) -> String {
    guard value.isFinite, abs(value) < 1e12 else { return String(value) }
    var scale = 1.0
    for _ in 0..<max(0, decimals) { scale *= 10 }
    let units = Int((value * scale).rounded())
    let whole = String(abs(units) / Int(scale))
    let fraction = String(abs(units) % Int(scale))
    let sign = units < 0 ? "-" : ""
    guard decimals > 0 else { return sign + whole }
    return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
  }

  /// Exactly one decimal place: `12.3`, `-0.5`, `4.0`.
  public static func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
  }
}

extension String {
  /// One decimal place: `12.3` (`NumberText.oneDecimal`).
  public init(format1 value: Double) { self = NumberText.oneDecimal(value) }
}
