import ExamCore
import Testing

@testable import Allocation

@Suite struct VenueFileTests {
  @Test func sampleCentresFileReads() throws {
    let venues = try VenueFile(path: samplePack + "/centres.yaml")
    #expect(venues.centres.map(\.id) == ["XH01", "CN01", "MH01"])
    #expect(venues.sessions.map(\.id) == ["D1-AM", "D1-PM"])
    let r101 = venues.centres[0].rooms[0]
    #expect(r101.accessible && r101.rows == 5 && r101.columns == 6 && r101.seats.count == 30)
    #expect(r101.seats.filter(\.reserve).map(\.id) == ["28", "29", "30"])  // default 10%
    #expect(venues.centres[0].rooms[1].seats.filter(\.reserve).map(\.id) == ["26", "27", "28"])
    let l201 = venues.centres[1].rooms[0]
    #expect(l201.seats.count == 20 && l201.seats[0].machineId == "CN01-L201-PC01")
    #expect(l201.seats.filter(\.reserve).map(\.id) == ["20"])
    #expect(venues.centres[1].rooms[1].seats.filter(\.reserve).count == 3)  // 24 seats → 10% rounded up
  }

  struct BadYAML: Sendable, CustomTestStringConvertible {
    let yaml: String
    let locations: [String]
    var testDescription: String { locations.joined(separator: "; ") }
  }

  static let head = """
    sessions:
      - {id: AM, date: 2026-06-14, start: "08:30", end: "10:00"}
    centres:
      - id: C1
        name: 考点
        district: 区1
        rooms:

    """

  @Test(arguments: [
    BadYAML(
      yaml: head + "      - {id: R1, grid: {rows: 0, columns: 5}}\n",
      locations: ["centres[0].rooms[0].grid.rows (line 8)"]),
    BadYAML(
      yaml: head + "      - {id: R1, grid: {rows: 2, columns: 5}, acessible: true}\n",
      locations: ["centres[0].rooms[0].acessible (line 8)"]),
    BadYAML(yaml: head + "      - {id: R1}\n", locations: ["centres[0].rooms[0] (line 8)"]),
    BadYAML(
      yaml: head + "      - {id: R1, grid: {rows: 2, columns: 2}, reserve: [\"09\"]}\n",
      locations: ["centres[0].rooms[0].reserve[0] (line 8)"]),
    BadYAML(
      yaml: head + "      - {id: R1, grid: {rows: 1, columns: 2}, reserve: 2}\n",
      locations: ["centres[0].rooms[0].reserve (line 8)"]),
    BadYAML(
      yaml: head
        + "      - id: R1\n        seats:\n          - {id: a, row: 1, col: 1}\n          - {id: a, row: 1, col: 1}\n",
      locations: ["centres[0].rooms[0].seats[1].id (line 11)", "centres[0].rooms[0].seats[1] (line 11)"]),
    BadYAML(
      yaml: head.replacingOccurrences(of: "2026-06-14", with: "2026-02-30")
        + "      - {id: R1, grid: {rows: 2, columns: 2}}\n", locations: ["sessions[0].date (line 2)"]),
    BadYAML(
      yaml: head.replacingOccurrences(of: "\"10:00\"", with: "\"08:00\"")
        + "      - {id: R1, grid: {rows: 2, columns: 2}}\n", locations: ["sessions[0].end (line 2)"]),
  ])
  func everyBadKeyIsReportedWithItsPath(_ c: BadYAML) {
    do {
      _ = try VenueFile(yaml: c.yaml, source: "c.yaml")
      Issue.record("accepted")
    } catch let errors as ExamErrors {
      #expect(errors.errors.map { $0.location ?? "" } == c.locations)
      #expect(errors.errors.allSatisfy { $0.code == .invalidInput && $0.file == "c.yaml" })
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func refusesYAMLNestedTooDeepBeforeParsingIt() {
    let yaml = "centres:\n" + (1...5_000).map { String(repeating: " ", count: $0) + "- a:" }.joined(separator: "\n")
    let error = #expect(throws: ExamError.self) { try VenueFile(yaml: yaml, source: "c.yaml") }
    #expect(error?.code == .invalidInput && error?.file == "c.yaml")
    #expect(error?.message.contains("nests deeper than 64 levels") == true)
  }
}
