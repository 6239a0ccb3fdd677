import ExamCore

/// The answers of a sitting on either backend: centres' batches (runs, reports, refused files), recordings (taken
/// once; a different recording for the same answer becomes the next version) and listening choices (workflow step
/// 3). `exam audio ingest` works on it, so a batch can be taken into a SQLite or a PostgreSQL store.
public protocol AnswerStore: SittingStore {
  /// Registers the start of a run on batch `id` (creating the batch the first time), with its audit line.
  func beginIngestBatch(
    id: String, examId: String, centreId: String, sessionId: String?, source: String, at: String, audit: AuditEntry
  ) async throws -> IngestBatchState
  /// Marks batch `id` finished with its report and replaces its refused files, with the audit line.
  func finishIngestBatch(id: String, at: String, reportJSON: String, quarantine: [QuarantineRecord], audit: AuditEntry)
    async throws
  /// Batches, newest start first (of one centre when given).
  func ingestBatches(centreId: String?) async throws -> [IngestBatchRecord]
  /// The refused files of a batch, by file.
  func quarantined(batchId: String) async throws -> [QuarantineRecord]
  /// Keys `candidate|item|originalSha256` of the recordings of `candidateIds` in `examId`.
  func recordingKeys(examId: String, candidateIds: Set<String>) async throws -> Set<String>
  /// Stored listening choices of `candidateIds` in `examId`, keyed `candidate|item`.
  func listeningChoices(examId: String, candidateIds: Set<String>) async throws -> [String: String]
  /// Inserts the recordings and listening answers that are not there yet, in one transaction with the audit line
  /// (`ExamDatabase.insertAnswers` says how versions are given). Returns the recordings added, with ids.
  func insertAnswers(recordings: [StoredRecording], listening: [ListeningAnswer], audit: AuditEntry?) async throws
    -> (recordings: [StoredRecording], listeningAdded: Int)
  /// Recordings of `examId` (only the current version of each answer unless `currentOnly` is false), by id.
  func recordings(examId: String, currentOnly: Bool) async throws -> [StoredRecording]
  /// Listening answers of `examId`, by candidate and item.
  func listeningAnswers(examId: String) async throws -> [ListeningAnswer]
}

extension ExamDatabase: AnswerStore {}
