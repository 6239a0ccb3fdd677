/// One refused file or row, with where it was and why.
public struct Refusal: Sendable, Codable, Equatable {
  /// Path relative to the batch (or `answers.csv`, `manifest.csv`).
  public var file: String
  /// Line in manifest.csv / answers.csv, when the refusal concerns a row.
  public var line: Int?
  public var candidateId: String?
  public var itemId: String?
  public var reason: RefusalReason
  /// The specific finding, naming the value (e.g. the two checksums).
  public var message: String
  /// Where the refused file was copied to in quarantine, when there was a file to keep.
  public var quarantinedAs: String?

  public init(
    file: String, line: Int? = nil, candidateId: String? = nil, itemId: String? = nil,
    reason: RefusalReason, message: String, quarantinedAs: String? = nil
  ) {
    self.file = file
    self.line = line
    self.candidateId = candidateId
    self.itemId = itemId
    self.reason = reason
    self.message = message
    self.quarantinedAs = quarantinedAs
  }
}

/// A recording the batch added to the store.
public struct IngestedFile: Sendable, Codable, Equatable {
  public var file: String
  public var candidateId: String
  public var itemId: String
  /// 1, or higher when it conflicts with a recording stored before (kept as a new version).
  public var version: Int
  /// Seconds, after decoding.
  public var durationSeconds: Double
  public var flags: [String]
  public var storedSha256: String
}

/// Refusals that share a reason.
public struct ReasonGroup: Sendable, Codable, Equatable {
  public var count: Int
  public var explanation: String
  public var entries: [Refusal]
}

/// Files that share a flag.
public struct FlagGroup: Sendable, Codable, Equatable {
  public var count: Int
  public var files: [String]
}

/// What one run of `exam audio ingest` did with a batch: the text report and the `--json` document.
public struct IngestReport: Sendable, Codable, Equatable {
  public var batchId: String
  public var examId: String
  public var centreId: String
  public var sessionId: String?
  public var source: String
  /// 1 the first time this batch is ingested; 2, 3… on re-runs (after a crash, or a duplicate upload).
  public var run: Int
  /// Whether an earlier run of this batch finished (so this run is a duplicate upload).
  public var ingestedBefore: Bool
  /// Manifest rows plus files without a row.
  public var files: Int
  public var added: [IngestedFile]
  /// Files whose recording was already in the store (an earlier run of this batch, or a duplicate upload).
  public var alreadyStored: [String]
  /// Recordings kept as a new version because a different recording was stored for the same candidate and item.
  public var conflicts: [IngestedFile]
  public var flagged: [String: FlagGroup]
  public var refused: [String: ReasonGroup]
  public var listeningAdded: Int
  public var listeningAlreadyStored: Int
  public var listeningRefused: Int
  /// Seconds of audio added.
  public var audioSecondsAdded: Double
  /// Folder holding this batch's refused files and `reasons.csv`.
  public var quarantineFolder: String?

  /// Refused files and rows, all reasons together.
  public var refusedCount: Int { refused.values.reduce(0) { $0 + $1.count } }
}

extension IngestReport {
  /// The report as text for the terminal: totals, then refusals per reason with each file, flags and conflicts.
  public var text: String {
    var out =
      "batch \(batchId): centre \(centreId)\(sessionId.map { ", session \($0)" } ?? ""), exam \(examId), from \(source)\n"
    if ingestedBefore && added.isEmpty && listeningAdded == 0 {
      out += "  this batch was ingested before: nothing new was added\n"
    } else if run > 1 {
      out += "  run \(run) of this batch (an earlier run was interrupted or the batch was sent again)\n"
    }
    out +=
      "  \(files) files: \(added.count) added, \(alreadyStored.count) already stored, "
      + "\(refused.values.reduce(0) { $0 + $1.entries.filter { $0.file != "answers.csv" }.count }) refused\n"
    out +=
      "  listening answers: \(listeningAdded) added, \(listeningAlreadyStored) already stored, \(listeningRefused) refused\n"
    out += "  audio added: \(formatHours(audioSecondsAdded))\n"
    if !conflicts.isEmpty {
      out += "conflicts (\(conflicts.count)) — kept as new versions, earlier versions kept too:\n"
      for c in conflicts { out += "  \(c.file): candidate \(c.candidateId), item \(c.itemId) → version \(c.version)\n" }
    }
    for reason in refused.keys.sorted() {
      guard let group = refused[reason] else { continue }
      out += "refused: \(reason) (\(group.count)) — \(group.explanation)\n"
      for r in group.entries {
        out += "  \(r.file)\(r.line.map { " (line \($0))" } ?? ""): \(r.message)\n"
      }
    }
    for flag in flagged.keys.sorted() {
      guard let group = flagged[flag] else { continue }
      out += "flagged, accepted: \(flag) (\(group.count)): \(group.files.joined(separator: ", "))\n"
    }
    if let quarantineFolder, refusedCount > 0 { out += "refused files and reasons.csv are in \(quarantineFolder)\n" }
    return out
  }

  private func formatHours(_ seconds: Double) -> String {
    seconds >= 3600
      ? "\((seconds / 360).rounded() / 10) h"
      : seconds >= 60 ? "\((seconds / 6).rounded() / 10) min" : "\((seconds * 10).rounded() / 10) s"
  }
}
