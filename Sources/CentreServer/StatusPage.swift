import ExamCore

/// The office's `/status` page: one table row per centre and session, refreshed by the browser every 10 s.
/// Every value from the store is HTML-escaped.
enum StatusPage {
  static let refreshSeconds = 10

  static func html(_ board: StatusBoard.Snapshot) -> String {
    func e(_ text: String) -> String { HTMLText.escape(text) }
    var rows = ""
    for row in board.rows {
      let complete = row.missing == 0 && row.refused == 0
      rows +=
        "<tr class=\"\(complete ? "done" : row.received == 0 ? "none" : "part")\"><td>\(e(row.centre))</td>"
        + "<td>\(e(row.session.isEmpty ? "(not allocated here)" : row.session))</td><td>\(row.expected)</td><td>\(row.received)</td>"
        + "<td>\(row.refused)</td><td>\(row.missing)</td><td>\(row.uploadsInFlight)</td><td>\(e(row.lastUploadAt ?? "—"))</td></tr>\n"
    }
    let t = board.totals
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="\(refreshSeconds)">
      <title>Uploads — \(e(board.examId))</title>
      <style>
      body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}
      td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}td:first-child,td:nth-child(2),th{text-align:left}
      tr.done td{background:#e9f7ec}tr.none td{background:#fdecea}tr.part td{background:#fff8e1}
      </style></head><body>
      <h1>Uploads for exam \(e(board.examId))</h1>
      <p>At \(e(board.at)); this page refreshes every \(refreshSeconds) s. Expected \(t.expected), received \(t.received),
      refused \(t.refused), missing \(t.missing). The same as JSON: <a href="/status.json">/status.json</a>.</p>
      <table><thead><tr><th>centre</th><th>session</th><th>expected</th><th>received</th><th>refused</th><th>missing</th>
      <th>uploads in flight</th><th>last upload</th></tr></thead>
      <tbody>
      \(rows)</tbody></table></body></html>

      """
  }
}
