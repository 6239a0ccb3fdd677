import ExamCore
import ExamStorage

/// The irregularity report: one CSV row per incident with the columns proctoring platforms export
/// (date, author, candidate, category, subcategory, comment), then our own (id, severity, status, where,
/// evidence, decisions).
public enum IrregularityReport {
  public static let header = [
    "date", "author", "candidate", "category", "subcategory", "comment", "incident", "severity", "status", "centre",
    "room",
    "seat", "evidence", "decisions",
  ]

  /// CSV text (UTF-8 with a byte-order mark so spreadsheet programs read it as UTF-8).
  public static func csv(incidents: [Incident], decisions: [IncidentDecision]) -> String {
    let byIncident = Dictionary(grouping: decisions, by: \.incidentId)
    var writer = CSVWriter(header: header, byteOrderMark: true)
    for i in incidents {
      let decided = (byIncident[i.id ?? -1] ?? []).map {
        "\($0.at) \($0.operator): \($0.action.rawValue) — \($0.reason)"
      }
      writer.append([
        i.at.map(SittingContext.dateTime) ?? i.raisedAt, i.raisedBy, i.candidateId ?? "", i.category.rawValue,
        i.subcategory,
        i.comment, String(i.id ?? 0), i.severity.rawValue, i.status.rawValue, i.centreId ?? "", i.roomId ?? "",
        i.seatId ?? "",
        i.evidence.joined(separator: " "), decided.joined(separator: " | "),
      ])
    }
    return writer.text
  }

  /// Writes `irregularities.csv` and/or one HTML page per room plus `index.html` into `directory`, owner-only
  /// (candidates' ids and incidents: folders 0700, files 0600, `PrivateOutputFile`).
  /// - Returns: the paths written.
  public static func write(store: any ProctoringStore, examId: String, formats: Set<String>, to directory: String)
    async throws -> [String]
  {
    try PrivateOutputFile.makeFolders(directory)
    let incidents = try await store.incidents(examId: examId, roomId: nil, openOnly: false)
    let decisions = try await store.incidentDecisions(incidentId: nil)
    var written: [String] = []
    if formats.contains("csv") {
      let path = directory + "/irregularities.csv"
      try PrivateOutputFile.writeAtomically(csv(incidents: incidents, decisions: decisions), to: path)
      written.append(path)
    }
    if formats.contains("html") {
      let context = try await SittingContext.load(store, examId: examId)
      let centres = try await store.centres()
      var rooms = Set(try await store.seatEventRooms(examId: examId))
      for i in incidents {
        if let c = i.centreId, let r = i.roomId { rooms.insert(ProctoringRoom(centreId: c, roomId: r)) }
      }
      var pages: [(ProctoringRoom, String, [Incident])] = []
      for room in rooms.sorted() {
        let roomIncidents = incidents.filter { $0.centreId == room.centreId && $0.roomId == room.roomId }
        let seats = centres.first { $0.id == room.centreId }?.rooms.first { $0.id == room.roomId }?.seats ?? []
        let page = RoomTimeline(
          room: room, context: context, seats: seats,
          events: try await store.seatEvents(examId: examId, room: room), incidents: roomIncidents, decisions: decisions
        ).html()
        let name = "room-\(fileSafe(room.centreId))-\(fileSafe(room.roomId)).html"
        try PrivateOutputFile.writeAtomically(page, to: directory + "/" + name)
        written.append(directory + "/" + name)
        pages.append((room, name, roomIncidents))
      }
      let index = directory + "/index.html"
      try PrivateOutputFile.writeAtomically(indexPage(examId: examId, pages: pages), to: index)
      written.insert(index, at: formats.contains("csv") ? 1 : 0)
    }
    return written
  }

  static func fileSafe(_ s: String) -> String {
    String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
  }

  static func indexPage(examId: String, pages: [(ProctoringRoom, String, [Incident])]) -> String {
    var rows = ""
    for (room, name, incidents) in pages {
      let open = incidents.filter { $0.status == .open }.count
      let high = incidents.filter { $0.severity == .high }.count
      rows +=
        "<tr><td><a href=\"\(name)\">\(HTML.escape(room.centreId)) / \(HTML.escape(room.roomId))</a></td>"
        + "<td>\(incidents.count)</td><td class=\"\(open > 0 ? "open" : "")\">\(open)</td><td>\(high)</td></tr>\n"
    }
    return HTML.page(
      title: "Proctoring report — \(examId)",
      body: """
        <h1>Proctoring report — exam \(HTML.escape(examId))</h1>
        <table class="list"><tr><th>Room</th><th>Incidents</th><th>Open</th><th>High severity</th></tr>
        \(rows)</table>
        """)
  }
}
