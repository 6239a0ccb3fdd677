import ExamCore
import ExamStorage
import Foundation

/// The Rooms workflow over the store: import a roster and centres, allocate, look up a seat. Commands are
/// thin wrappers over these methods.
public struct RoomsService: Sendable {
  public let database: any SittingStore
  public init(database: any SittingStore) { self.database = database }

  /// What a roster import did.
  public struct RosterOutcome: Sendable {
    public var summary: CandidateImportSummary
    public var encoding: TextDecoding.Encoding
    public var rows: Int
    /// Bad values of rows left out (only with `skipBad`): the first `RosterFile.maxErrorsKept`.
    public var skipped: [ExamError]
    /// Bad values in all, and the rows they are on.
    public var skippedCount: Int
    public var skippedRows: Int
  }

  /// Imports the roster at `path` in one transaction.
  /// - Parameter skipBad: import the good rows and return the bad ones; otherwise any bad row stops it all.
  /// - Throws: `ExamErrors` listing every bad value (nothing imported), or the store's conflict errors.
  public func importRoster(
    path: String, skipBad: Bool, latestBirthYear: Int,
    audit: (String) -> AuditEntry
  ) async throws -> RosterOutcome {
    let roster = try RosterFile(path: path, latestBirthYear: latestBirthYear)
    if roster.errorCount > 0 && !skipBad {
      var errors = roster.errors
      if roster.errorCount > errors.count {
        errors.append(
          ExamError(
            .invalidInput, file: path,
            "… and \(roster.errorCount - errors.count) more bad values (\(roster.errorCount) in all, on \(roster.badLineCount) of "
              + "\(roster.rowCount) rows; the first \(errors.count) are shown)",
            fix:
              "when most rows are wrong, check that this is the roster and that its columns are in the header's order"))
      }
      throw ExamErrors(errors)
    }
    let note = roster.errorCount == 0 ? "" : ", \(roster.badLineCount) bad rows skipped"
    let summary = try await database.importCandidates(
      roster.candidates,
      audit: audit("\(roster.candidates.count) candidates from \(roster.encoding.rawValue) roster\(note)"))
    return RosterOutcome(
      summary: summary, encoding: roster.encoding, rows: roster.rowCount, skipped: roster.errors,
      skippedCount: roster.errorCount, skippedRows: roster.badLineCount)
  }

  /// Imports the centres file at `path`, replacing the stored centres, rooms, seats, sessions and adjacency
  /// (also after an allocation, as long as every allocated seat is kept). The same file again changes nothing.
  /// - Returns: the file read, and whether the store changed.
  public func importCentres(path: String, audit: (String) -> AuditEntry) async throws -> (
    venues: VenueFile, changed: Bool
  ) {
    let venues = try VenueFile(path: path)
    let rooms = venues.centres.reduce(0) { $0 + $1.rooms.count }
    let seats = venues.centres.reduce(0) { $0 + $1.rooms.reduce(0) { $0 + $1.seats.count } }
    let changed = try await database.replaceVenues(
      centres: venues.centres, sessions: venues.sessions,
      adjacency: venues.adjacency,
      audit: audit("\(venues.centres.count) centres, \(rooms) rooms, \(seats) seats, \(venues.sessions.count) sessions")
    )
    return (venues, changed)
  }

  /// Plans the seats of `examId` with `seed` and stores the plan and its quality report in one transaction.
  /// - Parameter timeLimitSeconds: budget of the bus-trip search (`SeatPlanner.timeLimitSeconds`).
  /// - Parameter exact: limits of the exact bus-trip step (`SeatPlanner.exact`), nil to skip it.
  /// - Parameter columnGenerationBound: whether the report carries the column-generation bound on bus trips
  ///   (`SeatPlanner.columnGenerationBound`; nil: by the city's size).
  /// - Parameter guideRounds: rounds of column generation guiding a second plan (`SeatPlanner.guideRounds`; nil: by
  ///   the city's size).
  /// - Parameter warn: told, before planning, when the city is larger than the exact step is meant for.
  /// - Throws: `ExamErrors` naming each district short of seats (nothing stored).
  public func allocate(
    examId: String, seed: UInt64, timeLimitSeconds: Double = SeatPlanner.defaultTimeLimitSeconds,
    exact: ExactLimits? = nil, columnGenerationBound: Bool? = nil, guideRounds: Int? = nil,
    warn: (String) -> Void = { _ in },
    audit: (String) -> AuditEntry
  ) async throws -> SeatPlan {
    let exam = try await database.requireExam(id: examId)
    // The venues are read on a second core while this one reads the roster (100,000 rows each in a city).
    async let centres = database.centres()
    async let sessions = database.sessions()
    async let adjacency = database.districtAdjacency()
    let candidates = try await database.candidates()
    if exact != nil, let warning = ExactLimits.warning(candidates: candidates.count) { warn(warning) }
    var planner = SeatPlanner(seed: seed, timeLimitSeconds: timeLimitSeconds)
    planner.exact = exact
    planner.columnGenerationBound = columnGenerationBound
    planner.guideRounds = guideRounds
    let draft = try planner.draft(
      examId: examId, candidates: candidates,
      centres: try await centres, sessions: try await sessions, adjacency: try await adjacency,
      formCount: exam.formCount)
    // The independent check runs on a second core while the rows are written; its report is the last thing the
    // transaction writes, and a hard violation it finds rolls the transaction back.
    let checking = Pending { Result { try draft.checked() } }
    try await database.saveSeatPlan(examId: examId, draft.assignments, seed: seed, audit: audit("")) {
      let q = try checking.value.get().quality
      return SeatPlanReport(
        json: String(decoding: try Self.encoder.encode(q), as: UTF8.self),
        summary:
          "\(draft.assignments.count) candidates seated (seed \(seed)); same-school neighbours \(q.sameSchoolNeighbours) (bound \(q.sameSchoolNeighboursLowerBound)), bus trips \(q.schoolTrips) (bound \(q.schoolTripsLowerBound))"
      )
    }
    return try checking.value.get()
  }

  /// The quality of the stored plan of `examId`, measured again from the store.
  public func quality(examId: String) async throws -> PlanQuality {
    let exam = try await database.requireExam(id: examId)
    return PlanChecker(
      candidates: try await database.candidates(), centres: try await database.centres(),
      sessions: try await database.sessions(), adjacency: try await database.districtAdjacency(),
      formCount: exam.formCount
    )
    .quality(
      of: try await database.allocation(examId: examId), failures: try await database.seatFailures(examId: examId))
  }

  static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return e
  }()
}
