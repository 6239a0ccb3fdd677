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
    Timestamp.parts(of: s)?.wallClockSeconds
  }
}
