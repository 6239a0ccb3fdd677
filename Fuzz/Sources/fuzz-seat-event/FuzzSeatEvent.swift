import FuzzSupport
import Proctoring

/// One line of a seat machine's event log.
@_cdecl("fuzz_seat_event_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  FuzzEntry.run(argc, argv) { data, count in
    fuzzSeatEvent(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, count)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeatEvent(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
  if case .success(let event) = SeatEventParser.parse(bytes, examId: "E1") {
    precondition(!event.machineId.isEmpty || count > 0)
  }
  return 0
}
