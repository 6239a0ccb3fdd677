import ExamCore
import Foundation
import ZIPFoundation

/// Zips a batch folder reproducibly for `exam upload`: entries sorted by path, stored (audio barely compresses),
/// one fixed date and mode 0644, so the same folder always gives the same bytes — and a restarted client finds
/// its unfinished upload again by the zip's SHA-256. Files are read in 1 MiB pieces; links and hidden files are
/// left out.
public enum BatchZipper {
  static let entryDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01, the zip format's epoch

  /// Writes the zip of `folder` to `path` (through a temporary file, renamed into place).
  public static func zip(folder: String, to path: String) throws(ExamError) {
    let files = regularFiles(under: folder)
    guard files.contains("manifest.csv") || files.contains(where: { $0.hasSuffix("/manifest.csv") }) else {
      throw ExamError(
        .invalidInput, file: folder, "holds no manifest.csv", fix: "give the batch folder the seat machines exported")
    }
    let temporary = path + ".partial"
    try? FileManager.default.removeItem(atPath: temporary)
    do {
      let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
      for relative in files {
        let source = folder + "/" + relative
        guard let handle = FileHandle(forReadingAtPath: source) else {
          throw ExamError(.io, file: source, "cannot be read", fix: "check the file's permissions")
        }
        defer { try? handle.close() }
        let size = Int64(
          (try FileManager.default.attributesOfItem(atPath: source)[.size] as? NSNumber)?.int64Value ?? 0)
        try archive.addEntry(
          with: relative, type: .file, uncompressedSize: size, modificationDate: entryDate, permissions: 0o644,
          compressionMethod: .none, bufferSize: 1 << 20
        ) { position, count in
          try handle.seek(toOffset: UInt64(position))
          return try handle.read(upToCount: count) ?? Data()
        }
      }
    } catch let error as ExamError {
      throw error
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw ExamError(
        .io, file: path, "cannot write the batch zip", fix: "check free space and permissions", underlying: "\(error)")
    }
    try AtomicFile.commit(temporary: temporary, to: path)
  }

  /// Regular files under `folder`, relative, sorted by their UTF-8 bytes; hidden names and links skipped.
  static func regularFiles(under folder: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
    var files: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
      var isDirectory: ObjCBool = false
      let full = folder + "/" + relative
      guard let type = try? FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType,
        type == .typeRegular,
        FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue
      else { continue }
      files.append(relative)
    }
    return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }
}
