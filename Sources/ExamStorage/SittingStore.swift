import ExamCore

/// The set-up of a sitting, on either backend: the audit trail, exams, the roster, venues, trusted pack signers, the
/// seat plan and reseats (workflow steps 1–2). `ExamDatabase` (SQLite) and `PostgresStore` both conform, with the
/// same behaviour, which the tests prove by running the same cases on both (`TestStores`). The commands of these
/// steps take `--db exam.sqlite` or `--db postgres://…` alike.
///
/// Every method that changes rows does so in one transaction with its audit line; errors are `ExamError`s naming
/// the row. The capabilities not listed here (answers, scoring, proctoring, records, the servers) are SQLite only
/// so far (docs/scale-out.md).
public protocol SittingStore: Sendable {
  /// Where the store is, for messages (a file path, or a URL without its password).
  var location: String { get }

  // Audit
  func appendAudit(_ entry: AuditEntry) async throws
  func auditTrail(limit: Int?) async throws -> [AuditEntry]

  // Exams
  func importExam(_ exam: ExamDefinition, audit: AuditEntry) async throws -> ImportOutcome
  func exam(id: String) async throws -> ExamDefinition?
  /// The exam with this id. - Throws: `ExamError.notFound` listing the exams there are.
  func requireExam(id: String) async throws -> ExamDefinition
  /// The exam a command works on: `given`, else the only exam in the store (`ExamSelection`).
  func resolveExamId(_ given: String?) async throws -> String
  func examIds() async throws -> [String]

  // Candidates
  func importCandidates(_ candidates: [Candidate], audit: AuditEntry) async throws -> CandidateImportSummary
  func candidates() async throws -> [Candidate]
  func candidate(id: String) async throws -> Candidate?
  func candidates(ids: Set<String>) async throws -> [Candidate]

  // Venues
  func replaceVenues(centres: [Centre], sessions: [ExamSession], adjacency: [(String, String)], audit: AuditEntry)
    async throws -> Bool
  func centres() async throws -> [Centre]
  func sessions() async throws -> [ExamSession]
  func districtAdjacency() async throws -> [String: Set<String>]

  // Trusted pack signers
  func trustSigner(_ signer: TrustedSigner, audit: AuditEntry) async throws -> Bool
  func trustedSigners() async throws -> [TrustedSigner]
  func revokeSigner(fingerprint: String, at: String, by revoker: String, audit: AuditEntry) async throws
    -> TrustedSigner

  // Seat plan and reseats
  /// Replaces the seat plan of `examId` alone (no run is recorded; `saveSeatPlan` for `exam allocate`).
  func replaceAllocation(examId: String, _ assignments: [SeatAssignment], audit: AuditEntry) async throws
  /// Replaces the seat plan of `examId` and records the run, clearing its seat-failure log, in one transaction with
  /// its audit line. `report` gives the run's quality report (JSON) and the audit line's summary; it is called
  /// once the rows are written and before the commit, so a caller may still be measuring the plan while they are
  /// (`RoomsService.allocate` does); when it throws, nothing is saved.
  func saveSeatPlan(
    examId: String, _ assignments: [SeatAssignment], seed: UInt64, audit: AuditEntry,
    report: @escaping @Sendable () throws -> SeatPlanReport
  ) async throws
  func allocation(examId: String) async throws -> [SeatAssignment]
  func allocation(examId: String, candidateIds: Set<String>) async throws -> [SeatAssignment]
  func assignment(examId: String, candidateId: String) async throws -> SeatAssignment?
  func allocationRun(examId: String) async throws -> AllocationRun?
  func seatFailures(examId: String) async throws -> [SeatFailure]
  /// Records a failed seat and moves its candidate; `ExamDatabase.recordSeatFailure(_:decision:audit:)` says how.
  func recordSeatFailure(_ failure: SeatFailure, decision: IncidentDecision?, audit: AuditEntry) async throws
    -> IncidentDecision?
}

/// What `SittingStore.saveSeatPlan` records of a run besides its rows.
public struct SeatPlanReport: Sendable {
  public var json: String
  /// The audit line's summary.
  public var summary: String
  public init(json: String, summary: String) {
    self.json = json
    self.summary = summary
  }
}

/// Whether importing `centres`, `sessions` and `neighbours` over what a store holds (`stored…`) changes nothing.
func venuesUnchanged(
  storedCentres: [Centre], storedSessions: [ExamSession], storedAdjacency: [String: Set<String>],
  centres: [Centre], sessions: [ExamSession], neighbours: [String: Set<String>]
) -> Bool {
  let stored = Dictionary(storedSessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
  return sessions.allSatisfy { stored[$0.id] == $0 }
    && storedCentres == centres.sorted(by: { $0.id < $1.id }).map(ExamDatabase.sortedRooms)
    && storedAdjacency == neighbours
}

extension ExamDatabase: SittingStore {
  public var location: String { path ?? ":memory:" }
}

extension ExamError {
  /// Another key than `fingerprint`'s is trusted under the same fingerprint.
  static func fingerprintClash(_ fingerprint: String) -> ExamError {
    ExamError(
      .conflict, location: "key \(fingerprint)", "another key with the same fingerprint is trusted already",
      fix: "check the key file; this should never happen")
  }

  /// A fingerprint prefix to revoke by that matches `count` keys other than one (0: none; fewer than 8 digits:
  /// too short).
  static func revokePrefix(_ fingerprint: String, matches count: Int) -> ExamError {
    let list = "list the trusted keys with `exam keys list` and give a fingerprint from the first column"
    if fingerprint.count < 8 {
      return ExamError(
        .usage, location: "key \(fingerprint)", "give at least 8 hex digits of the fingerprint", fix: list)
    }
    return count == 0
      ? ExamError(.notFound, location: "key \(fingerprint)", "no trusted key has this fingerprint", fix: list)
      : ExamError(
        .usage, location: "key \(fingerprint)", "\(count) trusted keys start with this", fix: "give more digits")
  }

  /// No exam `id` in a store that holds `known`.
  static func noSuchExam(_ id: String, known: [String]) -> ExamError {
    ExamError(
      .notFound, location: "exam \(id)", "no exam with this id is imported",
      fix: known.isEmpty
        ? "import a pack with `exam pack import FILE.exampack`" : "use one of: \(known.joined(separator: ", "))")
  }
}

/// Both directions of each neighbouring pair.
func neighbourMap(_ adjacency: [(String, String)]) -> [String: Set<String>] {
  var neighbours: [String: Set<String>] = [:]
  for (a, b) in adjacency {
    neighbours[a, default: []].insert(b)
    neighbours[b, default: []].insert(a)
  }
  return neighbours
}
