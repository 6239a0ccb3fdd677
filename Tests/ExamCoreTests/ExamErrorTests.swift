import ExamCore
import Testing

@Suite struct ExamErrorTests {
  @Test func rendersFileWhereWhatAndFix() {
    let error = ExamError(
      .invalidInput, file: "roster.csv", location: "line 7, column national_id",
      "'11010519491231002X' has a wrong check digit", fix: "correct the national ID")
    #expect(
      error.description
        == "roster.csv: line 7, column national_id: '11010519491231002X' has a wrong check digit — correct the national ID"
    )
    #expect(error.exitCode == 65)
    #expect(ExamError(.usage, "x").exitCode == 64)
    #expect(ExamError(.io, "x").exitCode == 1)
  }

  @Test func parsesAndFormatsTimestamps() {
    #expect(Timestamp.parse("1970-01-01T00:00:00Z") == 0)
    #expect(Timestamp.parse("2026-06-14T08:30:00+08:00") == Timestamp.parse("2026-06-14T00:30:00Z"))
    #expect(Timestamp.parse("2026-06-14T00:30:00.5Z")! - Timestamp.parse("2026-06-14T00:30:00Z")! == 0.5)
    #expect(Timestamp.parse("2026-13-01T00:00:00Z") == nil)
    #expect(Timestamp.parse("yesterday") == nil)
    let t = Timestamp.parse("2026-06-14T08:30:05Z")!
    #expect(Timestamp.format(epochSeconds: Int(t)) == "2026-06-14T08:30:05Z")
  }
}
