import ExamCore

/// Scoring, double marking and results on either backend (workflow step 4): scoring models, machine scores with their
/// machine marks, raters, who marks what, every mark, final marks, and the finalised results. `exam score run` and
/// `exam results` work on it; the tests run the same cases on both backends (`TestStores`).
///
/// The reads of one answer at a time serve the marking desk of `exam serve`.
public protocol MarkingStore: ProctoringStore {
  // Scoring
  /// Stores a scoring model's JSON under its version (once; the same version twice changes nothing).
  func saveScoringModel(version: String, json: String, audit: AuditEntry) async throws
  /// The JSON of a stored model, by version, or of the one stored last (nil when none is stored).
  func scoringModelJSON(version: String?) async throws -> String?
  /// Current recordings (of `examId`, or of every exam) without a machine score, by id: at most `limit` of them with
  /// ids above `afterId`, so a large sitting is read page by page.
  func unscoredRecordings(examId: String?, afterId: Int64, limit: Int) async throws -> [StoredRecording]
  /// Saves machine scores, each with its machine mark (when it has points) and, when `finalRecordingIds` names it,
  /// its final mark, in one transaction with the audit line. A recording scored before is skipped. Returns how many
  /// were added.
  func saveMachineScores(_ scores: [MachineScore], finalRecordingIds: Set<Int64>, audit: AuditEntry) async throws
    -> Int
  /// Machine scores of the current recordings of `examId`, by recording id.
  func machineScores(examId: String) async throws -> [MachineScore]
  /// How many current recordings of `examId` (or of all exams) exist and how many have a machine score.
  func scoringProgress(examId: String?) async throws -> (recordings: Int, scored: Int)

  // Marking
  /// Adds raters and updates the name and school of known ones, with the audit line.
  func importRaters(_ raters: [Rater], audit: AuditEntry) async throws
  func raters() async throws -> [Rater]
  /// Stores new assignments (one already there for the answer and slot is kept); returns how many were added.
  func saveAssignments(_ assignments: [MarkAssignment], audit: AuditEntry) async throws -> Int
  /// Assignments on the current recordings of `examId`, by answer and slot.
  func assignments(examId: String) async throws -> [MarkAssignment]
  /// Inserts marks and replaces final marks in one transaction (`ExamDatabase.saveMarks` says how); returns how many
  /// marks were new. - Throws: `ExamError.conflict` for a rater's second, different mark on one answer.
  func saveMarks(_ marks: [Mark], finals: [FinalMark], audit: AuditEntry) async throws -> Int
  /// Every mark on the current recordings of `examId`, by answer and id.
  func marks(examId: String) async throws -> [Mark]
  /// Final marks of the current recordings of `examId`, by answer.
  func finalMarks(examId: String) async throws -> [FinalMark]

  // One answer at a time (the marking desk)
  /// The first answer of `examId` given to `raterId` (slot 1 or 2) that the rater has not marked yet, or nil.
  func nextOpenAssignment(examId: String, raterId: String) async throws -> MarkAssignment?
  /// How many answers of `examId` were given to `raterId` and how many of them the rater has marked.
  func assignmentProgress(examId: String, raterId: String) async throws -> (assigned: Int, marked: Int)
  /// The assignments of one answer, by slot.
  func assignments(recordingId: Int64) async throws -> [MarkAssignment]
  /// The recording with this id (any version), or nil.
  func recording(id: Int64) async throws -> StoredRecording?
  /// Every version of one answer, oldest first.
  func recordingVersions(examId: String, candidateId: String, itemId: String) async throws -> [StoredRecording]
  /// The machine score of one recording, or nil.
  func machineScore(recordingId: Int64) async throws -> MachineScore?
  /// Every mark of one answer, oldest first, and whether it has a final mark.
  func marks(recordingId: Int64) async throws -> (marks: [Mark], isFinal: Bool)
  /// The schools of the candidates `ids` that exist, by candidate.
  func schools(ofCandidates ids: Set<String>) async throws -> [String: String]

  // Results
  /// Writes finalised results (replacing earlier ones of the same exam and candidate), with the audit line.
  func saveResults(_ results: [CandidateResult], audit: AuditEntry) async throws
  /// Finalised results, of one exam or (nil) of all, by exam and candidate.
  func results(examId: String?) async throws -> [CandidateResult]
}

extension ExamDatabase: MarkingStore {}
