import ExamCore

/// Number and text formatting shared by the exports (no Foundation formatters: they are slow on Linux and
/// locale-dependent).
public enum RecordsFormat {
  /// A number the way people write it: `60`, `12.5`, `87.25` (shortest form that reads back the same).
  public static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
  }

  /// A level as printed for people: `缺考 absent` for a sitting the student missed, else the level itself.
  public static func levelText(_ level: String) -> String {
    level == CandidateResult.absentLevel ? "缺考 absent" : level
  }

  /// Text as a JSON string literal, quotes included; non-ASCII stays as UTF-8.
  public static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// A JSON string literal, or `null`.
  public static func jsonString(_ text: String?) -> String { text.map { jsonString($0) } ?? "null" }

  /// A JSON number, or `null`.
  public static func jsonNumber(_ value: Double?) -> String { value.map(number) ?? "null" }

  /// Text with `& < > " '` escaped for HTML.
  public static func html(_ text: String) -> String { HTMLText.escape(text) }
}
