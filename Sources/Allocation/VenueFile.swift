import ExamCore
import Yams

/// The centres file (`exam centres import FILE.yaml`), read and checked.
///
/// ```yaml
/// sessions:
///   - {id: D1-AM, date: 2026-06-14, start: "08:30", end: "10:00"}
/// adjacency:                       # pairs of neighbouring districts
///   - [徐汇区, 长宁区]
/// centres:
///   - id: XH01
///     name: 南洋模范中学考点
///     district: 徐汇区
///     address: 上海市徐汇区天平路200号      # optional, printed on admission tickets
///     rooms:
///       - id: R101
///         grid: {rows: 5, columns: 6}  # seats 01, 02, … row by row from the front left
///         accessible: true             # optional, default false
///         reserve: 3                   # optional: a count (the last seats), or a list of seat ids;
///                                      # default 10% of the seats (rounded up), at least 1
///       - id: L201
///         seats:                       # or an explicit seat list, with machine ids
///           - {id: "01", row: 1, col: 1, machine: CN01-L201-PC01}
/// ```
/// Every problem is reported with its key path (`centres[0].rooms[1].grid.rows`) and line.
public struct VenueFile: Sendable {
  public var centres: [Centre]
  public var sessions: [ExamSession]
  public var adjacency: [(String, String)]

  /// Reads and checks `path`.
  /// - Throws: `ExamError` when the file cannot be read or is not YAML; `ExamErrors` listing every bad key.
  public init(path: String) throws {
    let bytes = try InputFile.bytes(path)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ExamError(.unsupportedFormat, file: path, "is not UTF-8 text", fix: "save the centres file as UTF-8")
    }
    try self.init(yaml: text, source: path)
  }

  public init(yaml: String, source: String) throws {
    try YAMLNesting.check(yaml, file: source)
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      throw ExamError(
        .invalidInput, file: source, "is not valid YAML", fix: "check indentation and quoting",
        underlying: "\(error)")
    }
    var reader = VenueReader(source: source)
    reader.read(root)
    guard reader.errors.isEmpty else { throw ExamErrors(reader.errors) }
    centres = reader.centres
    sessions = reader.sessions
    adjacency = reader.adjacency
  }

  /// Default reserve seats of a room of `seatCount` seats: 10%, rounded up, at least 1 (none if 1 seat).
  public static func defaultReserve(seatCount: Int) -> Int {
    seatCount <= 1 ? 0 : max(1, (seatCount + 9) / 10)
  }
}
