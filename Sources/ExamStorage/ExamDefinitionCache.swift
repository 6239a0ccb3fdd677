import ExamCore
import Synchronization

/// Exam definitions already decoded, for one store handle (`ExamDatabase` and its copies share it).
///
/// `ExamDatabase.exam(id:)` decodes an exam's `definitionJSON` only when the row's pack digest and import time differ
/// from what was decoded before; otherwise it returns the kept definition after one indexed read of those two
/// columns. A pack imported again under the same id (after the row was removed), by this process or another one on
/// the same file, has a new import time, so it is decoded afresh. Thread-safe (one lock around the dictionary).
final class ExamDefinitionCache: Sendable {
  /// What identifies the stored definition of one exam: its pack's SHA-256 and when it was imported.
  struct Version: Sendable, Equatable {
    var packSha256: String
    var importedAt: String
  }

  private let entries = Mutex<[String: (version: Version, exam: ExamDefinition)]>([:])

  /// The definition kept for `examId` when it was decoded from `version`, else nil.
  func definition(_ examId: String, at version: Version) -> ExamDefinition? {
    entries.withLock { entries in
      guard let entry = entries[examId], entry.version == version else { return nil }
      return entry.exam
    }
  }

  /// The version and definition kept for `examId`, whatever the row's version is now, or nil.
  func kept(_ examId: String) -> (version: Version, exam: ExamDefinition)? {
    entries.withLock { $0[examId] }
  }

  /// Keeps `exam`, decoded from `version` of the row of `examId` (replacing whatever was kept for it).
  func keep(_ exam: ExamDefinition, for examId: String, at version: Version) {
    entries.withLock { $0[examId] = (version, exam) }
  }
}
