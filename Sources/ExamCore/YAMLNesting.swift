/// A bound on how deeply a YAML text nests, checked on the text before any YAML library builds a tree from it.
///
/// YAML composers recurse once per level, so a few kilobytes of `[[[[…` or of ever-deeper indentation overflow the
/// stack. Exam packs and centres files nest fewer than ten levels; anything past `limit` is refused with its line.
/// The count is conservative (it may count a level or two more than a YAML parser would, never fewer), and it
/// reads the text once, in constant memory apart from the indentation stack.
public enum YAMLNesting {
  /// Levels of nesting accepted: far above any real pack or centres file, far below what overflows a stack.
  public static let limit = 64

  /// Throws `ExamError.invalidInput` naming the first line that nests deeper than `limit`.
  public static func check(_ yaml: String, file: String, limit: Int = limit) throws(ExamError) {
    if let line = firstLineDeeperThan(limit, in: yaml) {
      throw ExamError(
        .invalidInput, file: file, location: "line \(line)", "nests deeper than \(limit) levels",
        fix: "flatten the YAML: a pack or centres file needs fewer than ten levels")
    }
  }

  /// The 1-based number of the first line whose nesting exceeds `limit`, or nil.
  public static func firstLineDeeperThan(_ limit: Int, in yaml: String) -> Int? {
    var indents: [Int] = []  // block indentation columns open above the current line
    var flowDepth = 0  // open [ and { (flow collections may span lines)
    var lineNumber = 0
    for line in yaml.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      var i = line.startIndex
      var indent = 0
      while i < line.endIndex, line[i] == UInt8(ascii: " ") {
        indent += 1
        i = line.index(after: i)
      }
      guard i < line.endIndex, line[i] != UInt8(ascii: "#"), line[i] != UInt8(ascii: "\r") else { continue }
      if flowDepth == 0 {
        while let top = indents.last, top >= indent { indents.removeLast() }
        indents.append(indent)
      }
      // compact nested sequences: `- - - x` opens a level per dash
      var dashes = 0
      var j = i
      while j < line.endIndex, line[j] == UInt8(ascii: "-") {
        let next = line.index(after: j)
        guard next == line.endIndex || line[next] == UInt8(ascii: " ") else { break }
        dashes += 1
        j = next
        while j < line.endIndex, line[j] == UInt8(ascii: " ") { j = line.index(after: j) }
      }
      var deepest = indents.count + dashes + flowDepth
      var quote: UInt8? = nil
      var previous: UInt8 = UInt8(ascii: " ")
      while j < line.endIndex {
        let c = line[j]
        if let q = quote {
          if c == q && !(q == UInt8(ascii: "\"") && previous == UInt8(ascii: "\\")) { quote = nil }
        } else {
          switch c {
          case UInt8(ascii: "\""), UInt8(ascii: "'"):
            quote = c
          case UInt8(ascii: "#") where previous == UInt8(ascii: " "):
            j = line.endIndex
            continue
          case UInt8(ascii: "["), UInt8(ascii: "{"):
            flowDepth += 1
            deepest = max(deepest, indents.count + dashes + flowDepth)
          case UInt8(ascii: "]"), UInt8(ascii: "}"):
            flowDepth = max(0, flowDepth - 1)
          default: break
          }
        }
        previous = c
        j = line.index(after: j)
      }
      if deepest > limit { return lineNumber }
    }
    return nil
  }
}
