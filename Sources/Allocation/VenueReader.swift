import ExamCore
import Yams

/// Walks the YAML tree of a centres file, collecting every error with its key path.
struct VenueReader {
  let source: String
  var errors: [ExamError] = []
  var centres: [Centre] = []
  var sessions: [ExamSession] = []
  var adjacency: [(String, String)] = []

  init(source: String) { self.source = source }

  mutating func fail(_ path: String, _ node: Node?, _ message: String, fix: String) {
    var location = path
    if let mark = node?.mark { location += " (line \(mark.line))" }
    errors.append(ExamError(.invalidInput, file: source, location: location, message, fix: fix))
  }

  mutating func mapping(_ node: Node?, _ path: String, allowed: Set<String>) -> [String: Node]? {
    guard let node, let map = node.mapping else {
      fail(path, node, "must be a mapping of keys to values", fix: "indent its keys under it")
      return nil
    }
    var result: [String: Node] = [:]
    for (k, v) in map {
      guard let key = k.scalar?.string else { continue }
      if !allowed.contains(key) {
        fail(path + "." + key, k, "is not a known key", fix: "use one of: \(allowed.sorted().joined(separator: ", "))")
      }
      result[key] = v
    }
    return result
  }

  mutating func sequence(_ node: Node?, _ path: String) -> [Node] {
    guard let node else {
      fail(path, nil, "is missing", fix: "add it as a list")
      return []
    }
    guard let list = node.sequence else {
      fail(path, node, "must be a list", fix: "write one '- ' item per line")
      return []
    }
    return Array(list)
  }

  mutating func string(_ node: Node?, _ path: String, required: Bool = true) -> String? {
    guard let node else {
      if required { fail(path, nil, "is missing", fix: "add the key") }
      return nil
    }
    guard let s = node.scalar?.string, !s.trimmingSpaces().isEmpty else {
      fail(path, node, "must be a non-empty text value", fix: "give a value")
      return nil
    }
    return s.trimmingSpaces()
  }

  mutating func integer(_ node: Node?, _ path: String, in range: ClosedRange<Int>) -> Int? {
    guard let node else {
      fail(path, nil, "is missing", fix: "add the key")
      return nil
    }
    guard let s = node.scalar?.string, let n = Int(s), range.contains(n) else {
      fail(
        path, node,
        "value '\(node.scalar?.string ?? "?")' must be a whole number in \(range.lowerBound)...\(range.upperBound)",
        fix: "give a number in range")
      return nil
    }
    return n
  }

  mutating func read(_ root: Node?) {
    guard let top = mapping(root, "(top level)", allowed: ["sessions", "adjacency", "centres"]) else { return }
    readSessions(top["sessions"])
    for (i, item) in sequence(top["adjacency"] ?? Node.sequence(.init([])), "adjacency").enumerated() {
      let path = "adjacency[\(i)]"
      guard let pair = item.sequence, pair.count == 2, let a = pair[0].scalar?.string, let b = pair[1].scalar?.string,
        !a.isEmpty, !b.isEmpty, a != b
      else {
        fail(path, item, "must be a pair of two different districts", fix: "write it as [district, neighbour]")
        continue
      }
      adjacency.append((a, b))
    }
    var seen: Set<String> = []
    for (i, item) in sequence(top["centres"], "centres").enumerated() {
      let path = "centres[\(i)]"
      guard let centre = readCentre(item, path) else { continue }
      if !seen.insert(centre.id).inserted {
        fail(path + ".id", item, "repeats the centre id '\(centre.id)'", fix: "give every centre its own id")
      }
      centres.append(centre)
    }
    if centres.isEmpty && errors.isEmpty { fail("centres", root, "lists no centre", fix: "add at least one centre") }
  }

  mutating func readSessions(_ node: Node?) {
    var seen: Set<String> = []
    for (i, item) in sequence(node, "sessions").enumerated() {
      let path = "sessions[\(i)]"
      guard let map = mapping(item, path, allowed: ["id", "date", "start", "end"]) else { continue }
      let id = string(map["id"], path + ".id")
      let date = string(map["date"], path + ".date")
      let start = string(map["start"], path + ".start")
      let end = string(map["end"], path + ".end")
      if let date, !CalendarDate.isValid(date) {
        fail(path + ".date", map["date"], "value '\(date)' is not a date YYYY-MM-DD", fix: "write it like 2026-06-14")
      }
      for (key, value) in [("start", start), ("end", end)] {
        if let value, Self.minutes(value) == nil {
          fail(
            path + "." + key, map[key], "value '\(value)' is not a time HH:MM", fix: "write it like \"08:30\" (quoted)")
        }
      }
      if let s = start.flatMap(Self.minutes), let e = end.flatMap(Self.minutes), e <= s {
        fail(path + ".end", map["end"], "value '\(end!)' is not after the start \(start!)", fix: "end after start")
      }
      guard let id, let date, let start, let end else { continue }
      if !seen.insert(id).inserted {
        fail(path + ".id", item, "repeats the session id '\(id)'", fix: "one id per session")
      }
      sessions.append(ExamSession(id: id, date: date, start: start, end: end))
    }
  }

  static func minutes(_ text: String) -> Int? {
    let parts = text.split(separator: ":")
    guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h),
      (0..<60).contains(m)
    else { return nil }
    return h * 60 + m
  }
}
