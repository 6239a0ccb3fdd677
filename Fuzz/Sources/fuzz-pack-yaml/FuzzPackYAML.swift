import FuzzSupport

@testable import Packs

/// A pack author's pack.yaml: every problem reported, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackYAML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let diagnostics = PackDiagnostics(file: "pack.yaml")
  _ = PackSource.parse(yaml: FuzzInput.text(start, count), diagnostics: diagnostics)
  precondition(diagnostics.errors.allSatisfy { $0.file == "pack.yaml" })
  return 0
}
