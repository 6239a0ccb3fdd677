import ExamCore
import ExamStorage

/// One room's HTML page: per session, a timeline of its seats (who was logged in when, machine silences,
/// network losses, crashes) with incident markers, then the incident table. Inline SVG and CSS, no scripts.
struct RoomTimeline {
  let room: ProctoringRoom
  let context: SittingContext
  let seats: [Seat]
  let events: [SeatEvent]
  let incidents: [Incident]
  let decisions: [IncidentDecision]
  var settings = RuleSettings()

  static let width = 1100.0
  static let labelWidth = 150.0
  static let rowHeight = 24.0

  func html() -> String {
    var body =
      "<h1>Room \(HTML.escape(room.centreId)) / \(HTML.escape(room.roomId)) — exam \(HTML.escape(context.exam.id))</h1>\n"
    let open = incidents.filter { $0.status == .open }.count
    body +=
      "<div class=\"sub\">\(incidents.count) incident(s), \(open) open · <a href=\"index.html\">all rooms</a></div>\n"
    body += legend()
    var bySession: [String: [SeatEvent]] = [:]
    for e in events {
      if let w = context.session(at: e.at, settings: settings) { bySession[w.session.id, default: []].append(e) }
    }
    for w in context.sessions
    where bySession[w.session.id] != nil || incidents.contains(where: { $0.sessionId == w.session.id }) {
      body +=
        "<h2>Session \(HTML.escape(w.session.id)) · \(HTML.escape("\(w.session.date) \(w.session.start)–\(w.session.end)"))</h2>\n"
      body += svg(window: w, events: bySession[w.session.id] ?? [])
    }
    body += incidentTable()
    return HTML.page(title: "Room \(room.centreId)/\(room.roomId)", body: body)
  }

  func legend() -> String {
    """
    <div class="legend"><span><i class="sw" style="background:#7cc47f"></i>logged in</span>\
    <span><i class="sw" style="background:#e5533d"></i>machine silent &gt; \(Int(settings.heartbeatGapSeconds)) s</span>\
    <span><i class="sw" style="background:#f0a030"></i>network lost</span>\
    <span><i class="sw" style="background:#333"></i>client crash</span>\
    <span><i class="sw" style="background:#b00020;border-radius:6px"></i>high</span>\
    <span><i class="sw" style="background:#e08a00;border-radius:6px"></i>medium</span>\
    <span><i class="sw" style="background:#888;border-radius:6px"></i>low incident</span></div>

    """
  }

  func svg(window: SittingContext.SessionWindow, events: [SeatEvent]) -> String {
    var seatIds = seats.sorted { ($0.row, $0.column) < ($1.row, $1.column) }.map(\.id)
    for e in events where !seatIds.contains(e.seatId) { seatIds.append(e.seatId) }
    let reserve = Set(seats.filter(\.reserve).map(\.id))
    let from = min(window.start, events.first?.at ?? window.start) - 300
    let to = max(window.end, events.last?.at ?? window.end) + 300
    let plotWidth = Self.width - Self.labelWidth - 10
    func x(_ t: Double) -> Double { Self.labelWidth + (t - from) / (to - from) * plotWidth }
    let height = Double(seatIds.count) * Self.rowHeight + 30
    var s =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(height))\" font-size=\"11\" font-family=\"system-ui,sans-serif\">\n"
    for row in seatIds.indices where row % 2 == 0 {
      s +=
        "<rect x=\"0\" y=\"\(f(20 + Double(row) * Self.rowHeight))\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.rowHeight))\" fill=\"#f6f6f6\"/>"
    }
    var overlay = ""  // silences, network losses, crashes and markers go over the bars
    // Grid every 10 minutes.
    var tick = (from / 600).rounded(.up) * 600
    while tick <= to {
      s += "<line x1=\"\(f(x(tick)))\" y1=\"18\" x2=\"\(f(x(tick)))\" y2=\"\(f(height))\" stroke=\"#eee\"/>"
      s +=
        "<text x=\"\(f(x(tick)))\" y=\"12\" text-anchor=\"middle\" fill=\"#888\">\(SittingContext.clock(tick).prefix(5))</text>\n"
      tick += 600
    }
    for (t, label) in [(window.start, "start"), (window.end, "end")] {
      s +=
        "<line x1=\"\(f(x(t)))\" y1=\"16\" x2=\"\(f(x(t)))\" y2=\"\(f(height))\" stroke=\"#1a5fb4\" stroke-dasharray=\"4 3\"><title>session \(label) \(SittingContext.clock(t))</title></line>\n"
    }
    let bySeat = Dictionary(grouping: events, by: \.seatId)
    let sessionIncidents = incidents.filter { $0.sessionId == window.session.id || $0.sessionId == nil }
    for (row, seatId) in seatIds.enumerated() {
      let y = 22 + Double(row) * Self.rowHeight
      let seatEvents = bySeat[seatId] ?? []
      let candidates = Array(Set(seatEvents.compactMap(\.candidateId))).sorted()
      let label = "\(seatId)\(reserve.contains(seatId) ? " (R)" : "") \(candidates.joined(separator: "+"))"
      s +=
        "<text x=\"4\" y=\"\(f(y + 13))\" fill=\"\(candidates.count > 1 ? "#b00020" : "#222")\">\(HTML.escape(label))</text>\n"
      var loginAt: Double?
      var lastBeat: Double?
      var lostAt: Double?
      for e in seatEvents {
        switch e.type {
        case .login:
          if loginAt == nil { loginAt = e.at }
          lastBeat = e.at
        case .heartbeat:
          if let b = lastBeat, loginAt != nil, e.at - b > settings.heartbeatGapSeconds {
            overlay += gapRect(x(b), x(e.at), y, e.at - b)
          }
          lastBeat = e.at
        case .logout:
          if let b = lastBeat, loginAt != nil, e.at - b > settings.heartbeatGapSeconds {
            overlay += gapRect(x(b), x(e.at), y, e.at - b)
          }
          if let l = loginAt { s += bar(x(l), x(e.at), y, e.candidateId ?? "", l, e.at) }
          loginAt = nil
          lastBeat = nil
        case .networkLost: lostAt = e.at
        case .networkRestored:
          if let l = lostAt {
            overlay +=
              "<rect x=\"\(f(x(l)))\" y=\"\(f(y + 13))\" width=\"\(f(max(2, x(e.at) - x(l))))\" height=\"5\" fill=\"#f0a030\"><title>network lost \(SittingContext.clock(l))–\(SittingContext.clock(e.at))</title></rect>"
          }
          lostAt = nil
        case .clientCrash:
          overlay +=
            "<rect x=\"\(f(x(e.at) - 1.5))\" y=\"\(f(y))\" width=\"3\" height=\"18\" fill=\"#333\"><title>client crash \(SittingContext.clock(e.at))</title></rect>"
        default: break
        }
      }
      if let l = loginAt {
        let end = lastBeat ?? l
        s += bar(x(l), x(end), y, seatEvents.last?.candidateId ?? "", l, end)
        let stop = min(window.end, events.last?.at ?? window.end)
        if stop - end > settings.heartbeatGapSeconds { overlay += gapRect(x(end), x(stop), y, stop - end) }
      }
      for i in sessionIncidents where i.seatId == seatId {
        guard let at = i.at else { continue }
        let colour = i.severity == .high ? "#b00020" : i.severity == .medium ? "#e08a00" : "#888"
        overlay +=
          "<circle cx=\"\(f(x(at)))\" cy=\"\(f(y + 9))\" r=\"5.5\" fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"1.5\"><title>#\(i.id ?? 0) \(HTML.escape(i.rule)): \(HTML.escape(i.comment))</title></circle>\n"
      }
    }
    s += overlay + "</svg>\n"
    return s
  }

  func bar(_ x1: Double, _ x2: Double, _ y: Double, _ candidate: String, _ from: Double, _ to: Double) -> String {
    "<rect x=\"\(f(x1))\" y=\"\(f(y + 3))\" width=\"\(f(max(2, x2 - x1)))\" height=\"12\" rx=\"3\" fill=\"#7cc47f\"><title>\(HTML.escape(candidate)) logged in \(SittingContext.clock(from))–\(SittingContext.clock(to))</title></rect>"
  }

  func gapRect(_ x1: Double, _ x2: Double, _ y: Double, _ seconds: Double) -> String {
    "<rect x=\"\(f(x1))\" y=\"\(f(y + 3))\" width=\"\(f(max(2, x2 - x1)))\" height=\"12\" fill=\"#e5533d\"><title>machine silent \(Int(seconds)) s</title></rect>"
  }

  func incidentTable() -> String {
    let byIncident = Dictionary(grouping: decisions, by: \.incidentId)
    var rows = ""
    for i in incidents.sorted(by: { ($0.at ?? 0, $0.id ?? 0) < ($1.at ?? 0, $1.id ?? 0) }) {
      let decided = (byIncident[i.id ?? -1] ?? []).map {
        "\(HTML.escape($0.operator)): \($0.action.rawValue) — \(HTML.escape($0.reason))"
      }
      rows +=
        "<tr><td>#\(i.id ?? 0)</td><td>\(i.at.map(SittingContext.clock) ?? "")</td><td>\(HTML.escape(i.seatId ?? ""))</td>"
        + "<td>\(HTML.escape(i.candidateId ?? ""))</td><td>\(i.category.rawValue) / \(HTML.escape(i.subcategory))</td>"
        + "<td class=\"sev-\(i.severity.rawValue)\">\(i.severity.rawValue)</td><td class=\"\(i.status == .open ? "open" : "")\">\(i.status.rawValue)</td>"
        + "<td>\(HTML.escape(i.comment))\(i.suggestion.map { "<br><i>→ \(HTML.escape($0))</i>" } ?? "")</td>"
        + "<td>\(decided.joined(separator: "<br>"))</td></tr>\n"
    }
    return """
      <h2>Incidents</h2>
      <table class="list"><tr><th>#</th><th>Time</th><th>Seat</th><th>Candidate</th><th>Category</th><th>Severity</th><th>Status</th><th>What</th><th>Decision</th></tr>
      \(rows)</table>

      """
  }

  func f(_ v: Double) -> String { String(format1: v) }
}
