import ExamCore
import Foundation
import ZIPFoundation

/// A zip opened for reading as untrusted input: before any byte is extracted, every entry must be a regular file
/// with a plain relative name (no `..`, no absolute path, no backslash, no link, no duplicate), and the entry
/// count, total size, per-entry size and compression ratio must stay within `PackLimits`. Reads stop as soon
/// as an entry yields more bytes than it declared.
struct SafeArchive {
  /// The pack file, as named in messages.
  let path: String
  private let archive: Archive
  private let entries: [String: Entry]
  private let limits: PackLimits
  /// Entry names in zip order.
  let names: [String]

  /// - Throws: `ExamErrors` with one `.integrity` error per refused entry (or `.corrupt` when it is not a zip).
  init(path: String, limits: PackLimits) throws(ExamErrors) {
    self.path = path
    self.limits = limits
    guard FileSystem.exists(path) else {
      throw ExamErrors([ExamError(.notFound, file: path, "no such pack file", fix: "check the path")])
    }
    guard !FileSystem.isDirectory(path) else {
      throw ExamErrors([
        ExamError(
          .invalidInput, file: path, "is a folder, not a built pack",
          fix: "name the .exampack file; for a pack source folder use `exam pack validate` or `exam pack build`")
      ])
    }
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw ExamErrors([
        ExamError(
          .corrupt, file: path, "is not a readable zip archive",
          fix: "the file is truncated or not an .exampack: get a fresh copy from the exam office",
          underlying: "\(error)")
      ])
    }
    var errors: [ExamError] = []
    var byName: [String: Entry] = [:]
    var order: [String] = []
    var total: UInt64 = 0
    var count = 0
    for entry in archive {
      count += 1
      if count > limits.maxEntries {
        errors.append(
          ExamError(
            .integrity, file: path, "the archive has more than \(limits.maxEntries) entries",
            fix: "refused as a possible zip bomb; a real pack has far fewer files"))
        break
      }
      let name = entry.path
      func refuse(_ message: String, _ fix: String) {
        errors.append(ExamError(.integrity, file: path, location: name, message, fix: fix))
      }
      guard PackFiles.isContained(name) else {
        refuse(
          "entry name escapes the pack folder (absolute, '..', '.', empty part or backslash)",
          "refused: this is not a pack made by `exam pack build`; do not use it")
        continue
      }
      guard entry.type == .file else {
        refuse(
          entry.type == .symlink ? "entry is a symbolic link" : "entry is a folder, not a file",
          "refused: packs contain regular files only; rebuild it with `exam pack build`")
        continue
      }
      guard byName[name] == nil else {
        refuse("entry name appears twice", "refused: a pack names each file once; rebuild it")
        continue
      }
      let size = entry.uncompressedSize
      if size > limits.maxEntryBytes {
        refuse(
          "entry expands to \(size) bytes, more than the limit of \(limits.maxEntryBytes)",
          "refused as a possible zip bomb")
        continue
      }
      if size >= limits.ratioFloorBytes, size > limits.maxRatio * max(entry.compressedSize, 1) {
        refuse(
          "entry expands \(size / max(entry.compressedSize, 1))-fold, more than the limit of \(limits.maxRatio)",
          "refused as a possible zip bomb")
        continue
      }
      total += size
      byName[name] = entry
      order.append(name)
    }
    if total > limits.maxTotalBytes {
      errors.append(
        ExamError(
          .integrity, file: path,
          "the archive expands to \(total) bytes, more than the limit of \(limits.maxTotalBytes)",
          fix: "refused as a possible zip bomb"))
    }
    guard errors.isEmpty else { throw ExamErrors(errors) }
    entries = byName
    names = order
  }

  func contains(_ name: String) -> Bool { entries[name] != nil }

  /// Declared decompressed size of an entry, bytes.
  func size(of name: String) -> UInt64? { entries[name]?.uncompressedSize }

  /// The entry's bytes, read in blocks and checked against its CRC-32, never more than it declared.
  /// - Throws: `ExamError.integrity` naming the entry when its bytes were altered or it overflows.
  func read(_ name: String) throws(ExamError) -> [UInt8] {
    guard let entry = entries[name] else {
      throw ExamError(
        .integrity, file: path, location: name, "is missing from the pack", fix: "get a fresh copy of the pack")
    }
    let declared = entry.uncompressedSize
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(min(declared, 64 << 20)))
    do {
      let crc = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
        guard UInt64(bytes.count + chunk.count) <= declared else { throw Overflow() }
        bytes.append(contentsOf: chunk)
      }
      guard crc == entry.checksum else { throw Archive.ArchiveError.invalidCRC32 }
    } catch is Overflow {
      throw ExamError(
        .integrity, file: path, location: name, "expands beyond the \(declared) bytes it declares",
        fix: "refused as a possible zip bomb")
    } catch {
      throw ExamError(
        .integrity, file: path, location: name, "its bytes in the archive were altered (\(Self.describe(error)))",
        fix: "the pack was changed after it was built: get a fresh copy from the exam office")
    }
    guard UInt64(bytes.count) == declared else {
      throw ExamError(
        .integrity, file: path, location: name, "holds \(bytes.count) bytes but declares \(declared)",
        fix: "the pack was changed after it was built: get a fresh copy from the exam office")
    }
    return bytes
  }

  private struct Overflow: Error {}

  private static func describe(_ error: any Error) -> String {
    if let archiveError = error as? Archive.ArchiveError, archiveError == .invalidCRC32 { return "CRC-32 mismatch" }
    return "\(error)"
  }
}
