#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// ISO 8601 UTC time stamps (`2026-06-14T08:30:00Z`), the one format the store and exports use.
public enum Timestamp {
  /// Now, in UTC, to the second. `EXAM_NOW` (an ISO 8601 string) overrides it so demo outputs and
  /// golden files are reproducible.
  public static func now() -> String {
    if let fixed = getenv("EXAM_NOW") { return String(cString: fixed) }
    return format(epochSeconds: Int(time(nil)))
  }

  /// Formats seconds since 1970 as ISO 8601 UTC.
  public static func format(epochSeconds: Int) -> String {
    var t = time_t(epochSeconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    func pad(_ v: Int32, _ width: Int = 2) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
      + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS` (or a space for `T`) with an optional fraction and `Z` or `±HH:MM`; returns
  /// seconds since 1970 UTC.
  public static func parse(_ text: String) -> Double? {
    var copy = text
    return copy.withUTF8 { parts(of: $0, allowingSpace: true) }.map { $0.wallClockSeconds - Double($0.offsetSeconds) }
  }

  /// The two parts of an ISO 8601 time in UTF-8 bytes (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`): seconds since 1970 of
  /// its wall-clock reading (as if it were UTC), and its offset from UTC in seconds (0 for `Z` or none).
  /// - Parameter allowingSpace: accept a space in place of `T` between date and time.
  public static func parts(of s: UnsafeBufferPointer<UInt8>, allowingSpace: Bool = false)
    -> (wallClockSeconds: Double, offsetSeconds: Int)?
  {
    func number(_ from: Int, _ length: Int) -> Int? {
      guard from + length <= s.count else { return nil }
      var v = 0
      for i in from..<(from + length) {
        guard s[i] >= 48 && s[i] <= 57 else { return nil }
        v = v * 10 + Int(s[i] - 48)
      }
      return v
    }
    guard s.count >= 19, let year = number(0, 4), s[4] == 45, let month = number(5, 2), s[7] == 45,
      let day = number(8, 2), s[10] == 84 || (allowingSpace && s[10] == 32), let hour = number(11, 2), s[13] == 58,
      let minute = number(14, 2), s[16] == 58, let second = number(17, 2),
      (1...12).contains(month), (1...CalendarDate.daysIn(month: month, year: year)).contains(day), hour < 24,
      minute < 60, second < 61
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < s.count && s[i] == 46 {
      i += 1
      var scale = 0.1
      while i < s.count, s[i] >= 48 && s[i] <= 57 {
        fraction += Double(s[i] - 48) * scale
        scale /= 10
        i += 1
      }
    }
    var offsetSeconds = 0
    if i < s.count {
      if s[i] == 90 {
        i += 1
      } else if s[i] == 43 || s[i] == 45, let oh = number(i + 1, 2), s.count >= i + 6, s[i + 3] == 58,
        let om = number(i + 4, 2)
      {
        offsetSeconds = (oh * 3600 + om * 60) * (s[i] == 43 ? 1 : -1)
        i += 6
      } else {
        return nil
      }
    }
    guard i == s.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    return (Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction, offsetSeconds)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
