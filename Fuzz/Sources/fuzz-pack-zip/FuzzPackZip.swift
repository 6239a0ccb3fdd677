import FuzzSupport

@testable import Packs

/// A built .exampack as it arrives: the zip bookkeeping check, then every entry read through the bounded reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackZip(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let path = FuzzInput.file(start, count, suffix: ".exampack")
  _ = ZipLayout.problems(path: path)
  let limits = PackLimits(maxEntries: 64, maxTotalBytes: 4 << 20, maxEntryBytes: 1 << 20)
  if let archive = try? SafeArchive(path: path, limits: limits) {
    for name in archive.names { _ = try? archive.read(name) }
  }
  return 0
}
