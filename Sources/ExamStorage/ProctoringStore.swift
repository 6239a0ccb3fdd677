import ExamCore

/// Proctoring on either backend (workflow step 5): seat-machine events, incidents raised from them and from the
/// recordings, decisions on incidents, and the cache of per-recording audio analyses. `exam proctor` works on it,
/// so a sitting on PostgreSQL is proctored as one on SQLite; the tests run the same cases on both (`TestStores`).
public protocol ProctoringStore: AnswerStore {
  /// Inserts the events not stored yet (identity: exam, machine, seq) in one transaction; returns how many were new.
  /// `audit` (the last batch of an ingest) is written with it.
  func insertSeatEvents(_ events: [SeatEvent], audit: AuditEntry?) async throws -> Int
  /// Number of stored events of `examId`.
  func seatEventCount(examId: String) async throws -> Int
  /// Candidates whose seat machines logged them in for `examId` (they came, whether or not they answered).
  func loggedInCandidates(examId: String) async throws -> Set<String>
  /// The (centre, room) pairs that have events for `examId`, sorted.
  func seatEventRooms(examId: String) async throws -> [ProctoringRoom]
  /// Events of one room, in time order (ties by machine, then sequence).
  func seatEvents(examId: String, room: ProctoringRoom) async throws -> [SeatEvent]
  /// Records the incidents not raised before (identity: exam and `key`), with `audit` when any is new. Returns the
  /// incidents added, with their ids, in the order given.
  func recordIncidents(_ incidents: [Incident], audit: AuditEntry?) async throws -> [Incident]
  /// Incidents oldest first: of `examId` (all exams when nil), of `roomId` (any centre) when given, and only those
  /// with no decision yet when `openOnly`.
  func incidents(examId: String?, roomId: String?, openOnly: Bool) async throws -> [Incident]
  func incident(id: Int64) async throws -> Incident?
  /// Records a decision and sets its incident's status, with `audit`. - Throws: `ExamError.notFound`.
  func decideIncident(_ decision: IncidentDecision, audit: AuditEntry) async throws -> IncidentDecision
  /// Every decision on incident `incidentId` (all incidents when nil), oldest first.
  func incidentDecisions(incidentId: Int64?) async throws -> [IncidentDecision]
  /// A cached analysis (JSON) of the stored recording with this digest, when computed with `version`.
  func audioAnalysis(storedSha256: String, version: Int) async throws -> String?
  /// Caches analyses (digest → JSON) of stored recordings, replacing older ones; derived data, so no audit line.
  func saveAudioAnalyses(_ analyses: [(storedSha256: String, json: String)], version: Int) async throws
}

extension ExamDatabase: ProctoringStore {}
