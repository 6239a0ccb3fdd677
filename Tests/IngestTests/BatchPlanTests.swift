import ExamCore
import Testing
import _ExamTestSupport

@testable import Ingest

@Suite("Ingest: row checks")
struct BatchPlanTests {
  static func context(session: String?) -> BatchPlan.Context {
    BatchPlan.Context(
      exam: IngestFixture.exam(), centreId: "T1", sessionId: session, batchId: "b", folder: "/nowhere",
      files: ["a.wav", "b.wav"], refusedEarlier: [],
      allocation: [
        "C1": SeatAssignment(
          examId: "E1", candidateId: "C1", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: "1-1"),
        "C2": SeatAssignment(
          examId: "E1", candidateId: "C2", sessionId: "PM", centreId: "T1", roomId: "R1", seatId: "1-1"),
      ],
      storedKeys: [], storedChoices: [:])
  }

  static func row(_ line: Int, _ candidate: String, _ item: String, _ file: String) -> ManifestRow {
    ManifestRow(
      line: line, candidateId: candidate, itemId: item, file: file, seat: "1-1",
      recordedAt: "2026-06-14T09:00:00Z", sha256: String(repeating: "c", count: 64))
  }

  @Test func aCandidateOfAnotherSessionIsNotAllocatedWhenTheSessionIsGiven() {
    let rows = [Self.row(2, "C1", "SA1", "a.wav"), Self.row(3, "C2", "SA1", "b.wav")]
    let withSession = BatchPlan(manifest: rows, answers: [], context: Self.context(session: "AM"))
    #expect(withSession.jobs.map(\.row.candidateId) == ["C1"])
    #expect(withSession.refusals.map(\.reason) == [.notAllocated])
    #expect(withSession.refusals.first?.message.contains("session PM") == true)
    let anySession = BatchPlan(manifest: rows, answers: [], context: Self.context(session: nil))
    #expect(anySession.jobs.count == 2 && anySession.refusals.isEmpty)
  }

  @Test func oneFileCannotAnswerTwoRows() {
    let rows = [Self.row(2, "C1", "SA1", "a.wav"), Self.row(3, "C1", "SA2", "./a.wav")]
    let plan = BatchPlan(manifest: rows, answers: [], context: Self.context(session: nil))
    #expect(plan.jobs.count == 1)
    #expect(plan.refusals.map(\.reason) == [.duplicateRow, .unlistedFile])
  }
}
