import ExamCore
import Foundation
import ZIPFoundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Unpacks a zip batch into a work folder, refusing entries that could hurt: paths that escape (`../`, absolute,
/// drive letters), links, duplicate names, and entries that expand beyond the limits (declared sizes are not
/// trusted: bytes are counted as they are written). Names are decoded as UTF-8, else GBK (see `EntryName`).
struct ZipBatch {
  let limits: ZipLimits

  /// What came out of the zip: the folder, and the entries refused (by their decoded names).
  struct Unpacked {
    var folder: String
    var refusals: [Refusal]
    /// Entry name → encoding it was read in, for names that were not plain ASCII.
    var nameEncodings: [String: String]
  }

  private struct Overflow: Error { let message: String }

  func unpack(_ zipPath: String, into folder: String, showProgress: Bool) throws(ExamError) -> Unpacked {
    let archive: Archive
    do {
      archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read)
    } catch {
      throw ExamError(
        .corrupt, file: zipPath, "is not a readable zip archive", fix: "send the batch folder zipped again",
        underlying: "\(error)")
    }
    var zipStat = stat()
    // The whole batch may expand at most `maximumRatio` times the zip's own size (past `ratioCheckedAbove`), so many
    // entries each just under the per-entry check cannot add up to a bomb.
    let archiveBytes = stat(zipPath, &zipStat) == 0 ? max(Int64(zipStat.st_size), 1) : 1
    var result = Unpacked(folder: folder, refusals: [], nameEncodings: [:])
    var seen = Set<String>()
    var total: Int64 = 0
    var count = 0
    let entries = Array(archive)
    var progress = ProgressReporter(label: "unzip", total: entries.count, enabled: showProgress)
    for entry in entries {
      defer { progress.advance() }
      count += 1
      let raw = Array(entry.path(using: .isoLatin1).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
      let (name, encoding) = EntryName.decode(raw)
      if !raw.allSatisfy({ $0 < 0x80 }) { result.nameEncodings[name] = encoding }
      func refuse(_ reason: RefusalReason, _ message: String) {
        result.refusals.append(Refusal(file: name, reason: reason, message: message))
      }
      if count > limits.maximumEntries {
        refuse(.tooLarge, "the zip holds more than \(limits.maximumEntries) entries")
        continue
      }
      if entry.type == .directory { continue }
      guard let relative = BatchPath.safeRelative(name) else {
        refuse(.unsafePath, "the entry's path escapes the batch (\(name.debugDescription))")
        continue
      }
      if entry.type == .symlink {
        refuse(.unsafePath, "the entry is a symbolic link; links are never followed")
        continue
      }
      if BatchPath.isSystemLitter(relative) { continue }
      guard seen.insert(relative).inserted else {
        refuse(.duplicateRow, "the zip holds two entries named \(relative)")
        continue
      }
      let declared = Int64(clamping: entry.uncompressedSize)
      let compressed = max(Int64(clamping: entry.compressedSize), 1)
      if declared > limits.maximumEntryBytes || total + declared > limits.maximumTotalBytes {
        refuse(
          .tooLarge,
          "expands to \(declared) bytes, over the limit (\(limits.maximumEntryBytes) per file, \(limits.maximumTotalBytes) per batch)"
        )
        continue
      }
      if declared > limits.ratioCheckedAbove && Double(declared) / Double(compressed) > limits.maximumRatio {
        refuse(
          .tooLarge,
          "expands \(Int(Double(declared) / Double(compressed)))× (\(compressed) → \(declared) bytes); at most \(Int(limits.maximumRatio))× is allowed for large files"
        )
        continue
      }
      if total + declared > limits.ratioCheckedAbove
        && Double(total + declared) / Double(archiveBytes) > limits.maximumRatio
      {
        refuse(
          .tooLarge,
          "the batch would expand past \(Int(limits.maximumRatio))× the zip's \(archiveBytes) bytes (\(total + declared) bytes so far)"
        )
        continue
      }
      let destination = folder + "/" + relative
      do {
        let written = try extract(
          entry, from: archive, to: destination, declared: declared, compressed: compressed,
          budget: limits.maximumTotalBytes - total, expandedBefore: total, archiveBytes: archiveBytes)
        total += written
      } catch let overflow as Overflow {
        unlink(destination + ".part")
        refuse(.tooLarge, overflow.message)
      } catch {
        unlink(destination + ".part")
        refuse(.corrupt, "cannot be unpacked (\(error))")
      }
    }
    return result
  }

  /// Streams one entry to `destination` (via `.part` and rename), counting bytes against the declared size,
  /// the per-file limit, the ratio limit and the batch budget. Returns bytes written.
  private func extract(
    _ entry: Entry, from archive: Archive, to destination: String, declared: Int64, compressed: Int64,
    budget: Int64, expandedBefore: Int64, archiveBytes: Int64
  ) throws -> Int64 {
    try AtomicFile.makeDirectories(AtomicFile.parentOf(destination))
    let part = destination + ".part"
    let fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard fd >= 0 else { throw IncomingFile.osError("cannot create", part) }
    defer { close(fd) }
    var written: Int64 = 0
    let limits = self.limits
    let checksum = try archive.extract(entry, bufferSize: 1 << 16) { data in
      written += Int64(data.count)
      if written > declared {
        throw Overflow(message: "expands past its declared size of \(declared) bytes (a forged header)")
      }
      if written > budget || written > limits.maximumEntryBytes {
        throw Overflow(message: "expands past the size limit")
      }
      if written > limits.ratioCheckedAbove && Double(written) / Double(compressed) > limits.maximumRatio {
        throw Overflow(message: "expands more than \(Int(limits.maximumRatio))× its compressed size")
      }
      let expanded = expandedBefore + written
      if expanded > limits.ratioCheckedAbove && Double(expanded) / Double(archiveBytes) > limits.maximumRatio {
        throw Overflow(message: "the batch expands past \(Int(limits.maximumRatio))× the zip's \(archiveBytes) bytes")
      }
      try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
        var offset = 0
        while offset < raw.count {
          let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
          if n < 0 && errno == EINTR { continue }
          if n <= 0 { throw IncomingFile.osError("cannot write", part) }
          offset += n
        }
      }
    }
    if checksum != entry.checksum {
      throw ExamError(.corrupt, file: destination, "CRC-32 does not match the zip's directory")
    }
    guard fsync(fd) == 0, rename(part, destination) == 0 else {
      throw IncomingFile.osError("cannot finish", destination)
    }
    return written
  }
}
