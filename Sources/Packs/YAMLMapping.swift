import ExamCore
import Yams

/// A YAML node and the key path that led to it (`sections[1].items[3]`), for error messages.
struct PackNode {
  let node: Node
  let path: String

  var line: Int? { node.mark?.line }

  func childPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

  /// The node's text when it is a scalar (numbers and booleans are given as written).
  var scalarText: String? {
    if case .scalar(let scalar) = node { return scalar.string }
    return nil
  }

  /// A short description of the node's kind, for "expected a number, found a list".
  var kindName: String {
    switch node {
    case .scalar(let scalar): "'\(scalar.string)'"
    case .mapping: "a mapping"
    case .sequence: "a list"
    }
  }
}

/// Reads one YAML mapping against the keys a schema allows: unknown keys (with a "did you mean"), duplicate keys,
/// missing required keys and wrong value kinds are all reported to `diagnostics`, and reading goes on.
struct YAMLMapping {
  let node: PackNode
  let diagnostics: PackDiagnostics
  private var values: [String: PackNode] = [:]

  /// Returns nil (after reporting) when `node` is not a mapping.
  init?(_ node: PackNode, allowedKeys: [String], diagnostics: PackDiagnostics, what: String) {
    self.node = node
    self.diagnostics = diagnostics
    guard case .mapping(let mapping) = node.node else {
      diagnostics.report(
        at: node.path, line: node.line, "\(what) must be a mapping of keys, found \(node.kindName)",
        fix: "write it as `key: value` lines; keys allowed here: \(allowedKeys.joined(separator: ", "))")
      return nil
    }
    for (keyNode, valueNode) in mapping {
      let key = keyNode.string ?? ""
      let child = PackNode(node: valueNode, path: node.childPath(key))
      if !allowedKeys.contains(key) {
        diagnostics.report(
          at: child.path, line: keyNode.mark?.line, "unknown key '\(key)' in \(what)",
          fix: "remove it or correct its spelling (\(DidYouMean.hint(for: key, among: allowedKeys)))")
        continue
      }
      if values[key] != nil {
        diagnostics.report(
          at: child.path, line: keyNode.mark?.line, "key '\(key)' appears twice",
          fix: "keep one '\(key)' in this \(what)")
        continue
      }
      values[key] = child
    }
  }

  func has(_ key: String) -> Bool { values[key] != nil }

  func child(_ key: String) -> PackNode? { values[key] }

  /// Reports a missing required key.
  func missing(_ key: String, _ fix: String) {
    diagnostics.report(at: node.childPath(key), line: node.line, "required key '\(key)' is missing", fix: fix)
  }

  /// A text value; nil (reported when `required`) when absent or not text.
  func string(_ key: String, required: Bool = false, fix: String = "") -> String? {
    guard let value = values[key] else {
      if required { missing(key, fix.isEmpty ? "add `\(key): …`" : fix) }
      return nil
    }
    guard let text = value.scalarText, !text.isEmpty else {
      diagnostics.report(
        at: value.path, line: value.line, "'\(key)' must be text, found \(value.kindName)",
        fix: fix.isEmpty ? "write `\(key): some text`" : fix)
      return nil
    }
    return text
  }

  /// A number; reported when absent (if `required`), not a number, or below `minimum` (or not above it when
  /// `strictlyPositive`).
  func number(
    _ key: String, required: Bool = false, minimum: Double = 0, strictlyPositive: Bool = false,
    unit: String = "", fix: String = ""
  ) -> Double? {
    guard let value = values[key] else {
      if required { missing(key, fix.isEmpty ? "add `\(key): <number>`" : fix) }
      return nil
    }
    guard let text = value.scalarText, let number = Double(text), number.isFinite else {
      diagnostics.report(
        at: value.path, line: value.line, "'\(key)' must be a number\(unit), found \(value.kindName)",
        fix: "write a plain number such as `\(key): 1.5`")
      return nil
    }
    if strictlyPositive ? number <= 0 : number < minimum {
      diagnostics.report(
        at: value.path, line: value.line,
        "'\(key)' is \(text), it must be \(strictlyPositive ? "greater than 0" : "at least \(NumberText.plain(minimum))")",
        fix: fix.isEmpty ? "correct the value" : fix)
      return nil
    }
    return number
  }

  /// A whole number at least `minimum`.
  func integer(_ key: String, minimum: Int, fix: String) -> Int? {
    guard let value = values[key] else { return nil }
    guard let text = value.scalarText, let number = Int(text), number >= minimum else {
      diagnostics.report(
        at: value.path, line: value.line,
        "'\(key)' must be a whole number of at least \(minimum), found \(value.kindName)", fix: fix)
      return nil
    }
    return number
  }

  /// A value from a fixed set (e.g. an item type), with a "did you mean" when it is close to one.
  func choice(_ key: String, among allowed: [String], required: Bool = false) -> String? {
    guard
      let text = string(
        key, required: required, fix: "add `\(key): \(allowed[0])` (one of \(allowed.joined(separator: ", ")))")
    else { return nil }
    guard allowed.contains(text) else {
      let value = values[key]
      diagnostics.report(
        at: value?.path ?? node.childPath(key), line: value?.line,
        "'\(text)' is not a valid \(key)", fix: DidYouMean.hint(for: text, among: allowed))
      return nil
    }
    return text
  }

  /// The elements of a list, each with its indexed key path; reported when present but not a list.
  func list(_ key: String, required: Bool = false, fix: String = "") -> [PackNode]? {
    guard let value = values[key] else {
      if required { missing(key, fix.isEmpty ? "add a `\(key):` list" : fix) }
      return nil
    }
    guard case .sequence(let sequence) = value.node else {
      diagnostics.report(
        at: value.path, line: value.line, "'\(key)' must be a list, found \(value.kindName)",
        fix: "write one `- …` entry per element")
      return nil
    }
    return sequence.enumerated().map { PackNode(node: $1, path: "\(value.path)[\($0)]") }
  }

  /// The pairs of a mapping value in document order, for keyed tables such as `options: {A: …, B: …}`.
  func pairs(_ key: String, fix: String) -> [(key: String, value: PackNode)]? {
    guard let value = values[key] else { return nil }
    guard case .mapping(let mapping) = value.node else {
      diagnostics.report(
        at: value.path, line: value.line, "'\(key)' must be a mapping, found \(value.kindName)", fix: fix)
      return nil
    }
    return mapping.map { k, v in
      let name = k.string ?? ""
      return (name, PackNode(node: v, path: value.path + "." + name))
    }
  }
}
