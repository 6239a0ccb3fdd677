import ExamCore

/// Small, valid entities for tests of modules that need an exam, candidates and seats in the store.
public enum SampleData {

  /// A two-section exam: one listening choice item (key B) and one read-aloud sentence.
  public static func exam(id: String = "E1", packSha256: String = String(repeating: "a", count: 64)) -> ExamDefinition {
    ExamDefinition(
      id: id, title: "Sample", formCount: 2,
      sections: [
        SectionDefinition(
          id: "LA", title: "Listening A", part: .listening, points: 1,
          items: [
            ItemDefinition(
              id: "LA1", type: .choice, points: 1, promptText: "Where is Tom?", answerKey: "B", promptSeconds: 8)
          ]),
        SectionDefinition(
          id: "SA", title: "Read a sentence", part: .speaking, points: 1,
          items: [
            ItemDefinition(
              id: "SA1", type: .readSentence, points: 1, referenceText: "We call it bear.",
              minAnswerSeconds: 0.5, maxAnswerSeconds: 20,
              rubric: Rubric(
                criteria: [.init(name: "pronunciation", points: 0.5), .init(name: "fluency", points: 0.5)],
                tolerance: 0.5))
          ]),
      ], packSha256: packSha256)
  }

  public static func candidate(_ n: Int, school: String = "S1", district: String = "D1") -> Candidate {
    Candidate(id: "C\(n)", name: "Candidate \(n)", nationalId: "ID\(n)", school: school, district: district)
  }

  /// One centre with one 2×3 room whose last seat is a reserve.
  public static func centre(id: String = "T1", district: String = "D1") -> Centre {
    var seats: [Seat] = []
    for row in 1...2 {
      for column in 1...3 {
        seats.append(Seat(id: "\(row)-\(column)", row: row, column: column, reserve: row == 2 && column == 3))
      }
    }
    return Centre(
      id: id, name: "Centre \(id)", district: district,
      rooms: [Room(id: "R1", accessible: true, rows: 2, columns: 3, seats: seats)])
  }

  public static let session = ExamSession(id: "AM", date: "2026-06-14", start: "08:30", end: "10:00")
}
