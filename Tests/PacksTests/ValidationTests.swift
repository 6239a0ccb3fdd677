import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import Packs

/// One broken pack and the error it must produce.
struct BrokenPack: Sendable, CustomTestStringConvertible {
  let name: String
  let old: String
  let new: String
  /// Applied after the folder is written (e.g. replace a media file with garbage).
  var damage: (@Sendable (PackFixture) throws -> Void)? = nil
  let code: ExamError.Code
  /// The key path the error names (its location starts with this).
  let location: String
  /// A fragment of the message.
  let message: String
  /// A fragment of the fix.
  var fix: String = ""
  var testDescription: String { name }
}

@Suite struct ValidationTests {
  @Test func theFixtureIsValid() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = try PackValidator.validate(directory: fixture.path)
    #expect(pack.files == ["audio/LA1.flac", "audio/SA1.flac", "pack.yaml", "pictures/p.svg"])
    let exam = pack.examDefinition(packSha256: "x")
    #expect(exam.totalPoints == 3)
    #expect(exam.formCount == 2)
    #expect(exam.item("LA1")?.answerKey == "B")
    #expect(exam.item("LA1")?.promptSeconds == 4.0)
    #expect(exam.item("LA1")?.promptText == "Where is Tom?\nA. Here.\nB. There.")
    #expect(exam.item("SA1")?.rubric?.criteria.count == 2)
    #expect(exam.item("SA1")?.minAnswerSeconds == 1)
    #expect(pack.requiredSeconds(of: pack.source.sections[1]) == 35)
    #expect(pack.unreferencedFiles.isEmpty)
    try "x".write(toFile: fixture.file("notes.txt"), atomically: true, encoding: .utf8)
    #expect(try PackValidator.validate(directory: fixture.path).unreferencedFiles == ["notes.txt"])
  }

  static let cases: [BrokenPack] = [
    BrokenPack(
      name: "unknown key with a suggestion", old: "prompt_audio: audio/LA1.flac", new: "prompt_adio: audio/LA1.flac",
      code: .invalidInput, location: "sections[0].items[0].prompt_adio",
      message: "unknown key 'prompt_adio' in an item",
      fix: "did you mean 'prompt_audio'?"),
    BrokenPack(
      name: "unknown key far from any", old: "  title: Test paper", new: "  title: Test paper\n  colour: blue",
      code: .invalidInput, location: "exam.colour", message: "unknown key 'colour'", fix: "allowed: id, title"),
    BrokenPack(
      name: "missing media", old: "reference_audio: audio/SA1.flac", new: "reference_audio: audio/SA2.flac",
      code: .notFound, location: "sections[1].items[0].reference_audio",
      message: "media file 'audio/SA2.flac' does not exist",
      fix: "did you mean 'audio/SA1.flac'?"),
    BrokenPack(
      name: "duplicate item id", old: "- id: SB1", new: "- id: SA1",
      code: .invalidInput, location: "sections[1].items[1].id",
      message: "duplicate item id 'SA1' (also at sections[1].items[0])"),
    BrokenPack(
      name: "media unreadable by libsndfile", old: "", new: "",
      damage: { try "not audio".write(toFile: $0.file("audio/LA1.flac"), atomically: true, encoding: .utf8) },
      code: .unsupportedFormat, location: "sections[0].items[0].prompt_audio",
      message: "'audio/LA1.flac' cannot be read as audio by libsndfile", fix: "convert it to FLAC or WAV"),
    BrokenPack(
      name: "picture that is not one", old: "", new: "",
      damage: { try "hello".write(toFile: $0.file("pictures/p.svg"), atomically: true, encoding: .utf8) },
      code: .unsupportedFormat, location: "sections[1].items[1].picture", message: "is not a valid SVG picture"),
    BrokenPack(
      name: "section points differ from items", old: "    points: 2\n    time_limit_seconds: 60",
      new: "    points: 2.5\n    time_limit_seconds: 60",
      code: .invalidInput, location: "sections[1].points",
      message: "section 'SP' is worth 2.5 points but its items add up to 2"),
    BrokenPack(
      name: "paper total differs from sections", old: "total_points: 3", new: "total_points: 4",
      code: .invalidInput, location: "exam.total_points",
      message: "the paper is worth 4 points but its sections add up to 3",
      fix: "set total_points: 3"),
    BrokenPack(
      name: "part total differs", old: "{listening: 1, speaking: 2}", new: "{listening: 1, speaking: 3}",
      code: .invalidInput, location: "exam.part_points.speaking", message: "speaking is declared as 3 points"),
    BrokenPack(
      name: "criteria differ from item points", old: "{name: fluency, points: 0.5}",
      new: "{name: fluency, points: 0.75}",
      code: .invalidInput, location: "sections[1].items[0].rubric.criteria",
      message: "the criteria add up to 1.25 points"),
    BrokenPack(
      name: "section does not fit its time", old: "time_limit_seconds: 60", new: "time_limit_seconds: 20",
      code: .invalidInput, location: "sections[1].time_limit_seconds", message: "section 'SP' needs 35.0 s",
      fix: "raise time_limit_seconds to at least 35"),
    BrokenPack(
      name: "prompt time shorter than its audio", old: "    plays: 2\n",
      new: "    plays: 2\n        prompt_seconds: 3\n",
      code: .invalidInput, location: "sections[0].items[0].prompt_seconds",
      message: "shorter than the prompt audio played (4.0 s)"),
    BrokenPack(
      name: "answer window upside down", old: "min_answer_seconds: 2", new: "min_answer_seconds: 30",
      code: .invalidInput, location: "sections[1].items[1].min_answer_seconds",
      message: "min_answer_seconds 30 is more than max_answer_seconds 20"),
    BrokenPack(
      name: "answer not among options", old: "answer: B", new: "answer: C",
      code: .invalidInput, location: "sections[0].items[0].answer", message: "answer 'C' is not one of the options A, B"
    ),
    BrokenPack(
      name: "item type misspelt", old: "type: picture-talk", new: "type: picture-tlak",
      code: .invalidInput, location: "sections[1].items[1].type", message: "'picture-tlak' is not a valid type",
      fix: "did you mean 'picture-talk'?"),
    BrokenPack(
      name: "media path escaping the folder", old: "picture: pictures/p.svg", new: "picture: ../p.svg",
      code: .invalidInput, location: "sections[1].items[1].picture",
      message: "'../p.svg' is not a path inside the pack folder"),
    BrokenPack(
      name: "required key missing", old: "  title: Test paper\n", new: "",
      code: .invalidInput, location: "exam.title", message: "required key 'title' is missing"),
    BrokenPack(
      name: "read-aloud item without reference audio", old: "        reference_audio: audio/SA1.flac\n", new: "",
      code: .invalidInput, location: "sections[1].items[0].reference_audio",
      message: "a read-sentence item needs 'reference_audio'"),
    BrokenPack(
      name: "number that is not one", old: "max_answer_seconds: 8", new: "max_answer_seconds: eight",
      code: .invalidInput, location: "sections[0].items[0].max_answer_seconds", message: "must be a number"),
    BrokenPack(
      name: "form order not a reordering", old: "{SP: [SB1, SA1]}", new: "{SP: [SB1, SB1]}",
      code: .invalidInput, location: "exam.forms[1].item_order.SP",
      message: "is not a reordering of its items (missing SA1)"),
    BrokenPack(
      name: "spoken item in a listening section", old: "type: choice", new: "type: situational",
      code: .invalidInput, location: "sections[0].items[0].type",
      message: "a situational item cannot be in the listening section 'LA'"),
    BrokenPack(
      name: "show_machine_mark that is not true or false", old: "tolerance: 0.5\n      - id: SB1",
      new: "tolerance: 0.5\n          show_machine_mark: sometimes\n      - id: SB1",
      code: .invalidInput, location: "sections[1].items[0].rubric.show_machine_mark",
      message: "'sometimes' is not a valid show_machine_mark"),
    BrokenPack(
      name: "YAML syntax error", old: "{A: Here., B: There.}", new: "{A: Here., B: There.",
      code: .invalidInput, location: "line ", message: "is not valid YAML"),
    BrokenPack(
      name: "YAML nested 5,000 deep", old: "{A: Here., B: There.}",
      new: String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
      code: .invalidInput, location: "line ", message: "nests deeper than 64 levels"),
  ]

  @Test(arguments: cases)
  func reportsEachProblem(_ c: BrokenPack) throws {
    let fixture = c.old.isEmpty ? try PackFixture() : try PackFixture.replacing(c.old, with: c.new)
    defer { fixture.remove() }
    try c.damage?(fixture)
    let errors = #expect(throws: ExamErrors.self) { try PackValidator.validate(directory: fixture.path) }
    let match = errors?.errors.first { ($0.location ?? "").hasPrefix(c.location) && $0.message.contains(c.message) }
    #expect(match != nil, "no error at \(c.location) containing \(c.message); got:\n\(errors?.description ?? "")")
    #expect(match?.code == c.code)
    #expect(match?.file == fixture.path + "/pack.yaml")
    #expect(match?.fix?.isEmpty == false, "every error says how to fix it")
    #expect(c.fix.isEmpty || match?.fix?.contains(c.fix) == true, "fix was \(match?.fix ?? "nil")")
  }

  @Test func aRubricMayShowRatersTheMachineMark() throws {
    let fixture = try PackFixture.replacing(
      "tolerance: 0.5}", with: "tolerance: 0.5, show_machine_mark: true}")
    defer { fixture.remove() }
    let exam = try PackValidator.validate(directory: fixture.path).examDefinition(packSha256: "x")
    #expect(exam.item("SB1")?.rubric?.showMachineMark == true)
    #expect(exam.item("SA1")?.rubric?.showMachineMark == false)  // not said: blind marking
    // Stored definitions keep it, and rubrics without it encode as before.
    let decoded = try JSONDecoder().decode(ExamDefinition.self, from: try JSONEncoder().encode(exam))
    #expect(decoded == exam)
    let blind = String(decoding: try JSONEncoder().encode(exam.item("SA1")?.rubric), as: UTF8.self)
    #expect(!blind.contains("showMachineMark"))
  }

  @Test func reportsEveryProblemAtOnce() throws {
    let text = PackFixture.yaml.replacingOccurrences(of: "answer: B", with: "answer: C")
      .replacingOccurrences(of: "total_points: 3", with: "total_points: 4")
      .replacingOccurrences(of: "prompt_audio: audio/LA1.flac", with: "prompt_audio: audio/nothing.flac")
    let fixture = try PackFixture(yaml: text)
    defer { fixture.remove() }
    let errors = #expect(throws: ExamErrors.self) { try PackValidator.validate(directory: fixture.path) }
    let locations = Set(errors?.errors.compactMap(\.location) ?? [])
    #expect(locations.contains("sections[0].items[0].answer"))
    #expect(locations.contains("exam.total_points"))
    #expect(locations.contains("sections[0].items[0].prompt_audio"))
  }

  @Test func lineNumbersPointAtTheKey() throws {
    let fixture = try PackFixture.replacing("answer: B", with: "answer: B\n        colour: red")
    defer { fixture.remove() }
    let errors = #expect(throws: ExamErrors.self) { try PackValidator.validate(directory: fixture.path) }
    let line = PackFixture.yaml.components(separatedBy: "\n").firstIndex { $0.contains("answer: B") }! + 2
    #expect(errors?.errors.first?.location == "sections[0].items[0].colour (line \(line))")
  }

  @Test func refusesSymbolicLinksInTheFolder() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    try FileManager.default.createSymbolicLink(
      atPath: fixture.file("audio/link.flac"), withDestinationPath: "/etc/passwd")
    let errors = #expect(throws: ExamErrors.self) { try PackValidator.validate(directory: fixture.path) }
    #expect(errors?.errors.contains { $0.message.contains("'audio/link.flac', a symbolic link") } == true)
  }

  @Test func suggestsCloseWords() {
    #expect(DidYouMean.suggestion(for: "refrence_audio", among: PackSchema.item) == "reference_audio")
    #expect(DidYouMean.suggestion(for: "colour", among: PackSchema.item) == nil)
    #expect(DidYouMean.editDistance("kitten", "sitting") == 3)
  }
}

@Suite struct HostileSourceTests {
  @Test func aliasesCannotMultiplyItemsWithoutBound() throws {
    // One section repeated through YAML aliases: 101 sections from a few lines.
    let many = Array(repeating: "*s", count: 101).joined(separator: ", ")
    let yaml = """
      format: examkit-pack/1
      exam: {id: X, title: X, total_points: 1}
      defs:
        - &s {id: S, title: S, part: speaking, points: 1, time_limit_seconds: 10, items: []}
      sections: [\(many)]
      """
    let fixture = try PackFixture(yaml: yaml)
    defer { fixture.remove() }
    let errors = #expect(throws: ExamErrors.self) { try PackValidator.validate(directory: fixture.path) }
    #expect(errors?.errors.contains { $0.message.contains("more than 100") } == true)
  }
}
