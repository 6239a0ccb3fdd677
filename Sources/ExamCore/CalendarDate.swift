/// A real day of the Gregorian calendar between 1900 and 2100, written `YYYY-MM-DD`: the one date rule of
/// every input (venue sessions, record entries, birth dates in national IDs, ISO 8601 time stamps).
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Years accepted anywhere in ExamKit.
  public static let years = 1900...2100

  public let year: Int
  public let month: Int
  public let day: Int

  /// The date, or nil when there is no such day (31 February, month 13, a year outside `years`).
  public init?(year: Int, month: Int, day: Int) {
    guard Self.years.contains(year), (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    (self.year, self.month, self.day) = (year, month, day)
  }

  /// Reads exactly `YYYY-MM-DD`; nil for anything else or a day that does not exist.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
    else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// Whether `text` is a real date `YYYY-MM-DD`.
  public static func isValid(_ text: String) -> Bool { CalendarDate(text) != nil }

  /// Days in `month` (1–12) of `year`, leap years counted (Gregorian rule).
  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public var description: String {
    func pad(_ v: Int, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }
}
