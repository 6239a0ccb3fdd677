import ExamCore
import Yams

extension PackSource {
  /// Reads `pack.yaml` text, reporting every schema problem to `diagnostics`.
  ///
  /// Returns what could be read (with problem parts left out) so later checks still run, or nil when the text
  /// is not YAML or its top level is unusable.
  static func parse(yaml: String, diagnostics: PackDiagnostics) -> PackSource? {
    if let line = YAMLNesting.firstLineDeeperThan(YAMLNesting.limit, in: yaml) {
      diagnostics.report(
        at: "", line: line, "nests deeper than \(YAMLNesting.limit) levels",
        fix: "flatten the YAML: a pack needs fewer than ten levels (docs/pack-format.md)")
      return nil
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      let (line, problem) = Self.describe(error)
      diagnostics.report(
        at: "", line: line, "is not valid YAML: \(problem)",
        fix: "fix the syntax at that line (indentation, a missing ':' or an unclosed quote or bracket)")
      return nil
    } catch {
      diagnostics.report(at: "", "is not valid YAML", fix: "fix the syntax", underlying: "\(error)")
      return nil
    }
    guard let root else {
      diagnostics.report(at: "", "is empty", fix: "start from ExamPacks/SH-2026-EL/pack.yaml (docs/pack-format.md)")
      return nil
    }
    guard
      let top = YAMLMapping(
        PackNode(node: root, path: ""), allowedKeys: PackSchema.root, diagnostics: diagnostics,
        what: "the top level")
    else { return nil }

    if let format = top.string("format", required: true, fix: "add `format: \(formatName)` as the first line"),
      format != formatName
    {
      diagnostics.report(
        at: "format", line: top.child("format")?.line, "format '\(format)' is not supported",
        fix: "this version reads `format: \(formatName)`")
    }
    var source = PackSource(examId: "", title: "", totalPoints: 0, partPoints: [:], forms: [], sections: [])
    if let examNode = top.child("exam") {
      source.readExam(examNode, diagnostics)
    } else {
      top.missing("exam", "add an `exam:` mapping with id, title and total_points")
    }
    let sectionNodes =
      top.list("sections", required: true, fix: "add a `sections:` list (see docs/pack-format.md)") ?? []
    guard sectionNodes.count <= PackSchema.maxSections else {
      diagnostics.report(
        at: "sections", "the paper has \(sectionNodes.count) sections, more than \(PackSchema.maxSections)",
        fix: "split the paper into several packs")
      return nil
    }
    for node in sectionNodes {
      if let section = PackSection.parse(node, diagnostics) { source.sections.append(section) }
      if source.sections.reduce(0, { $0 + $1.items.count }) > PackSchema.maxItems {
        diagnostics.report(
          at: node.path, "the paper has more than \(PackSchema.maxItems) items",
          fix: "split the paper into several packs")
        return nil
      }
    }
    if top.list("sections") != nil && source.sections.isEmpty && diagnostics.isEmpty {
      diagnostics.report(at: "sections", "the paper has no sections", fix: "add at least one section with items")
    }
    return source
  }

  private mutating func readExam(_ node: PackNode, _ diagnostics: PackDiagnostics) {
    guard let exam = YAMLMapping(node, allowedKeys: PackSchema.exam, diagnostics: diagnostics, what: "exam") else {
      return
    }
    if let id = exam.string("id", required: true, fix: "add `id: SH-2026-EL` (letters, digits, - _ .)") {
      if PackSchema.isValidId(id) {
        examId = id
      } else {
        diagnostics.report(
          at: exam.node.childPath("id"), line: exam.child("id")?.line,
          "exam id '\(id)' has characters other than letters, digits, - _ .",
          fix: "use an id such as SH-2026-EL")
      }
    }
    title = exam.string("title", required: true, fix: "add `title: …`, the paper's name as candidates see it") ?? ""
    totalPoints =
      exam.number(
        "total_points", required: true, strictlyPositive: true,
        fix: "set total_points to the paper's full mark (the sum of the sections' points)") ?? 0
    if let partNode = exam.child("part_points"),
      let parts = YAMLMapping(
        partNode, allowedKeys: PackSchema.partPoints, diagnostics: diagnostics, what: "part_points")
    {
      for part in PackSchema.partPoints {
        if let value = parts.number(part, minimum: 0) { partPoints[SectionDefinition.Part(rawValue: part)!] = value }
      }
    }
    if let formNodes = exam.list("forms") {
      for formNode in formNodes {
        guard let form = YAMLMapping(formNode, allowedKeys: PackSchema.form, diagnostics: diagnostics, what: "a form")
        else { continue }
        guard let id = form.string("id", required: true, fix: "name the form, e.g. `id: B`") else { continue }
        var order: [String: [String]] = [:]
        for (sectionId, listNode) in form.pairs("item_order", fix: "write `item_order: {SECTION: [ITEM, …]}`") ?? [] {
          guard case .sequence(let sequence) = listNode.node else {
            diagnostics.report(
              at: listNode.path, line: listNode.line, "the order of section '\(sectionId)' must be a list of item ids",
              fix: "write `\(sectionId): [ITEM, ITEM, …]`")
            continue
          }
          order[sectionId] = sequence.map { $0.string ?? "" }
        }
        forms.append(PackForm(id: id, itemOrder: order, path: formNode.path))
      }
      if formNodes.isEmpty {
        diagnostics.report(
          at: exam.node.childPath("forms"), line: exam.child("forms")?.line, "'forms' is an empty list",
          fix: "remove it (one form) or list each form with `- id: A`")
      }
    }
    if forms.isEmpty { forms = [PackForm(id: "A", itemOrder: [:], path: node.childPath("forms"))] }
  }

  private static func describe(_ error: YamlError) -> (Int?, String) {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return (mark.line, problem)
    case .reader(let problem, _, _, _):
      return (nil, problem)
    default:
      return (nil, "\(error)")
    }
  }
}

extension PackSection {
  static func parse(_ node: PackNode, _ diagnostics: PackDiagnostics) -> PackSection? {
    guard let map = YAMLMapping(node, allowedKeys: PackSchema.section, diagnostics: diagnostics, what: "a section")
    else { return nil }
    let id = map.string("id", required: true, fix: "give the section an id such as `id: LA`") ?? ""
    let title = map.string("title", required: true, fix: "add `title: …` as candidates see it") ?? id
    let part = map.choice("part", among: ["listening", "speaking"], required: true).flatMap(SectionDefinition.Part.init)
    let points = map.number(
      "points", required: true, strictlyPositive: true,
      fix: "set points to the sum of the section's item points")
    let limit = map.number(
      "time_limit_seconds", required: true, strictlyPositive: true,
      fix: "set time_limit_seconds to the time the section may take (prompts + preparation + answers)")
    var passages: [PackPassage] = []
    for passageNode in map.list("passages") ?? [] {
      if let passage = PackPassage.parse(passageNode, diagnostics) { passages.append(passage) }
    }
    var items: [PackItem] = []
    let itemNodes = map.list("items", required: true, fix: "add an `items:` list with at least one item") ?? []
    guard itemNodes.count <= PackSchema.maxItems, (map.list("passages") ?? []).count <= PackSchema.maxItems else {
      diagnostics.report(
        at: node.childPath("items"), "the section has more than \(PackSchema.maxItems) items or passages",
        fix: "split the paper into several packs")
      return nil
    }
    for itemNode in itemNodes {
      if let item = PackItem.parse(itemNode, diagnostics) { items.append(item) }
    }
    if map.has("items") && itemNodes.isEmpty {
      diagnostics.report(
        at: node.childPath("items"), line: map.child("items")?.line, "section '\(id)' has no items",
        fix: "add items or remove the section")
    }
    return PackSection(
      id: id, title: title, part: part ?? .listening, points: points ?? 0,
      timeLimitSeconds: limit ?? .infinity, instructions: map.string("instructions"), passages: passages,
      items: items, path: node.path)
  }
}

extension PackPassage {
  static func parse(_ node: PackNode, _ diagnostics: PackDiagnostics) -> PackPassage? {
    guard let map = YAMLMapping(node, allowedKeys: PackSchema.passage, diagnostics: diagnostics, what: "a passage")
    else { return nil }
    guard let id = map.string("id", required: true, fix: "give the passage an id such as `id: P1`"),
      let audio = map.string("audio", required: true, fix: "name the passage's recording, e.g. `audio: audio/P1.flac`")
    else { return nil }
    let plays = map.integer("plays", minimum: 1, fix: "write how many times it is played, e.g. `plays: 2`") ?? 1
    return PackPassage(id: id, audio: audio, plays: plays, text: map.string("text"), path: node.path)
  }
}
