import ExamCore
import FuzzSupport

/// CSV as rosters, manifests, answers, marks and records arrive: the whole-text table and the streamed reader
/// must agree on what they accept and on every row.
@_cdecl("fuzz_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  FuzzEntry.run(argc, argv) { data, count in
    fuzzCSV(data.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(bitPattern: 1)!, count)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  // The text as every caller gets it (`InputFile.text`): decoded by `TextDecoding`, one byte-order mark dropped
  // there; the file reader's stream decoder drops the same one. (Raw UTF-8 here once made the table see a BOM
  // more than the streamed reader: Fuzz/Regressions/fuzz-csv/double-bom.)
  let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
  guard let text = try? TextDecoding.decode(bytes, source: "fuzz.csv").text else { return 0 }
  let table = try? CSVTable(parsing: text, source: "fuzz.csv")
  let path = FuzzInput.file(start, count, suffix: ".csv")
  var streamed: [[String]] = []
  var header: [String]?
  let accepted =
    (try? CSVFileReader(path: path).forEachRow(header: { header = $0 }) { streamed.append($0.fields) }) != nil
  if let table, accepted, String(validating: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self) != nil {
    precondition(table.header == header, "the table and the streamed reader read different headers")
    precondition(table.rows.map(\.fields) == streamed, "the table and the streamed reader read different rows")
  }
  return 0
}
