import ExamCore

extension ValidatedPack {
  /// The exam as scoring, ingest and proctoring see it.
  /// - Parameters:
  ///   - packSha256: SHA-256 of the built `.exampack` file.
  ///   - referenceAudioSha256: item id → content-store SHA-256 of its 16 kHz FLAC reference reading.
  public func examDefinition(packSha256: String, referenceAudioSha256: [String: String] = [:]) -> ExamDefinition {
    let sections = source.sections.map { section in
      SectionDefinition(
        id: section.id, title: section.title, part: section.part, points: section.points,
        items: section.items.map { item in
          ItemDefinition(
            id: item.id, type: item.type, points: item.points, promptText: Self.promptText(of: item),
            referenceText: item.referenceText, referenceAudioSha256: referenceAudioSha256[item.id],
            answerKey: item.answer, promptSeconds: promptSeconds(of: item, in: section),
            minAnswerSeconds: item.minAnswerSeconds, maxAnswerSeconds: item.maxAnswerSeconds, rubric: item.rubric)
        })
    }
    return ExamDefinition(
      id: source.examId, title: source.title, formCount: source.forms.count, sections: sections,
      packSha256: packSha256)
  }

  /// What the candidate reads: the prompt text, or a choice item's question followed by its options.
  static func promptText(of item: PackItem) -> String? {
    guard item.type == .choice, let question = item.question else { return item.promptText }
    let options = item.options.map { "\($0.key). \($0.text)" }
    return ([item.promptText, question].compactMap { $0 } + options).joined(separator: "\n")
  }
}
