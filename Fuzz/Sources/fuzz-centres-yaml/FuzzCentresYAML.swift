import Allocation
import FuzzSupport

/// The exam office's centres file (centres, rooms, seats, sessions, district adjacency).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCentresYAML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  _ = try? VenueFile(yaml: FuzzInput.text(start, count), source: "centres.yaml")
  return 0
}
