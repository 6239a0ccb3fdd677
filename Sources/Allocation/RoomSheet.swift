import ExamCore

/// The printed sheets of one room in one session: the seat plan and the door list, as CSV and HTML.
struct RoomSheet {
  let exam: ExamDefinition
  let session: ExamSession
  let centre: Centre
  let room: Room
  let assignments: [SeatAssignment]
  let candidates: [String: Candidate]

  var bySeat: [String: SeatAssignment] { Dictionary(uniqueKeysWithValues: assignments.map { ($0.seatId, $0) }) }

  var title: String {
    "\(exam.title) · \(session.date) \(session.start)–\(session.end) · \(centre.name) (\(centre.id)) · room \(room.id)"
  }

  /// Every seat of the room, front-left first: occupied, empty or reserve.
  func seatPlanCSV() -> String {
    var csv = CSVWriter(
      header: ["seat", "row", "col", "machine", "status", "candidate", "name", "school", "form"],
      byteOrderMark: true)
    let occupied = bySeat
    for seat in room.seats.sorted(by: { ($0.row, $0.column, $0.id) < ($1.row, $1.column, $1.id) }) {
      let a = occupied[seat.id]
      let c = a.flatMap { candidates[$0.candidateId] }
      let status = a != nil ? "occupied" : seat.reserve ? "reserve" : "empty"
      csv.append([
        seat.id, String(seat.row), String(seat.column), seat.machineId ?? "", status, a?.candidateId ?? "",
        c?.name ?? "", c?.school ?? "", a?.form ?? "",
      ])
    }
    return csv.text
  }

  /// The door list: who sits in this room, by candidate number.
  func doorListCSV() -> String {
    var csv = CSVWriter(header: ["candidate", "name", "school", "seat", "form", "accommodations"], byteOrderMark: true)
    for a in assignments.sorted(by: { $0.candidateId < $1.candidateId }) {
      let c = candidates[a.candidateId]
      csv.append([
        a.candidateId, c?.name ?? "", c?.school ?? "", a.seatId, a.form,
        c?.accommodations.map(\.rawValue).joined(separator: ";") ?? "",
      ])
    }
    return csv.text
  }

  /// A printable page: the seat grid with the front of the room (the invigilator's desk) on top.
  func seatPlanHTML() -> String {
    let occupied = bySeat
    var grid: [Int: [Int: Seat]] = [:]
    for seat in room.seats { grid[seat.row, default: [:]][seat.column] = seat }
    var body = "<table class=\"grid\">\n"
    for row in 1...max(1, room.rows) {
      body += "<tr>"
      for column in 1...max(1, room.columns) {
        guard let seat = grid[row]?[column] else {
          body += "<td class=\"aisle\"></td>"
          continue
        }
        if let a = occupied[seat.id] {
          let c = candidates[a.candidateId]
          body +=
            "<td class=\"form-\(Self.escape(a.form))\"><b>\(Self.escape(seat.id))</b> <i>\(Self.escape(a.form))</i><br>"
            + "\(Self.escape(a.candidateId))<br>\(Self.escape(c?.name ?? ""))<br><small>\(Self.escape(c?.school ?? ""))</small></td>"
        } else {
          body +=
            "<td class=\"\(seat.reserve ? "reserve" : "empty")\"><b>\(Self.escape(seat.id))</b><br>"
            + (seat.reserve ? "备用 reserve" : "空 empty") + "</td>"
        }
      }
      body += "</tr>\n"
    }
    body += "</table>\n"
    return page(
      heading: "座位表 Seat plan",
      body: "<p class=\"front\">讲台 Front</p>\n" + body
        + "<p>\(assignments.count) candidates · forms alternate so neighbours never share one.</p>\n")
  }

  func doorListHTML() -> String {
    var body =
      "<table class=\"list\">\n<tr><th>准考证号 Candidate</th><th>姓名 Name</th><th>学校 School</th><th>座位 Seat</th></tr>\n"
    for a in assignments.sorted(by: { $0.candidateId < $1.candidateId }) {
      let c = candidates[a.candidateId]
      body +=
        "<tr><td>\(Self.escape(a.candidateId))</td><td>\(Self.escape(c?.name ?? ""))</td>"
        + "<td>\(Self.escape(c?.school ?? ""))</td><td>\(Self.escape(a.seatId))</td></tr>\n"
    }
    return page(heading: "门贴 Door list", body: body + "</table>\n")
  }

  func page(heading: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="zh-CN"><head><meta charset="utf-8"><title>\(Self.escape(heading)) \(Self.escape(centre.id))-\(Self.escape(room.id))</title>
    <style>
    body{font-family:sans-serif;margin:1cm} h1{font-size:16pt} table{border-collapse:collapse}
    .grid td{border:1px solid #333;width:3.2cm;height:2cm;vertical-align:top;font-size:9pt;padding:2px}
    .grid td.reserve{background:#ddd} .grid td.empty{color:#999} .grid td.aisle{border:none}
    .grid td.form-B{background:#eef} .list td,.list th{border:1px solid #333;padding:3px 8px}
    .front{text-align:center;border:2px solid #333;width:8cm;margin:0 auto 8px}
    @media print{@page{size:A4 landscape}}
    </style></head><body>
    <h1>\(Self.escape(heading))</h1>
    <p>\(Self.escape(title))</p>
    \(body)</body></html>

    """
  }

  static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
