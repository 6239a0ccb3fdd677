import ExamCore

/// The rows an exam definition is stored as — `exam`, its `section`s and `item`s — the same in both backends
/// (`ExamDatabase.importExam`, `PostgresStore.publishForScoring`).
struct ExamRows {
  struct Section {
    var id: String
    var position: Int
    var title: String
    var part: String
    var points: Double
  }

  struct Item {
    var id: String
    var sectionId: String
    var position: Int
    var type: String
    var points: Double
    var promptText: String?
    var referenceText: String?
    var referenceAudioSha256: String?
    var answerKey: String?
    var promptSeconds: Double?
    var minAnswerSeconds: Double?
    var maxAnswerSeconds: Double?
    var rubricJSON: String?
  }

  var exam: ExamDefinition
  /// The validated definition as JSON (`exam.definitionJSON`).
  var definitionJSON: String
  var sections: [Section] = []
  var items: [Item] = []

  /// - Throws: `ExamError.invalidInput` naming the exam when the definition cannot be encoded.
  init(_ exam: ExamDefinition) throws(ExamError) {
    self.exam = exam
    do {
      definitionJSON = String(decoding: try ExamDatabase.encoder.encode(exam), as: UTF8.self)
      for (s, section) in exam.sections.enumerated() {
        sections.append(
          Section(
            id: section.id, position: s, title: section.title, part: section.part.rawValue, points: section.points))
        for (i, item) in section.items.enumerated() {
          items.append(
            Item(
              id: item.id, sectionId: section.id, position: i, type: item.type.rawValue, points: item.points,
              promptText: item.promptText, referenceText: item.referenceText,
              referenceAudioSha256: item.referenceAudioSha256, answerKey: item.answerKey,
              promptSeconds: item.promptSeconds, minAnswerSeconds: item.minAnswerSeconds,
              maxAnswerSeconds: item.maxAnswerSeconds,
              rubricJSON: try item.rubric.map { String(decoding: try ExamDatabase.encoder.encode($0), as: UTF8.self) }))
        }
      }
    } catch {
      throw ExamError(
        .invalidInput, location: "exam \(exam.id)", "cannot encode the exam definition", underlying: "\(error)")
    }
  }
}
