import ExamCore
import Foundation
import HTTPTypes
import Hummingbird

extension MarkingDeskServer {
  func office(_ request: Request, json: Bool) async throws -> Response {
    let session = try await auth.require(request, roles: [.arbiter, .office])
    let board = try await OfficeBoard(desk: desk, examId: configuration.examId).snapshot()
    if json {
      var headers = HTTPFields()
      headers[.contentType] = "application/json"
      headers[.cacheControl] = "no-store"
      return Response(
        status: .ok, headers: headers,
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try OfficeBoard.encoder.encode(board))))
    }
    return DeskPage(
      title: "Marking", body: OfficePage.html(board), session: session, raterName: session.raterName,
      script: "setTimeout(() => location.reload(), \(OfficePage.refreshSeconds * 1000));"
    ).response()
  }
}

/// `/marking`: tables and one inline SVG chart, every value from the store escaped.
enum OfficePage {
  static let refreshSeconds = 30
  static func e(_ text: String) -> String { HTMLText.escape(text) }
  static func n(_ x: Double?, _ decimals: Int = 2) -> String {
    x.map { NumberText.plain($0, decimals: decimals) } ?? "—"
  }

  static func html(_ b: OfficeBoard.Snapshot) -> String {
    let s = b.status
    let items = b.items.map { i in
      "<tr><td>\(e(i.itemId))</td><td>\(i.answersForPeople)</td><td>\(i.humanMarks) of \(i.answersForPeople * 2)</td><td>\(i.final)</td><td>\(i.waitingForArbitration)</td></tr>"
    }.joined(separator: "\n")
    let raters = b.raters.filter { $0.assigned > 0 || $0.marked > 0 }.map { r in
      let o = r.versusOtherRater, m = r.versusMachine
      return "<tr><td>\(e(r.raterId)) \(e(r.name))</td><td>\(r.marked) of \(r.assigned)</td><td>\(r.marksLastHour)</td>"
        + "<td>\(n(o?.pearson))</td><td>\(n(o.map { $0.exact * 100 }, 0))</td><td>\(n(o.map { $0.adjacent * 100 }, 0))</td>"
        + "<td>\(n(m?.pearson))</td><td>\(n(m.map { $0.exact * 100 }, 0))</td><td>\(n(m.map { $0.adjacent * 100 }, 0))</td>"
        + "<td>\(e(r.lastMarkAt ?? "—"))</td></tr>"
    }.joined(separator: "\n")
    return """
      <h1>Marking of exam \(e(b.examId))</h1>
      <p role="status" id="summary">At \(e(b.at)) (refreshes every \(refreshSeconds) s): \(b.humanMarks) human marks, \(b.marksLastHour) in the last hour,
      \(n(b.marksPerHour, 1)) per hour. Answers: \(s.needHumans) for people, \(s.final) final, \(s.awaitingMarks) waiting for marks,
      <span id="waiting-arbitration">\(s.awaitingArbitration)</span> waiting for arbitration. As JSON: <a href="/marking.json">/marking.json</a>.</p>
      <h2>Per item</h2>
      <table><thead><tr><th scope="col">Item</th><th scope="col">Answers for people</th><th scope="col">Marks given</th><th scope="col">Final</th><th scope="col">Waiting for arbitration</th></tr></thead>
      <tbody>\(items)</tbody></table>
      <h2>Per rater</h2>
      <p>Agreement on a 0–10 scale: Pearson r, exact and adjacent (±1) in %, against the other rater of the same answers and against the machine.</p>
      <table id="raters"><thead><tr><th scope="col">Rater</th><th scope="col">Marked</th><th scope="col">Last hour</th>
      <th scope="col">r vs rater</th><th scope="col">exact %</th><th scope="col">adjacent %</th>
      <th scope="col">r vs machine</th><th scope="col">exact %</th><th scope="col">adjacent %</th><th scope="col">Last mark</th></tr></thead>
      <tbody>\(raters)</tbody></table>
      <h2 id="drift-h">Drift over the day</h2>
      \(driftChart(b.raters))
      """
  }

  /// One line per rater: mean (own − other rater) per hour on the 0–10 scale; 0 is agreement.
  static func driftChart(_ raters: [OfficeBoard.RaterRow]) -> String {
    let hours = Array(Set(raters.flatMap { $0.drift.map(\.hour) })).sorted()
    guard !hours.isEmpty else { return "<p>No answer has two marks yet.</p>" }
    let width = 720.0, height = 240.0, left = 40.0, right = 10.0, top = 10.0, bottom = 30.0
    func x(_ hour: String) -> Double {
      let i = Double(hours.firstIndex(of: hour) ?? 0)
      return hours.count == 1
        ? left + (width - left - right) / 2 : left + i * (width - left - right) / Double(hours.count - 1)
    }
    func y(_ d: Double) -> Double { top + (5 - min(5, max(-5, d))) / 10 * (height - top - bottom) }
    var svg =
      "<svg role=\"img\" aria-labelledby=\"drift-h drift-desc\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
    svg +=
      "<desc id=\"drift-desc\">Mean difference between each rater's marks and the other rater's, per hour, from -5 to +5 on a 0 to 10 scale.</desc>"
    for tick in [-5.0, 0, 5] {
      svg +=
        "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"\(tick == 0 ? "#555" : "#ddd")\"/>"
      svg += "<text x=\"4\" y=\"\(y(tick) + 4)\" font-size=\"11\">\(tick > 0 ? "+" : "")\(Int(tick))</text>"
    }
    for hour in [hours.first!, hours.last!] {
      svg += "<text x=\"\(x(hour) - 30)\" y=\"\(height - 8)\" font-size=\"11\">\(e(String(hour.suffix(5))))h</text>"
    }
    let palette = ["#1d3557", "#e63946", "#2a9d8f", "#e9c46a", "#6a4c93", "#f4a261", "#457b9d", "#8d99ae"]
    for (i, r) in raters.filter({ !$0.drift.isEmpty }).enumerated() {
      let points = r.drift.map { "\(x($0.hour)),\(y($0.meanDifference))" }.joined(separator: " ")
      let colour = palette[i % palette.count]
      svg +=
        "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points)\"><title>\(e(r.raterId)) \(e(r.name))</title></polyline>"
      for p in r.drift {
        svg += "<circle cx=\"\(x(p.hour))\" cy=\"\(y(p.meanDifference))\" r=\"2.5\" fill=\"\(colour)\"/>"
      }
    }
    return svg + "</svg>"
  }
}
