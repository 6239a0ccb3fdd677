import FuzzSupport

@testable import Packs

/// A built .exampack as it arrives: the zip bookkeeping check, every entry read through the bounded reader, then
/// the whole verifier (manifest JSON, signature and trust, stored hashes) as a draft with nothing trusted.
@_cdecl("fuzz_pack_zip_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  FuzzEntry.run(argc, argv) { data, count in
    fuzzPackZip(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, count)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackZip(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let path = FuzzInput.file(start, count, suffix: ".exampack")
  _ = ZipLayout.problems(path: path)
  let limits = PackLimits(maxEntries: 64, maxTotalBytes: 4 << 20, maxEntryBytes: 1 << 20)
  if let archive = try? SafeArchive(path: path, limits: limits) {
    for name in archive.names { _ = try? archive.read(name) }
  }
  _ = try? PackVerifier.verify(pack: path, trust: .unsignedAllowed, limits: limits)
  return 0
}
