import ExamCore
import ExamStorage

/// Parses one JSON Lines event (docs/schemas/seat-event.schema.json) without Foundation.
///
/// A hand-written scanner over the line's bytes, with no closures or per-key strings: several times faster
/// than `JSONDecoder` per line (measured in docs/benchmarks.md, `proctor-bench parse` vs `decode`). It accepts exactly the
/// JSON grammar for objects, strings (with escapes), numbers, booleans and null; unknown keys are skipped.
public enum SeatEventParser {
  /// Why a line was refused; `description` is the message shown with file and line.
  public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
  }

  /// Parses `line` (without its newline) into an event of `examId`.
  public static func parse(_ line: UnsafeBufferPointer<UInt8>, examId: String) -> Result<SeatEvent, Failure> {
    var scanner = JSONScanner(line)
    do {
      return .success(try scanner.event(examId: examId))
    } catch {
      return .failure(error)
    }
  }

  /// Convenience for tests and small inputs.
  public static func parse(_ line: String, examId: String) -> Result<SeatEvent, Failure> {
    var copy = line
    return copy.withUTF8 { parse($0, examId: examId) }
  }

  /// Local wall-clock seconds of an ISO 8601 time string (see the buffer version).
  public static func localSeconds(_ text: String) -> Double? {
    var copy = text
    return copy.withUTF8 { localSeconds($0) }
  }

  /// Local wall-clock seconds since 1970 of an ISO 8601 time (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`): the
  /// offset is checked but not applied, because sessions are stated in the sitting's local time.
  static func localSeconds(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
    func number(_ from: Int, _ length: Int) -> Int? {
      guard from + length <= s.count else { return nil }
      var v = 0
      for i in from..<(from + length) {
        let c = s[i]
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
      }
      return v
    }
    guard s.count >= 19, let year = number(0, 4), s[4] == 45, let month = number(5, 2), s[7] == 45,
      let day = number(8, 2), s[10] == 84, let hour = number(11, 2), s[13] == 58, let minute = number(14, 2),
      s[16] == 58, let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24,
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
    if i < s.count {
      if s[i] == 90 {
        i += 1
      } else if s[i] == 43 || s[i] == 45, number(i + 1, 2) != nil, s.count >= i + 6, s[i + 3] == 58, number(i + 4, 2) != nil {
        i += 6
      } else {
        return nil
      }
    }
    guard i == s.count else { return nil }
    let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
    return Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
  }
}
