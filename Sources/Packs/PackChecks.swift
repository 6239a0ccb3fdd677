import ExamCore

/// The checks across keys: unique ids, references, answers among options, and point totals that add up
/// (criteria → item → section → part → paper). Media files are checked through `PackMediaCheck`.
struct PackChecks {
  let source: PackSource
  let diagnostics: PackDiagnostics

  func run(media: inout PackMediaCheck) {
    checkIds()
    for section in source.sections {
      for passage in section.passages { media.check(passage.audio, kind: .audio, at: passage.path + ".audio") }
      checkPassages(section)
      for item in section.items {
        checkItem(item, in: section)
        for (key, file) in item.mediaReferences {
          media.check(file, kind: key == "picture" ? .picture : .audio, at: item.path + "." + key)
        }
      }
    }
    checkPoints()
    checkForms()
  }

  private func checkIds() {
    var sections: [String: String] = [:]
    var items: [String: String] = [:]
    for section in source.sections {
      if !section.id.isEmpty, !PackSchema.isValidId(section.id) {
        diagnostics.report(
          at: section.path + ".id", "section id '\(section.id)' has characters other than letters, digits, - _ .",
          fix: "use an id such as LA")
      }
      if let first = sections[section.id], !section.id.isEmpty {
        diagnostics.report(
          at: section.path + ".id", "duplicate section id '\(section.id)' (also at \(first))",
          fix: "give each section its own id")
      } else {
        sections[section.id] = section.path
      }
      for item in section.items where !item.id.isEmpty {
        if !PackSchema.isValidId(item.id) {
          diagnostics.report(
            at: item.path + ".id", "item id '\(item.id)' has characters other than letters, digits, - _ .",
            fix: "use an id such as LA1")
        }
        if let first = items[item.id] {
          diagnostics.report(
            at: item.path + ".id", "duplicate item id '\(item.id)' (also at \(first))",
            fix: "give each item an id unique in the whole paper, e.g. \(item.id)b")
        } else {
          items[item.id] = item.path
        }
      }
    }
  }

  private func checkPassages(_ section: PackSection) {
    var seen: Set<String> = []
    for passage in section.passages {
      if !seen.insert(passage.id).inserted {
        diagnostics.report(
          at: passage.path + ".id", "duplicate passage id '\(passage.id)' in section '\(section.id)'",
          fix: "give each passage of the section its own id")
      }
      if !section.items.contains(where: { $0.passage == passage.id }) {
        diagnostics.report(
          at: passage.path, "passage '\(passage.id)' is not used by any item",
          fix: "add `passage: \(passage.id)` to the items about it, or remove the passage")
      }
    }
  }

  private func checkItem(_ item: PackItem, in section: PackSection) {
    if item.type.isSpoken != (section.part == .speaking) {
      diagnostics.report(
        at: item.path + ".type",
        "a \(item.type.rawValue) item cannot be in the \(section.part.rawValue) section '\(section.id)'",
        fix: item.type.isSpoken
          ? "move it to a speaking section" : "move it to a listening section, or make it a spoken type")
    }
    if let passage = item.passage {
      if !section.passages.contains(where: { $0.id == passage }) {
        let known = section.passages.map(\.id)
        diagnostics.report(
          at: item.path + ".passage", "passage '\(passage)' is not defined in section '\(section.id)'",
          fix: known.isEmpty ? "add it under the section's `passages:`" : DidYouMean.hint(for: passage, among: known))
      }
      if item.promptAudio != nil {
        diagnostics.report(
          at: item.path + ".prompt_audio", "the item has both a passage and its own prompt_audio",
          fix: "keep one: the passage (heard with the other items) or the item's own prompt")
      }
    }
    if item.type == .choice, let answer = item.answer, !item.options.isEmpty {
      let keys = item.options.map(\.key)
      if !keys.contains(answer) {
        diagnostics.report(
          at: item.path + ".answer", "answer '\(answer)' is not one of the options \(keys.joined(separator: ", "))",
          fix: "set answer to the letter of the correct option")
      }
      if keys.count < 2 {
        diagnostics.report(
          at: item.path + ".options", "a choice item needs at least two options", fix: "add the other options")
      }
    }
    if let minimum = item.minAnswerSeconds, let maximum = item.maxAnswerSeconds, minimum > maximum {
      diagnostics.report(
        at: item.path + ".min_answer_seconds",
        "min_answer_seconds \(fmt(minimum)) is more than max_answer_seconds \(fmt(maximum))",
        fix: "make the answer window's minimum at most its maximum")
    }
    if let rubric = item.rubric, item.points > 0 {
      let sum = rubric.criteria.reduce(0) { $0 + $1.points }
      if !same(sum, item.points) {
        diagnostics.report(
          at: item.path + ".rubric.criteria",
          "the criteria add up to \(fmt(sum)) points but item '\(item.id)' is worth \(fmt(item.points))",
          fix: "make the criteria's points sum to the item's points")
      }
      if rubric.tolerance > item.points {
        diagnostics.report(
          at: item.path + ".rubric.tolerance",
          "tolerance \(fmt(rubric.tolerance)) is more than the item's \(fmt(item.points)) points",
          fix: "set a tolerance below the item's points, or no pair of marks will ever go to arbitration")
      }
    }
  }

  private func checkPoints() {
    var byPart: [SectionDefinition.Part: Double] = [:]
    for section in source.sections where section.points > 0 {
      byPart[section.part, default: 0] += section.points
      let sum = section.items.reduce(0) { $0 + $1.points }
      if !section.items.isEmpty, !same(sum, section.points) {
        diagnostics.report(
          at: section.path + ".points",
          "section '\(section.id)' is worth \(fmt(section.points)) points but its items add up to \(fmt(sum))",
          fix: "set points: \(fmt(sum)) or correct the items' points")
      }
    }
    let total = source.sections.reduce(0) { $0 + $1.points }
    if source.totalPoints > 0, !source.sections.isEmpty, !same(total, source.totalPoints) {
      diagnostics.report(
        at: "exam.total_points",
        "the paper is worth \(fmt(source.totalPoints)) points but its sections add up to \(fmt(total))",
        fix: "set total_points: \(fmt(total)) or correct the sections' points")
    }
    for (part, declared) in source.partPoints.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      let actual = byPart[part] ?? 0
      if !same(actual, declared) {
        diagnostics.report(
          at: "exam.part_points.\(part.rawValue)",
          "\(part.rawValue) is declared as \(fmt(declared)) points but its sections add up to \(fmt(actual))",
          fix: "correct part_points.\(part.rawValue) or the \(part.rawValue) sections' points")
      }
    }
  }

  private func checkForms() {
    var seen: Set<String> = []
    for form in source.forms {
      if !seen.insert(form.id).inserted {
        diagnostics.report(
          at: form.path + ".id", "duplicate form id '\(form.id)'", fix: "name each form once (A, B, …)")
      }
      for (sectionId, order) in form.itemOrder.sorted(by: { $0.key < $1.key }) {
        let at = form.path + ".item_order." + sectionId
        guard let section = source.sections.first(where: { $0.id == sectionId }) else {
          diagnostics.report(
            at: at, "form '\(form.id)' orders section '\(sectionId)', which does not exist",
            fix: DidYouMean.hint(for: sectionId, among: source.sections.map(\.id)))
          continue
        }
        let expected = section.items.map(\.id)
        if order.sorted() != expected.sorted() {
          let missing = expected.filter { !order.contains($0) }
          let extra = order.filter { !expected.contains($0) }
          var parts: [String] = []
          if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
          if !extra.isEmpty { parts.append("not in the section: \(extra.joined(separator: ", "))") }
          if parts.isEmpty { parts.append("an item is listed twice") }
          diagnostics.report(
            at: at,
            "form '\(form.id)' order for section '\(sectionId)' is not a reordering of its items (\(parts.joined(separator: "; ")))",
            fix: "list each of the section's items exactly once: \(expected.joined(separator: ", "))")
        }
      }
    }
  }

  private func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }
  private func fmt(_ value: Double) -> String { NumberText.plain(value) }
}

/// Timing checks, run once media lengths are known: each prompt fits its prompt time, each section fits its limit.
enum TimingChecks {
  static func run(_ pack: ValidatedPack, _ diagnostics: PackDiagnostics) {
    for section in pack.source.sections {
      for item in section.items {
        guard let explicit = item.promptSeconds else { continue }
        var audio: Double?
        if let file = item.promptAudio, let seconds = pack.audioSeconds[file] { audio = seconds * Double(item.plays) }
        if let id = item.passage, let passage = section.passages.first(where: { $0.id == id }),
          let seconds = pack.audioSeconds[passage.audio]
        {
          audio = seconds * Double(passage.plays)
        }
        if let audio, explicit + 1e-9 < audio {
          diagnostics.report(
            at: item.path + ".prompt_seconds",
            "prompt_seconds \(NumberText.plain(explicit)) is shorter than the prompt audio played (\(String(format1: audio)) s)",
            fix:
              "raise prompt_seconds to at least \(String(format1: ValidatedPack.tenths(audio))) or remove it to use the audio's length"
          )
        }
      }
      let needed = pack.requiredSeconds(of: section)
      if needed > section.timeLimitSeconds + 1e-9 {
        diagnostics.report(
          at: section.path + ".time_limit_seconds",
          "section '\(section.id)' needs \(String(format1: needed)) s (prompts + preparation + answer windows) but its limit is \(NumberText.plain(section.timeLimitSeconds)) s",
          fix: "raise time_limit_seconds to at least \(Int(needed.rounded(.up))) or shorten the items' windows")
      }
    }
  }
}
