import ExamCore
import ExamStorage

/// A minimal JSON scanner over one line's bytes, specialised for seat events.
struct JSONScanner {
  typealias Failure = SeatEventParser.Failure
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  /// Objects and arrays open around the current position.
  var depth = 0
  /// Deeper nesting is refused: a seat event is two levels deep, and recursion must stay bounded.
  static let maxDepth = 32

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// A scanned value: strings are kept as byte ranges until asked for.
  enum Value {
    case string(Range<Int>, escaped: Bool)
    case number(Double, integral: Bool)
    case bool(Bool)
    case null
    case object
    case array
  }

  mutating func event(examId: String) throws(Failure) -> SeatEvent {
    var time: Double?
    var centre: String?, room: String?, seat: String?, machine: String?, candidate: String?, type: SeatEventType?
    var seq: Int64?
    var item: String?, level: Double?, passed: Bool?
    skipSpace()
    guard peek == UInt8(ascii: "{") else { throw Failure("a line must be one JSON object") }
    index += 1
    var more = try openMembers()
    while more {
      let key = try memberKey()
      if keyIs(key, "time") {
        guard case .string(let r, _) = try value() else { throw Failure("'time' must be a string") }
        guard let t = SeatEventParser.localSeconds(UnsafeBufferPointer(rebasing: bytes[r])) else {
          throw Failure("'time' \"\(text(r))\" is not ISO 8601 (YYYY-MM-DDTHH:MM:SS+08:00)")
        }
        time = t
      } else if keyIs(key, "centre") {
        centre = try requiredString("centre")
      } else if keyIs(key, "room") {
        room = try requiredString("room")
      } else if keyIs(key, "seat") {
        seat = try requiredString("seat")
      } else if keyIs(key, "machine") {
        machine = try requiredString("machine")
      } else if keyIs(key, "candidate") {
        candidate = try optionalString("candidate")
      } else if keyIs(key, "seq") {
        guard case .number(let n, true) = try value(), n >= 0, n < 9e15 else {
          throw Failure("'seq' must be a non-negative integer")
        }
        seq = Int64(n)
      } else if keyIs(key, "type") {
        guard case .string(let r, false) = try value(), let t = Self.eventType(bytes, r) else {
          throw Failure(
            "'type' \"\(typeText())\" is not one of \(SeatEventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        type = t
      } else if keyIs(key, "payload") {
        skipSpace()
        if peek == UInt8(ascii: "n") {
          _ = try value()
        } else {
          guard peek == UInt8(ascii: "{") else { throw Failure("'payload' must be an object") }
          index += 1
          var inner = try openMembers()
          while inner {
            let k = try memberKey()
            if keyIs(k, "item") {
              item = try requiredString("payload.item")
            } else if keyIs(k, "level_db") {
              guard case .number(let n, _) = try value(), n <= 0, n > -200 else {
                throw Failure("'payload.level_db' must be a number of dBFS (≤ 0)")
              }
              level = n
            } else if keyIs(k, "result") {
              let r = try requiredString("payload.result")
              guard r == "pass" || r == "fail" else { throw Failure("'payload.result' \"\(r)\" must be pass or fail") }
              passed = r == "pass"
            } else {
              try skipValue()
            }
            inner = try nextMember()
          }
        }
      } else {
        try skipValue()
      }
      more = try nextMember()
    }
    skipSpace()
    guard index == bytes.count else { throw Failure("text after the JSON object at column \(index + 1)") }
    guard let time else { throw Failure("'time' is missing") }
    guard let centre, let room, let seat else { throw Failure("'centre', 'room' and 'seat' are required") }
    guard let machine else { throw Failure("'machine' is missing") }
    guard let seq else { throw Failure("'seq' is missing") }
    guard let type else { throw Failure("'type' is missing") }
    switch type {
    case .login, .idCheck, .itemStart, .itemEnd, .recordingSaved, .logout:
      guard candidate != nil else { throw Failure("a \(type.rawValue) event needs 'candidate'") }
    default: break
    }
    switch type {
    case .itemStart, .itemEnd, .recordingSaved:
      guard item != nil else { throw Failure("a \(type.rawValue) event needs 'payload.item'") }
    case .idCheck:
      guard passed != nil else { throw Failure("an id-check event needs 'payload.result'") }
    case .micCheck:
      guard level != nil else { throw Failure("a mic-check event needs 'payload.level_db'") }
    default: break
    }
    return SeatEvent(
      examId: examId, machineId: machine, seq: seq, at: time, centreId: centre, roomId: room,
      seatId: seat, candidateId: candidate, type: type, itemId: item, level: level, passed: passed)
  }

  var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

  mutating func skipSpace() {
    while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 13 { index += 1 }
  }

  mutating func expect(_ byte: UInt8, _ message: @autoclosure () -> String) throws(Failure) {
    skipSpace()
    guard peek == byte else {
      throw Failure(message() + (index < bytes.count ? " (column \(index + 1))" : " (line ends early)"))
    }
    index += 1
  }

  /// After a consumed `{`: true when a member follows, false (with `}` consumed) for an empty object.
  mutating func openMembers() throws(Failure) -> Bool {
    skipSpace()
    if peek == UInt8(ascii: "}") {
      index += 1
      return false
    }
    return true
  }

  /// After a member's value: true when another member follows (`,` consumed), false at `}` (consumed).
  mutating func nextMember() throws(Failure) -> Bool {
    skipSpace()
    if peek == UInt8(ascii: ",") {
      index += 1
      return true
    }
    try expect(UInt8(ascii: "}"), "expected ',' or '}'")
    return false
  }

  /// Scans `"key":` and returns the key's byte range (escaped keys never match a known key).
  mutating func memberKey() throws(Failure) -> Range<Int> {
    skipSpace()
    guard case .string(let r, let escaped) = try value() else {
      throw Failure("expected a key in quotes at column \(index + 1)")
    }
    skipSpace()
    guard peek == UInt8(ascii: ":") else { throw Failure("expected ':' after key '\(text(r))'") }
    index += 1
    return escaped ? 0..<0 : r
  }

  func keyIs(_ r: Range<Int>, _ key: StaticString) -> Bool {
    let n = key.utf8CodeUnitCount
    guard r.count == n else { return false }
    let k = key.utf8Start
    for i in 0..<n where bytes[r.lowerBound + i] != k[i] { return false }
    return true
  }

  /// The event type named by the bytes in `r`, without making a String.
  static func eventType(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> SeatEventType? {
    for t in typeNames where t.1.count == r.count {
      if t.1.withUnsafeBufferPointer({ name in (0..<r.count).allSatisfy { name[$0] == bytes[r.lowerBound + $0] } }) {
        return t.0
      }
    }
    return nil
  }

  static let typeNames: [(SeatEventType, [UInt8])] = SeatEventType.allCases.map { ($0, Array($0.rawValue.utf8)) }

  /// The text of the last string scanned (for the message about an unknown type).
  func typeText() -> String {
    var end = index - 1
    while end > 0 && bytes[end] != 34 { end -= 1 }
    var start = end - 1
    while start > 0 && bytes[start] != 34 { start -= 1 }
    return start < end ? text((start + 1)..<end) : ""
  }

  /// Calls `body` for each member of the object whose `{` was just consumed, then consumes `}`.
  mutating func members(_ body: (inout JSONScanner, String) throws(Failure) -> Void) throws(Failure) {
    skipSpace()
    if peek == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      skipSpace()
      guard case .string(let r, let escaped) = try value() else {
        throw Failure("expected a key in quotes at column \(index + 1)")
      }
      let key = escaped ? unescape(r) : text(r)
      try expect(UInt8(ascii: ":"), "expected ':' after key '\(key)'")
      try body(&self, key)
      skipSpace()
      if peek == UInt8(ascii: ",") {
        index += 1
        continue
      }
      try expect(UInt8(ascii: "}"), "expected ',' or '}'")
      return
    }
  }

  mutating func requiredString(_ key: String) throws(Failure) -> String {
    guard case .string(let r, let escaped) = try value() else { throw Failure("'\(key)' must be a string") }
    guard !r.isEmpty else { throw Failure("'\(key)' is empty") }
    return escaped ? unescape(r) : text(r)
  }

  mutating func optionalString(_ key: String) throws(Failure) -> String? {
    switch try value() {
    case .null: return nil
    case .string(let r, let escaped): return r.isEmpty ? nil : (escaped ? unescape(r) : text(r))
    default: throw Failure("'\(key)' must be a string or null")
    }
  }

  func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }

  func unescape(_ r: Range<Int>) -> String {
    var out: [UInt8] = []
    var i = r.lowerBound
    while i < r.upperBound {
      let c = bytes[i]
      if c == 92, i + 1 < r.upperBound {
        let e = bytes[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "u"):
          var v: UInt32 = 0
          for _ in 0..<4 where i < r.upperBound {
            v = v << 4 | UInt32(Self.hex(bytes[i]) ?? 0)
            i += 1
          }
          out.append(contentsOf: Array(String(Character(Unicode.Scalar(v) ?? "?")).utf8))
        default: out.append(e)
        }
      } else {
        out.append(c)
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func hex(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: c - 48
    case 65...70: c - 55
    case 97...102: c - 87
    default: nil
    }
  }

  /// Scans one value; objects and arrays are skipped whole.
  mutating func value() throws(Failure) -> Value {
    skipSpace()
    guard index < bytes.count else { throw Failure("the line ends where a value was expected") }
    switch bytes[index] {
    case UInt8(ascii: "\""):
      index += 1
      let start = index
      var escaped = false
      while index < bytes.count {
        let c = bytes[index]
        if c == 34 { break }
        if c == 92 {
          escaped = true
          index += 1
        } else if c < 32 {
          throw Failure("control character in a string at column \(index + 1)")
        }
        index += 1
      }
      guard index < bytes.count else { throw Failure("unterminated string starting at column \(start)") }
      let range = start..<index
      index += 1
      return .string(range, escaped: escaped)
    case UInt8(ascii: "-"), 48...57:
      return try number()
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "{"):
      try enterNesting()
      defer { depth -= 1 }
      index += 1
      try members { (scanner, _) throws(Failure) in try scanner.skipValue() }
      return .object
    case UInt8(ascii: "["):
      try enterNesting()
      defer { depth -= 1 }
      index += 1
      skipSpace()
      if peek == UInt8(ascii: "]") {
        index += 1
        return .array
      }
      while true {
        try skipValue()
        skipSpace()
        if peek == UInt8(ascii: ",") {
          index += 1
          continue
        }
        try expect(UInt8(ascii: "]"), "expected ',' or ']'")
        return .array
      }
    default:
      throw Failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))' at column \(index + 1)")
    }
  }

  mutating func skipValue() throws(Failure) { _ = try value() }

  mutating func enterNesting() throws(Failure) {
    guard depth < Self.maxDepth else {
      throw Failure(
        "nested deeper than \(Self.maxDepth) levels at column \(index + 1): a seat event is at most two levels deep")
    }
    depth += 1
  }

  mutating func literal(_ word: StaticString) throws(Failure) {
    let n = word.utf8CodeUnitCount
    guard index + n <= bytes.count else { throw Failure("bad literal at column \(index + 1)") }
    let w = word.utf8Start
    for k in 0..<n where bytes[index + k] != w[k] { throw Failure("bad literal at column \(index + 1)") }
    index += n
  }

  mutating func number() throws(Failure) -> Value {
    let start = index
    var negative = false
    if peek == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    var integer: Double = 0
    var digits = 0
    while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
      integer = integer * 10 + Double(bytes[index] - 48)
      index += 1
      digits += 1
    }
    guard digits > 0 else { throw Failure("bad number at column \(start + 1)") }
    var integral = true
    if peek == UInt8(ascii: ".") || peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      integral = false
      while index < bytes.count, let c = Optional(bytes[index]),
        (c >= 48 && c <= 57) || c == 46 || c == 101 || c == 69 || c == 43 || c == 45
      {
        index += 1
      }
      guard let v = Double(text(start..<index)) else { throw Failure("bad number at column \(start + 1)") }
      return .number(v, integral: false)
    }
    return .number(negative ? -integer : integer, integral: integral)
  }
}
