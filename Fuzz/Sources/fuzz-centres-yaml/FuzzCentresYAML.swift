import Allocation
import FuzzSupport

/// The exam office's centres file (centres, rooms, seats, sessions, district adjacency).
@_cdecl("fuzz_centres_yaml_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  FuzzEntry.run(argc, argv) { data, count in
    fuzzCentresYAML(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, count)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCentresYAML(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  _ = try? VenueFile(yaml: FuzzInput.text(start, count), source: "centres.yaml")
  return 0
}
