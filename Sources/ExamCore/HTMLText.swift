/// Text for static HTML pages (seat plans, proctoring reports, student records).
public enum HTMLText {
  /// `text` with `& < > " '` escaped, safe in element content and in quoted attributes.
  public static func escape(_ text: String) -> String {
    guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}
