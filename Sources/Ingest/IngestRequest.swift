import ExamCore
import ExamStorage

/// What to ingest and where: a batch folder or zip from one centre, into a store and its content store.
public struct IngestRequest: Sendable {
  /// The batch: a folder or a `.zip` holding `manifest.csv` (and optionally `answers.csv`) with the audio files.
  public var path: String
  public var centreId: String
  /// When given, candidates must be allocated to this session too.
  public var sessionId: String?
  /// The exam; nil means the only exam in the store.
  public var examId: String?
  /// Files processed at once (each holds one block of audio in memory).
  public var jobs: Int
  /// Content store for the originals (`.orig`) and the 16 kHz FLAC (`.flac`).
  public var store: ContentStore
  /// Folder for refused files: `<quarantineRoot>/<batch id>/…`.
  public var quarantineRoot: String
  public var zipLimits: ZipLimits
  /// Converted recordings committed per transaction (with one audit line each).
  public var commitEvery: Int
  /// Longest time converted recordings wait before they are committed.
  public var commitInterval: Duration = .seconds(2)
  public var showProgress: Bool
  /// Operator and command line for the audit lines.
  public var operatorName: String
  /// The OS account running the ingest, for the audit line (`AuditEntry.account`).
  public var account: String?
  public var arguments: [String]
  /// Test hook: stop abruptly (as a crash would) once this many recordings are committed.
  var crashAfterCommitted: Int?
  /// Crash-test hook (`exam audio ingest --kill-after-commits N`, hidden): the process sends itself SIGKILL once
  /// this many recordings are committed, so a test can prove that a killed run resumes as if it had run once.
  public var killAfterCommitted: Int?

  public init(
    path: String, centreId: String, sessionId: String? = nil, examId: String? = nil, jobs: Int = 2,
    store: ContentStore, quarantineRoot: String, zipLimits: ZipLimits = ZipLimits(), commitEvery: Int = 256,
    showProgress: Bool = false, operatorName: String = "unknown", arguments: [String] = []
  ) {
    self.path = path
    self.centreId = centreId
    self.sessionId = sessionId
    self.examId = examId
    self.jobs = max(1, jobs)
    self.store = store
    self.quarantineRoot = quarantineRoot
    self.zipLimits = zipLimits
    self.commitEvery = max(1, commitEvery)
    self.showProgress = showProgress
    self.operatorName = operatorName
    self.arguments = arguments
  }

  func audit(_ summary: String) -> AuditEntry {
    AuditEntry(
      at: Timestamp.now(), operator: operatorName, command: "audio ingest",
      arguments: arguments.joined(separator: " "), summary: summary, account: account)
  }
}

/// Thrown by the crash test hook; never seen by users.
struct SimulatedCrash: Error {}
