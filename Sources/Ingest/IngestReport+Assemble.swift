import ExamCore
import ExamStorage
import Foundation

extension IngestReport {
  static func assemble(
    batchId: String, examId: String, request: IngestRequest, state: IngestBatchState, files: Int,
    run: IngestRun, refusals: [Refusal], listeningAlreadyStored: Int, quarantineFolder: String?
  ) -> IngestReport {
    let added = run.added.sorted { $0.file < $1.file }
    var flagFiles: [String: [String]] = [:]
    for file in added {
      for flag in file.flags { flagFiles[flag, default: []].append(file.file) }
    }
    let flagged = flagFiles.mapValues { FlagGroup(count: $0.count, files: $0) }
    let refused = Dictionary(grouping: refusals, by: \.reason.rawValue).mapValues { entries in
      ReasonGroup(count: entries.count, explanation: entries[0].reason.explanation, entries: entries)
    }
    return IngestReport(
      batchId: batchId, examId: examId, centreId: request.centreId, sessionId: request.sessionId, source: request.path,
      run: state.previousRuns + 1, ingestedBefore: state.finishedBefore, files: files, added: added,
      alreadyStored: run.alreadyStored.sorted(), conflicts: added.filter { $0.version > 1 }, flagged: flagged,
      refused: refused, listeningAdded: run.listeningAdded, listeningAlreadyStored: listeningAlreadyStored,
      listeningRefused: refusals.filter { $0.file == "answers.csv" }.count,
      audioSecondsAdded: added.reduce(0) { $0 + $1.durationSeconds }, quarantineFolder: quarantineFolder)
  }

  /// The report as one JSON document (sorted keys).
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
