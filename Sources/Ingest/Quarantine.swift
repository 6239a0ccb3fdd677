import ExamCore
import ExamStorage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps refused files for the centre and for appeals: `<root>/<batch>/<path in batch>` with
/// `<path>.reason.txt` beside each, and `reasons.csv` listing every refusal of the batch.
struct Quarantine {
  let folder: String

  init(root: String, batchId: String) { folder = root + "/" + batchId }

  /// Copies the refused files that exist in `batchFolder`, writes the reason files and `reasons.csv`, and
  /// returns the refusals with `quarantinedAs` set. Each file is written atomically, so a crash midway leaves
  /// whole files only, and a re-run writes the same content again (and first removes the temporary files a
  /// killed run left behind).
  /// - Parameter batchFiles: the regular files found in the batch without following links (`BatchSource.files`):
  ///   only these are copied, so a manifest line naming a file behind a linked folder copies nothing from outside.
  func keep(_ refusals: [Refusal], from batchFolder: String, batchFiles: Set<String>) throws(ExamError) -> [Refusal] {
    sweepTemporaryFiles()
    var kept: [Refusal] = []
    var table = CSVWriter(header: ["file", "line", "candidate", "item", "reason", "message"])
    for var r in refusals {
      table.append([
        r.file, r.line.map(String.init) ?? "", r.candidateId ?? "", r.itemId ?? "", r.reason.rawValue, r.message,
      ])
      if let relative = BatchPath.safeRelative(r.file), batchFiles.contains(relative),
        IncomingFile.kind(batchFolder + "/" + relative) == .regular
      {
        let target = folder + "/" + relative
        try IncomingFile.copyAtomically(batchFolder + "/" + relative, to: target)
        try AtomicFile.write(
          text: "\(r.reason.rawValue): \(r.message)\n\(r.reason.explanation)\n", to: target + ".reason.txt")
        r.quarantinedAs = target
      }
      kept.append(r)
    }
    if !refusals.isEmpty { try AtomicFile.write(text: table.text, to: folder + "/reasons.csv") }
    return kept
  }

  /// Removes `*.tmp-…` files that a run killed mid-copy left in this batch's quarantine folder.
  private func sweepTemporaryFiles() {
    for entry in IncomingFile.walk(folder) where entry.kind == .regular && entry.relative.contains(".tmp-") {
      unlink(folder + "/" + entry.relative)
    }
  }
}
