import ArgumentParser
import ExamCLI
import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Allocation

/// Runs `exam …` in-process.
func exam(_ arguments: [String]) async throws {
  var command = try ExamCommand.parseAsRoot(arguments)
  if var a = command as? AsyncParsableCommand { try await a.run() } else { try command.run() }
}

let samplePack = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("ExamPacks/sample-sitting").path

@Suite struct CommandWorkflowTests {
  /// A store with the sample exam (two forms), the sample roster and the sample centres.
  static func sampleStore(_ dir: TemporaryDirectory) async throws -> String {
    let db = dir.file("exam.sqlite")
    try await exam(["init", "--db", db, "--quiet"])
    _ = try ExamDatabase(path: db).importExam(SampleData.exam(id: "SH-2026-EL"), audit: auditLine("exam"))
    try await exam(["candidates", "import", "\(samplePack)/roster.csv", "--db", db])
    try await exam(["centres", "import", "\(samplePack)/centres.yaml", "--db", db])
    return db
  }

  /// `exam allocate --exact` on the sample sitting: the program proves its trips optimal for the centre-session
  /// model, the plan keeps every rule and has no more trips than the search alone, and the audit line says --exact;
  /// then `--tight-bound`.
  @Test func exactAllocationProvesTheSampleSittingsTrips() async throws {
    try await withTemporaryDirectory { dir in
      let db = try await Self.sampleStore(dir)
      let database = try ExamDatabase(path: db)
      let service = RoomsService(database: database)
      let searched = try await service.allocate(examId: "SH-2026-EL", seed: 7) { auditLine($0) }
      try await exam(["allocate", "--exam", "SH-2026-EL", "--seed", "7", "--exact", "--db", db])
      #expect(try database.auditTrail().last?.arguments.contains("--exact") == true)
      let quality = try await service.quality(examId: "SH-2026-EL")
      #expect(quality.violations == [:])
      #expect(quality.placed == 96)
      #expect(quality.sameSchoolNeighbours == 0)
      #expect(quality.schoolTrips <= searched.quality.schoolTrips)
      let exact = try await service.allocate(
        examId: "SH-2026-EL", seed: 7, exact: ExactLimits(maximumNodes: 1000, maximumSeconds: 60)
      ) { auditLine($0) }
      let report = try #require(exact.quality.exactTrips)
      #expect(report.provenOptimal)
      #expect(report.trips == report.bound)
      #expect(report.bound <= report.searchTrips)
      #expect(throws: (any Error).self) {
        _ = try ExamCommand.parseAsRoot(["allocate", "--exact", "--exact-seconds", "0", "--db", db])
      }
      // The column-generation bound: in the report (by default at this size, and with --tight-bound), between the
      // per-school bound and the plan; left out when the planner is told not to compute it.
      try await exam(["allocate", "--exam", "SH-2026-EL", "--seed", "7", "--tight-bound", "--db", db])
      #expect(try database.auditTrail().last?.arguments.contains("--tight-bound") == true)
      let tight = try await service.quality(examId: "SH-2026-EL")
      let bound = try #require(tight.schoolTripsColumnGenerationLowerBound)
      #expect(bound >= tight.schoolTripsWithoutNeighboursLowerBound)
      #expect(bound <= tight.schoolTrips)
      let without = try await service.allocate(examId: "SH-2026-EL", seed: 7, columnGenerationBound: false) {
        auditLine($0)
      }
      #expect(without.quality.schoolTripsColumnGenerationLowerBound == nil)
    }
  }

  @Test func sampleSittingAllocatesExportsAndReseats() async throws {
    try await withTemporaryDirectory { dir in
      let db = try await Self.sampleStore(dir)
      let database = try ExamDatabase(path: db)
      #expect(try database.candidates().count == 96)
      #expect(try database.centres().count == 3)
      try await exam(["allocate", "--exam", "SH-2026-EL", "--seed", "7", "--db", db])
      let quality = try await RoomsService(database: database).quality(examId: "SH-2026-EL")
      #expect(quality.violations == [:])
      #expect(quality.placed == 96)
      #expect(quality.sameFormNeighbours == 0)
      // Separate-room candidate alone; accessible ones in accessible rooms (checked by the checker too).
      let plan = try database.allocation(examId: "SH-2026-EL")
      let separate = plan.first { $0.candidateId == "2026010040" }!
      #expect(
        plan.filter {
          $0.sessionId == separate.sessionId && $0.centreId == separate.centreId && $0.roomId == separate.roomId
        }.count == 1)

      try await exam(["allocate", "export", "--format", "all", "--out", dir.file("plans"), "--db", db])
      let seats = try String(contentsOfFile: dir.file("plans/seats.csv"), encoding: .utf8)
      let lines = seats.split(separator: "\n")
      #expect(lines.first == "session,centre,room,seat,row,col,candidate,school,district,form")
      #expect(lines.count == 97)
      let tickets = try String(contentsOfFile: dir.file("plans/tickets.csv"), encoding: .utf8)
      #expect(tickets.contains("上海市徐汇区天平路200号"))
      let roomFile = "plans/rooms/\(separate.sessionId)/\(separate.centreId)-\(separate.roomId).html"
      let html = try String(contentsOfFile: dir.file(roomFile), encoding: .utf8)
      #expect(html.contains("2026010040"))
      #expect(
        FileManager.default.fileExists(
          atPath: dir.file("plans/doors/\(separate.sessionId)/\(separate.centreId)-\(separate.roomId).csv")))

      // Reseat someone in a shared room: only they move, onto a reserve seat of the same room.
      let victim = plan.first { a in a.candidateId != "2026010040" }!
      try await exam([
        "allocate", "reseat", "--session", victim.sessionId, "--centre", victim.centreId, "--room",
        victim.roomId, "--seat", victim.seatId, "--reason", "screen dead", "--db", db,
      ])
      let after = try database.allocation(examId: "SH-2026-EL")
      let moved = after.first { $0.candidateId == victim.candidateId }!
      #expect(moved.roomId == victim.roomId && moved.seatId != victim.seatId)
      let room = try database.centres().first { $0.id == victim.centreId }!.rooms.first { $0.id == victim.roomId }!
      #expect(room.seats.first { $0.id == moved.seatId }!.reserve)
      #expect(
        Set(after.filter { $0.candidateId != victim.candidateId })
          == Set(plan.filter { $0.candidateId != victim.candidateId }))
      #expect(try database.auditTrail().last?.command == "allocate reseat")
      try await exam(["allocate", "show", "--candidate", victim.candidateId, "--db", db])
    }
  }

  @Test func exportsArePrivateToTheirOwner() async throws {
    // #17 class 16: seat plans, door lists and tickets hold names and addresses: folders 0700, files 0600 from
    // their creation (PrivateOutputFile, as records exports).
    try await withTemporaryDirectory { dir in
      let db = try await Self.sampleStore(dir)
      try await exam(["allocate", "--exam", "SH-2026-EL", "--seed", "7", "--db", db])
      let out = dir.file("plans")
      try await exam(["allocate", "export", "--format", "all", "--out", out, "--db", db])
      #expect(try FileManager.default.subpathsOfDirectory(atPath: out).count > 10)
      #expect(pathsNotOwnerOnly(out) == [])
      // A file an earlier version left world-readable is replaced by a private one.
      #expect(chmod(out + "/tickets.csv", 0o644) == 0)
      try await exam(["allocate", "export", "--out", out, "--db", db])
      #expect(pathsNotOwnerOnly(out) == [])
    }
  }

  @Test func sameSeedGivesTheSameFilesByteForByte() async throws {
    try await withTemporaryDirectory { dir in
      let db = try await Self.sampleStore(dir)
      var outputs: [[UInt8]] = []
      for (n, seed) in ["5", "5", "6"].enumerated() {
        try await exam(["allocate", "--exam", "SH-2026-EL", "--seed", seed, "--db", db])
        try await exam(["allocate", "export", "--out", dir.file("out\(n)"), "--db", db])
        outputs.append(Array(FileManager.default.contents(atPath: dir.file("out\(n)/seats.csv"))!))
      }
      #expect(outputs[0] == outputs[1])
      #expect(outputs[0] != outputs[2])
      // Exporting a different plan into the same folder leaves only that plan's sheets.
      try await exam(["allocate", "export", "--out", dir.file("out0"), "--db", db])
      let sheets = try FileManager.default.subpathsOfDirectory(atPath: dir.file("out0/rooms")).filter {
        $0.hasSuffix(".csv")
      }
      let plan = try ExamDatabase(path: db).allocation(examId: "SH-2026-EL")
      #expect(Set(sheets) == Set(plan.map { "\($0.sessionId)/\($0.centreId)-\($0.roomId).csv" }))
    }
  }
}

@Suite struct RoomsCommandMessageTests {
  struct BadInput: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(arguments: [
    BadInput(
      arguments: ["allocate", "reseat", "--session", "AM"], message: "Give --room, --seat, --reason (or --list)."),
    BadInput(
      arguments: ["allocate", "export", "--format", "pdf", "--out", "x"],
      message: "The value 'pdf' is invalid for '--format <format>'"),
    BadInput(arguments: ["allocate", "--seed", "x"], message: "The value 'x' is invalid for '--seed <seed>'"),
    BadInput(
      arguments: ["allocate", "--time-limit=-1"], message: "'--time-limit' must be 0 or more seconds (got -1.0)."),
    BadInput(arguments: ["allocate", "--guide-rounds=-2"], message: "'--guide-rounds' must be 0 or more (got -2)."),
    BadInput(arguments: ["candidates", "import"], message: "Missing expected argument '<file>'"),
  ])
  func rejectsBadInput(_ c: BadInput) {
    do {
      _ = try ExamCommand.parseAsRoot(c.arguments)
      Issue.record("accepted \(c.arguments)")
    } catch {
      #expect(ExamCommand.message(for: error).hasPrefix(c.message))
    }
  }

  @Test func centresCanBeImportedAgainAfterAllocation() async throws {
    try await withTemporaryDirectory { dir in
      let db = try await CommandWorkflowTests.sampleStore(dir)
      try await exam(["allocate", "--exam", "SH-2026-EL", "--db", db])
      let trail = try ExamDatabase(path: db).auditTrail().count
      try await exam(["centres", "import", "\(samplePack)/centres.yaml", "--db", db])
      #expect(try ExamDatabase(path: db).auditTrail().count == trail)  // the same file changes nothing
      // A new centre: the store changes, the allocation (all seats kept) stays.
      let bigger =
        try String(contentsOfFile: "\(samplePack)/centres.yaml", encoding: .utf8)
        + "  - {id: MH02, name: 新考点, district: 闵行区, rooms: [{id: N1, grid: {rows: 2, columns: 3}}]}\n"
      try bigger.write(toFile: dir.file("bigger.yaml"), atomically: true, encoding: .utf8)
      try await exam(["centres", "import", dir.file("bigger.yaml"), "--db", db])
      let database = try ExamDatabase(path: db)
      #expect(try database.centres().count == 4)
      #expect(try database.allocation(examId: "SH-2026-EL").count == 96)
      #expect(try database.auditTrail().count == trail + 1)
    }
  }
}
