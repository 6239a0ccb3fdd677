import ExamCore
import ExamStorage
import Foundation

/// Writes the stored plan of an exam as files for the exam office:
/// - `seats.csv`: the whole sitting, one row per occupied seat, header
///   `session,centre,room,seat,row,col,candidate,school,district,form` (UTF-8, no BOM: for programs);
/// - `tickets.csv`: admission tickets (candidate, name, centre and address, room, seat, session time);
/// - `rooms/<session>/<centre>-<room>.csv|.html`: the seat plan of each room (every seat, with reserve and
///   empty seats), the HTML a printable grid with the front of the room on top;
/// - `doors/<session>/<centre>-<room>.csv|.html`: the list posted at the door, by candidate number.
/// Human-facing CSVs start with a UTF-8 BOM so Excel on Chinese Windows shows the names. Each file is
/// written atomically and owner-only (names and addresses: folders it creates 0700, files 0600,
/// `PrivateOutputFile`); the same plan gives the same bytes.
public struct PlanExporter: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case csv, html, all
  }

  public static let seatsHeader = [
    "session", "centre", "room", "seat", "row", "col", "candidate", "school", "district", "form",
  ]

  public let database: any SittingStore
  public init(database: any SittingStore) { self.database = database }

  /// Writes the files under `directory`; returns their paths relative to it.
  /// - Throws: `ExamError.state` when the exam has no plan, `.io` when a file cannot be written.
  public func export(examId: String, format: Format, to directory: String) async throws -> [String] {
    let exam = try await database.requireExam(id: examId)
    let plan = try await database.allocation(examId: examId)
    guard !plan.isEmpty else {
      throw ExamError(
        .state, location: "exam \(examId)", "has no seat plan", fix: "run `exam allocate --exam \(examId)` first")
    }
    let candidates = Dictionary(try await database.candidates().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let sessions = try await database.sessions()
    let sessionOrder = Dictionary(uniqueKeysWithValues: sessions.enumerated().map { ($1.id, $0) })
    let centres = try await database.centres()
    let centreById = Dictionary(uniqueKeysWithValues: centres.map { ($0.id, $0) })
    var written: [String] = []
    func write(_ relative: String, _ text: String) throws {
      try PrivateOutputFile.writeAtomically(text, to: directory + "/" + relative)
      written.append(relative)
    }
    // Group by room-session, in session order.
    var byRoom: [String: [SeatAssignment]] = [:]
    for a in plan { byRoom[a.sessionId + "\u{1}" + a.centreId + "\u{1}" + a.roomId, default: []].append(a) }
    let keys = byRoom.keys.sorted { l, r in
      let a = l.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
      let b = r.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
      return (sessionOrder[a[0]] ?? 0, a[1], a[2]) < (sessionOrder[b[0]] ?? 0, b[1], b[2])
    }
    var seats = CSVWriter(header: Self.seatsHeader)
    for key in keys {
      let list = byRoom[key]!
      let first = list[0]
      guard let centre = centreById[first.centreId], let room = centre.rooms.first(where: { $0.id == first.roomId }),
        let session = sessions.first(where: { $0.id == first.sessionId })
      else { continue }
      let seatOf = Dictionary(uniqueKeysWithValues: room.seats.map { ($0.id, $0) })
      let sorted = list.sorted {
        let a = seatOf[$0.seatId]!, b = seatOf[$1.seatId]!
        return (a.row, a.column, a.id) < (b.row, b.column, b.id)
      }
      for a in sorted {
        let seat = seatOf[a.seatId]!
        let c = candidates[a.candidateId]
        seats.append([
          a.sessionId, a.centreId, a.roomId, a.seatId, String(seat.row), String(seat.column), a.candidateId,
          c?.school ?? "", c?.district ?? "", a.form,
        ])
      }
      let sheet = RoomSheet(
        exam: exam, session: session, centre: centre, room: room, assignments: list, candidates: candidates)
      let base =
        try "\(PathComponent.checked(session.id, what: "session id"))/"
        + "\(PathComponent.checked(centre.id, what: "centre id"))-\(PathComponent.checked(room.id, what: "room id"))"
      if format != .html {
        try write("rooms/\(base).csv", sheet.seatPlanCSV())
        try write("doors/\(base).csv", sheet.doorListCSV())
      }
      if format != .csv {
        try write("rooms/\(base).html", sheet.seatPlanHTML())
        try write("doors/\(base).html", sheet.doorListHTML())
      }
    }
    try write("seats.csv", seats.text)
    var tickets = CSVWriter(
      header: [
        "candidate", "name", "session", "date", "start", "end", "centre", "centre_name",
        "address", "room", "seat", "machine", "form", "accommodations",
      ], byteOrderMark: true)
    for t in try await AdmissionTicket.all(examId: examId, database: database) {
      tickets.append([
        t.candidate, t.name, t.session, t.date, t.start, t.end, t.centre, t.centreName, t.address, t.room,
        t.seat, t.machine ?? "", t.form, t.accommodations.joined(separator: ";"),
      ])
    }
    try write("tickets.csv", tickets.text)
    removeStaleSheets(in: directory, keeping: Set(written))
    return written
  }

  /// Removes room sheets and door lists of an earlier export that this plan no longer has (a room now empty),
  /// so the folder always shows exactly one plan. Only `.csv`/`.html` files under `rooms/` and `doors/`.
  func removeStaleSheets(in directory: String, keeping written: Set<String>) {
    for folder in ["rooms", "doors"] {
      let root = directory + "/" + folder
      guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
      while let relative = walker.nextObject() as? String {
        let path = folder + "/" + relative
        guard relative.hasSuffix(".csv") || relative.hasSuffix(".html"), !written.contains(path) else { continue }
        try? FileManager.default.removeItem(atPath: directory + "/" + path)
      }
    }
  }
}
