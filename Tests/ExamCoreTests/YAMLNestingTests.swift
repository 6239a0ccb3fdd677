import ExamCore
import Testing

@Suite struct YAMLNestingTests {
  static let deepFlow = "a: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n"
  static let deepBlock = (0..<5_000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
  static let deepDashes = "items:\n  " + String(repeating: "- ", count: 5_000) + "x\n"

  @Test(arguments: [(deepFlow, 1), (deepBlock, 65), (deepDashes, 2)])
  func refusesDeepNestingNamingTheLine(_ c: (String, Int)) {
    #expect(YAMLNesting.firstLineDeeperThan(YAMLNesting.limit, in: c.0) == c.1)
    let error = #expect(throws: ExamError.self) { try YAMLNesting.check(c.0, file: "deep.yaml") }
    #expect(error?.code == .invalidInput && error?.location == "line \(c.1)" && error?.file == "deep.yaml")
  }

  @Test func acceptsOrdinaryFilesAndIgnoresBracketsInQuotesAndComments() {
    let text = """
      exam:
        id: "E[1"   # a comment with [[[[ brackets
        items:
          - {id: A1, choices: {A: 'x [', B: "y {"}}
          - - nested
            - list
      sessions: [{id: S1, rooms: [R1, R2]}]
      """
    #expect(YAMLNesting.firstLineDeeperThan(6, in: text) == nil)
    #expect(YAMLNesting.firstLineDeeperThan(2, in: text) == 4)
  }
}
