import FuzzSupport
import Proctoring

/// One line of a seat machine's event log.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeatEvent(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
  if case .success(let event) = SeatEventParser.parse(bytes, examId: "E1") {
    precondition(!event.machineId.isEmpty || count > 0)
  }
  return 0
}
