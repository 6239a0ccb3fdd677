import ExamCore

/// A readable summary of an opened pack for `exam pack inspect`: sections, items, points and durations.
public struct PackSummary: Sendable, Codable, Equatable {
  public struct Item: Sendable, Codable, Equatable {
    public var id: String
    public var type: String
    public var points: Double
    /// Seconds the prompt plays before answering.
    public var promptSeconds: Double?
    public var preparationSeconds: Double
    public var minAnswerSeconds: Double?
    public var maxAnswerSeconds: Double?
    public var answerKey: String?
    public var passage: String?
    /// Media files the item uses.
    public var media: [String]
    public var rubric: [String]
  }

  public struct Section: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var part: String
    public var points: Double
    public var timeLimitSeconds: Double
    /// Prompts + preparation + answer windows, seconds.
    public var requiredSeconds: Double
    public var items: [Item]
  }

  public var verification: PackVerification
  public var examId: String
  public var title: String
  public var totalPoints: Double
  public var partPoints: [String: Double]
  public var forms: [PackForm]
  public var sections: [Section]

  public init(_ opened: OpenedPack) {
    let pack = opened.pack
    verification = opened.verification
    examId = pack.source.examId
    title = pack.source.title
    totalPoints = pack.source.totalPoints
    var parts: [String: Double] = [:]
    for section in pack.source.sections { parts[section.part.rawValue, default: 0] += section.points }
    partPoints = parts
    forms = pack.source.forms
    sections = pack.source.sections.map { section in
      Section(
        id: section.id, title: section.title, part: section.part.rawValue, points: section.points,
        timeLimitSeconds: section.timeLimitSeconds, requiredSeconds: pack.requiredSeconds(of: section),
        items: section.items.map { item in
          Item(
            id: item.id, type: item.type.rawValue, points: item.points,
            promptSeconds: pack.promptSeconds(of: item, in: section), preparationSeconds: item.preparationSeconds,
            minAnswerSeconds: item.minAnswerSeconds, maxAnswerSeconds: item.maxAnswerSeconds, answerKey: item.answer,
            passage: item.passage, media: item.mediaReferences.map(\.file),
            rubric: item.rubric?.criteria.map { "\($0.name) \(NumberText.plain($0.points))" } ?? [])
        })
    }
  }

  /// The summary as aligned text lines.
  public var text: String {
    func f(_ value: Double) -> String { NumberText.plain(value) }
    let itemCount = sections.reduce(0) { $0 + $1.items.count }
    var lines: [String] = []
    lines.append("\(examId)  \(title)")
    let parts = partPoints.sorted { $0.key < $1.key }.map { "\($0.key) \(f($0.value))" }.joined(separator: ", ")
    lines.append(
      "  \(f(totalPoints)) points (\(parts)), \(sections.count) sections, \(itemCount) items, "
        + "\(forms.count) form\(forms.count == 1 ? "" : "s") (\(forms.map(\.id).joined(separator: ", ")))")
    let v = verification
    let signer =
      v.signer.map { "signed by \($0)\(v.signerTrusted ? " (trusted key)" : " (not checked against a trusted key)")" }
      ?? "unsigned"
    lines.append(
      "  pack sha256 \(v.packSha256.prefix(16))…, \(v.fileCount) files, \(v.contentBytes) bytes, \(signer)"
        + (v.encrypted ? ", encrypted" : ""))
    for form in forms where !form.itemOrder.isEmpty {
      let orders = form.itemOrder.sorted { $0.key < $1.key }.map { "\($0.key) as \($0.value.joined(separator: " "))" }
      lines.append("  form \(form.id): " + orders.joined(separator: "; "))
    }
    for section in sections {
      lines.append("")
      lines.append(
        "\(pad(section.id, 4)) \(section.title) — \(section.part), \(f(section.points)) point\(section.points == 1 ? "" : "s"), "
          + "\(String(format1: section.requiredSeconds)) s of \(f(section.timeLimitSeconds)) s")
      for item in section.items {
        var cols = ["  " + pad(item.id, 6), pad(item.type, 15), pad(f(item.points) + " pt", 7)]
        cols.append(pad(item.promptSeconds.map { "prompt \(String(format1: $0)) s" } ?? "", 17))
        cols.append(pad(item.preparationSeconds > 0 ? "prep \(f(item.preparationSeconds)) s" : "", 11))
        let window: String
        switch (item.minAnswerSeconds, item.maxAnswerSeconds) {
        case (let lo?, let hi?): window = "answer \(f(lo))–\(f(hi)) s"
        case (nil, let hi?): window = "answer ≤\(f(hi)) s"
        default: window = ""
        }
        cols.append(pad(window, 18))
        if let key = item.answerKey { cols.append("key \(key)") }
        if !item.rubric.isEmpty { cols.append(item.rubric.joined(separator: ", ")) }
        lines.append(cols.joined(separator: " ").trimmingTrailingSpaces())
      }
    }
    return lines.joined(separator: "\n")
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
