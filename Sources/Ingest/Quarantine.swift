import ExamCore
import ExamStorage

/// Keeps refused files for the centre and for appeals: `<root>/<batch>/<path in batch>` with
/// `<path>.reason.txt` beside each, and `reasons.csv` listing every refusal of the batch.
struct Quarantine {
  let folder: String

  init(root: String, batchId: String) { folder = root + "/" + batchId }

  /// Copies the refused files that exist in `batchFolder`, writes the reason files and `reasons.csv`, and
  /// returns the refusals with `quarantinedAs` set. Each file is written atomically, so a crash midway leaves
  /// whole files only, and a re-run writes the same content again.
  func keep(_ refusals: [Refusal], from batchFolder: String) throws(ExamError) -> [Refusal] {
    var kept: [Refusal] = []
    var table = CSVWriter(header: ["file", "line", "candidate", "item", "reason", "message"])
    for var r in refusals {
      table.append([r.file, r.line.map(String.init) ?? "", r.candidateId ?? "", r.itemId ?? "", r.reason.rawValue, r.message])
      if let relative = BatchPath.safeRelative(r.file), r.file != "answers.csv", r.file != "manifest.csv",
        IncomingFile.kind(batchFolder + "/" + relative) == .regular
      {
        let target = folder + "/" + relative
        try IncomingFile.copyAtomically(batchFolder + "/" + relative, to: target)
        try AtomicFile.write(text: "\(r.reason.rawValue): \(r.message)\n\(r.reason.explanation)\n", to: target + ".reason.txt")
        r.quarantinedAs = target
      }
      kept.append(r)
    }
    if !refusals.isEmpty { try AtomicFile.write(text: table.text, to: folder + "/reasons.csv") }
    return kept
  }
}
