import ExamCore
import ExamStorage

/// An inline SVG bar chart of a student's listening-and-speaking sittings: one stacked bar per sitting
/// (listening below, speaking above), the counted one drawn darker, scaled to the exam's maximum. No scripts.
enum ExportChart {
  /// Chart size in CSS pixels (it scales with the page: `width: 100%`).
  static let width = 640.0
  static let height = 220.0

  static func svg(_ sittings: [RecordTestSitting]) -> String {
    typealias F = RecordsFormat
    let left = 44.0, right = 16.0, top = 26.0, bottom = 40.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let maximum = max(sittings.map { max($0.maxTotal, $0.total) }.max() ?? 1, 1)
    func y(_ points: Double) -> Double { top + plotHeight * (1 - points / maximum) }
    func f(_ v: Double) -> String { F.number((v * 10).rounded() / 10) }
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(f(width)) \(f(height))" width="100%" \
      role="img" aria-label="听说测试成绩 Listening and speaking results" class="chart">
      <style>text{font:11px sans-serif;fill:#333}.axis{stroke:#555;stroke-width:1}.grid{stroke:#ddd;stroke-width:1}</style>

      """
    for step in 0...4 {
      let v = maximum * Double(step) / 4
      out += """
        <line class="grid" x1="\(f(left))" x2="\(f(width - right))" y1="\(f(y(v)))" y2="\(f(y(v)))"/>\
        <text x="\(f(left - 6))" y="\(f(y(v) + 4))" text-anchor="end">\(F.number((v * 10).rounded() / 10))</text>

        """
    }
    out += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
    out +=
      "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\"/>\n"
    let slot = plotWidth / Double(max(sittings.count, 1))
    let barWidth = min(70, slot * 0.5)
    for (i, s) in sittings.enumerated() {
      let x = left + slot * (Double(i) + 0.5) - barWidth / 2
      let listeningColour = s.counted ? "#1f4e99" : "#9db3d9"
      let speakingColour = s.counted ? "#d9822b" : "#f0c79c"
      let listenTop = y(min(s.listening, maximum))
      let totalTop = y(min(s.listening + s.speaking, maximum))
      out += """
        <rect x="\(f(x))" y="\(f(listenTop))" width="\(f(barWidth))" height="\(f(top + plotHeight - listenTop))" \
        fill="\(listeningColour)"><title>听力 Listening \(F.number(s.listening))</title></rect>\
        <rect x="\(f(x))" y="\(f(totalTop))" width="\(f(barWidth))" height="\(f(max(0, listenTop - totalTop)))" \
        fill="\(speakingColour)"><title>口语 Speaking \(F.number(s.speaking))</title></rect>\
        <text x="\(f(x + barWidth / 2))" y="\(f(y(min(s.total, maximum)) - 6))" text-anchor="middle" \
        font-weight="bold">\(F.number(s.total)) · \(F.html(F.levelText(s.level)))\(s.counted ? " ✓" : "")</text>\
        <text x="\(f(x + barWidth / 2))" y="\(f(top + plotHeight + 15))" text-anchor="middle">\(s.sittingDate)</text>\
        <text x="\(f(x + barWidth / 2))" y="\(f(top + plotHeight + 29))" text-anchor="middle">\(F.html(s.examId))</text>

        """
    }
    out += """
      <rect x="\(f(left + 4))" y="6" width="10" height="10" fill="#1f4e99"/><text x="\(f(left + 18))" y="15">听力 Listening</text>\
      <rect x="\(f(left + 110))" y="6" width="10" height="10" fill="#d9822b"/><text x="\(f(left + 124))" y="15">口语 Speaking</text>\
      <text x="\(f(left + 220))" y="15">✓ 计入 counted (paler bars: not counted) · max \(F.number(maximum))</text>
      </svg>
      """
    return out
  }
}
