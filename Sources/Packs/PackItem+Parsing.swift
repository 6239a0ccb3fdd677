import ExamCore

extension PackItem {
  static func parse(_ node: PackNode, _ diagnostics: PackDiagnostics) -> PackItem? {
    guard let map = YAMLMapping(node, allowedKeys: PackSchema.item, diagnostics: diagnostics, what: "an item")
    else { return nil }
    let id = map.string("id", required: true, fix: "give the item an id unique in the paper, e.g. `id: LA1`")
    let typeNames = ItemType.allCases.map(\.rawValue)
    let type = map.choice("type", among: typeNames, required: true).flatMap(ItemType.init(rawValue:))
    let points = map.number("points", required: true, strictlyPositive: true, fix: "set the item's full mark")
    var item = PackItem(
      id: id ?? "", type: type ?? .choice, points: points ?? 0,
      promptText: map.string("prompt_text"), promptAudio: map.string("prompt_audio"),
      plays: map.integer("plays", minimum: 1, fix: "write how many times the prompt is played, e.g. `plays: 2`") ?? 1,
      promptSeconds: map.number("prompt_seconds", strictlyPositive: true),
      passage: map.string("passage"), picture: map.string("picture"),
      referenceText: map.string("reference_text"), referenceAudio: map.string("reference_audio"),
      question: map.string("question"), options: [], answer: map.string("answer"),
      preparationSeconds: map.number("preparation_seconds", minimum: 0) ?? 0,
      minAnswerSeconds: map.number("min_answer_seconds", minimum: 0),
      maxAnswerSeconds: map.number("max_answer_seconds", strictlyPositive: true),
      rubric: nil, path: node.path)
    for (key, value) in map.pairs("options", fix: "write `options: {A: …, B: …}`") ?? [] {
      guard let text = value.scalarText, !key.isEmpty else {
        diagnostics.report(
          at: value.path, line: value.line, "option '\(key)' must be text", fix: "write `\(key): the option's text`")
        continue
      }
      item.options.append((key, text))
    }
    if map.has("plays") && !map.has("prompt_audio") {
      diagnostics.report(
        at: node.childPath("plays"), line: map.child("plays")?.line, "'plays' is set but the item has no prompt_audio",
        fix: "add prompt_audio, or set plays on the passage instead")
    }
    if let rubricNode = map.child("rubric") { item.rubric = Rubric.parse(rubricNode, diagnostics) }
    guard let type else { return item }
    item.checkKeys(for: type, map, diagnostics)
    return item
  }

  /// Keys each item type needs or must not have.
  private func checkKeys(for type: ItemType, _ map: YAMLMapping, _ diagnostics: PackDiagnostics) {
    func require(_ key: String, _ why: String, _ fix: String) {
      if !map.has(key) {
        diagnostics.report(at: path + "." + key, line: map.node.line, "\(why) needs '\(key)'", fix: fix)
      }
    }
    func forbid(_ key: String, _ why: String) {
      if map.has(key) {
        diagnostics.report(
          at: path + "." + key, line: map.child(key)?.line, "'\(key)' does not apply to \(why)",
          fix: "remove '\(key)' or change the item's type")
      }
    }
    let name = "a \(type.rawValue) item"
    if type == .choice {
      require("question", name, "add `question: …`, the question shown on screen")
      require("options", name, "add `options: {A: …, B: …, C: …}`")
      require("answer", name, "add `answer: B`, the letter of the correct option")
      require("max_answer_seconds", name, "add `max_answer_seconds: 8`, the time to choose")
      for key in ["rubric", "reference_audio", "min_answer_seconds"] {
        forbid(key, "choice items (they are scored by the key)")
      }
    } else {
      for key in ["options", "answer", "question"] { forbid(key, "spoken items") }
      require("rubric", name, "add a `rubric:` with criteria whose points add up to the item's points, and a tolerance")
      require("min_answer_seconds", name, "add `min_answer_seconds: 1`, below which a recording counts as no answer")
      require("max_answer_seconds", name, "add `max_answer_seconds: …`, the recording window")
    }
    if type.isReadAloud {
      require("reference_text", name, "add `reference_text: …`, the text the candidate reads")
      require("reference_audio", name, "add `reference_audio: audio/…flac`, a model reading of reference_text")
    } else {
      forbid("reference_audio", "items that are not read aloud")
    }
    if type == .pictureTalk { require("picture", name, "add `picture: pictures/…png` (PNG, JPEG or SVG)") }
  }
}

extension Rubric {
  static func parse(_ node: PackNode, _ diagnostics: PackDiagnostics) -> Rubric? {
    guard let map = YAMLMapping(node, allowedKeys: PackSchema.rubric, diagnostics: diagnostics, what: "a rubric")
    else { return nil }
    var criteria: [Criterion] = []
    let nodes =
      map.list("criteria", required: true, fix: "list the criteria, e.g. `- {name: pronunciation, points: 0.5}`") ?? []
    for criterionNode in nodes {
      guard
        let c = YAMLMapping(
          criterionNode, allowedKeys: PackSchema.criterion, diagnostics: diagnostics, what: "a criterion")
      else { continue }
      guard let name = c.string("name", required: true, fix: "name the criterion, e.g. `name: fluency`"),
        let points = c.number("points", required: true, strictlyPositive: true, fix: "give the criterion's points")
      else { continue }
      criteria.append(Criterion(name: name, points: points, description: c.string("description") ?? ""))
    }
    if map.has("criteria") && nodes.isEmpty {
      diagnostics.report(
        at: node.childPath("criteria"), line: map.child("criteria")?.line, "the rubric has no criteria",
        fix: "list at least one criterion with its points")
    }
    let tolerance = map.number(
      "tolerance", required: true, minimum: 0,
      fix: "add `tolerance: 0.5`, the largest gap between two markers' marks before arbitration")
    let resolutions = ["mean-of-closest", "arbiter-decides"]
    let resolution = map.choice("resolution", among: resolutions).flatMap(Resolution.init(rawValue:)) ?? .meanOfClosest
    // Blind marking unless the rubric says raters may see the machine's mark.
    let showMachineMark = map.choice("show_machine_mark", among: ["false", "true"]) == "true"
    guard let tolerance, !criteria.isEmpty else { return nil }
    return Rubric(criteria: criteria, tolerance: tolerance, resolution: resolution, showMachineMark: showMachineMark)
  }
}
