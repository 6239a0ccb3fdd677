import Foundation

/// A strict JSON value, parsed by hand so that booleans and numbers stay apart (Foundation's JSONSerialization
/// gives NSNumber for both on Linux).
indirect enum JSONValue: Equatable {
  case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

  static func parse(_ text: String) throws -> JSONValue {
    var p = Parser(bytes: Array(text.utf8))
    p.skip()
    let v = try p.value()
    p.skip()
    guard p.i == p.bytes.count else { throw p.fail("trailing characters") }
    return v
  }

  subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
  var array: [JSONValue] { if case .array(let a) = self { a } else { [] } }
  var string: String? { if case .string(let s) = self { s } else { nil } }

  struct ParseError: Error, CustomStringConvertible { var description: String }

  struct Parser {
    var bytes: [UInt8]
    var i = 0
    func fail(_ why: String) -> ParseError { ParseError(description: "\(why) at byte \(i)") }
    mutating func skip() { while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) { i += 1 } }
    mutating func literal(_ word: String, _ v: JSONValue) throws -> JSONValue {
      let w = Array(word.utf8)
      guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("bad literal") }
      i += w.count
      return v
    }
    mutating func value() throws -> JSONValue {
      guard i < bytes.count else { throw fail("unexpected end") }
      switch bytes[i] {
      case UInt8(ascii: "n"): return try literal("null", .null)
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "["):
        i += 1
        var out: [JSONValue] = []
        skip()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
        while true {
          skip(); out.append(try value()); skip()
          guard i < bytes.count else { throw fail("unclosed array") }
          if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
          guard bytes[i] == UInt8(ascii: "]") else { throw fail("expected , or ]") }
          i += 1
          return .array(out)
        }
      case UInt8(ascii: "{"):
        i += 1
        var out: [String: JSONValue] = [:]
        skip()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
        while true {
          skip()
          guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
          let key = try string()
          skip()
          guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
          i += 1; skip()
          guard out[key] == nil else { throw fail("duplicate key \(key)") }
          out[key] = try value(); skip()
          guard i < bytes.count else { throw fail("unclosed object") }
          if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
          guard bytes[i] == UInt8(ascii: "}") else { throw fail("expected , or }") }
          i += 1
          return .object(out)
        }
      default:
        let start = i
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        guard let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw fail("bad number") }
        return .number(d)
      }
    }
    mutating func string() throws -> String {
      i += 1
      var out: [UInt8] = []
      while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
        guard b >= 0x20 else { throw fail("control character in string") }
        if b == UInt8(ascii: "\\") {
          i += 1
          guard i < bytes.count else { break }
          switch bytes[i] {
          case UInt8(ascii: "n"): out.append(10)
          case UInt8(ascii: "r"): out.append(13)
          case UInt8(ascii: "t"): out.append(9)
          case UInt8(ascii: "u"):
            guard i + 4 < bytes.count, let v = UInt32(String(decoding: bytes[i + 1...i + 4], as: UTF8.self), radix: 16),
              let s = Unicode.Scalar(v)
            else { throw fail("bad \\u escape") }
            out += Array(String(Character(s)).utf8)
            i += 4
          default: out.append(bytes[i])
          }
        } else {
          out.append(b)
        }
        i += 1
      }
      throw fail("unclosed string")
    }
  }
}

/// Validates JSON against the subset of JSON Schema 2020-12 that docs/schemas uses: type, properties, required,
/// additionalProperties, items, enum, pattern, minimum, maximum, minLength, minItems, maxItems and local `$ref`.
/// Any other keyword is reported as unsupported, so the subset cannot silently skip a rule.
struct JSONSchemaSubset {
  let root: JSONValue
  static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
  static let supported: Set<String> = [
    "type", "properties", "required", "additionalProperties", "items", "enum", "pattern", "minimum", "maximum",
    "minLength", "minItems", "maxItems", "$ref",
  ]

  /// Problems, each `path: why`; empty when valid.
  func validate(_ value: JSONValue) -> [String] {
    var problems: [String] = []
    check(value, against: root, path: "$", into: &problems)
    return problems
  }

  func check(_ value: JSONValue, against schema: JSONValue, path: String, into problems: inout [String]) {
    guard case .object(let s) = schema else { return }
    for key in s.keys where !Self.annotations.contains(key) && !Self.supported.contains(key) {
      problems.append("\(path): schema keyword \(key) is not supported by the test validator")
    }
    if let ref = s["$ref"]?.string {
      guard ref.hasPrefix("#/$defs/"), let target = root["$defs"]?[String(ref.dropFirst(8))] else {
        problems.append("\(path): unresolvable $ref \(ref)")
        return
      }
      check(value, against: target, path: path, into: &problems)
    }
    if let type = s["type"] {
      let names = type.array.isEmpty ? [type.string ?? ""] : type.array.compactMap(\.string)
      if !names.contains(where: { Self.matches(value, $0) }) {
        problems.append("\(path): expected \(names.joined(separator: "|")), got \(value)")
        return
      }
    }
    if let options = s["enum"], !options.array.contains(value) { problems.append("\(path): \(value) not in enum") }
    switch value {
    case .string(let text):
      if case .number(let n)? = s["minLength"], Double(text.count) < n { problems.append("\(path): shorter than \(n)") }
      if let pattern = s["pattern"]?.string,
        text.range(of: pattern, options: .regularExpression) == nil
      {
        problems.append("\(path): '\(text)' does not match \(pattern)")
      }
    case .number(let n):
      if case .number(let m)? = s["minimum"], n < m { problems.append("\(path): \(n) < minimum \(m)") }
      if case .number(let m)? = s["maximum"], n > m { problems.append("\(path): \(n) > maximum \(m)") }
    case .array(let items):
      if case .number(let m)? = s["minItems"], Double(items.count) < m {
        problems.append("\(path): fewer than \(m) items")
      }
      if case .number(let m)? = s["maxItems"], Double(items.count) > m {
        problems.append("\(path): more than \(m) items")
      }
      if let itemSchema = s["items"] {
        for (i, item) in items.enumerated() { check(item, against: itemSchema, path: "\(path)[\(i)]", into: &problems) }
      }
    case .object(let fields):
      for name in s["required"]?.array.compactMap(\.string) ?? [] where fields[name] == nil {
        problems.append("\(path): lacks required \(name)")
      }
      let properties: [String: JSONValue]
      if case .object(let p)? = s["properties"] { properties = p } else { properties = [:] }
      for (name, field) in fields {
        if let p = properties[name] {
          check(field, against: p, path: "\(path).\(name)", into: &problems)
        } else if let extra = s["additionalProperties"] {
          if extra == .bool(false) {
            problems.append("\(path): property \(name) is not allowed")
          } else {
            check(field, against: extra, path: "\(path).\(name)", into: &problems)
          }
        }
      }
    default: break
    }
  }

  static func matches(_ value: JSONValue, _ type: String) -> Bool {
    switch (value, type) {
    case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"),
      (.number, "number"):
      true
    case (.number(let n), "integer"): n == n.rounded()
    default: false
    }
  }
}
