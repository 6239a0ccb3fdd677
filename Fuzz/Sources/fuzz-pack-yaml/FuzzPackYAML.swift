import FuzzSupport

@testable import Packs

/// A pack author's pack.yaml: every problem reported, never a crash.
@_cdecl("fuzz_pack_yaml_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  FuzzEntry.run(argc, argv) { data, count in
    fuzzPackYAML(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, count)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackYAML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let diagnostics = PackDiagnostics(file: "pack.yaml")
  _ = PackSource.parse(yaml: FuzzInput.text(start, count), diagnostics: diagnostics)
  precondition(diagnostics.errors.allSatisfy { $0.file == "pack.yaml" })
  return 0
}
