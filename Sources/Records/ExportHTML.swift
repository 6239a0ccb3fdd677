import ExamCore
import ExamStorage

/// Writes one printable HTML record per student (`html/<student number>.html`, A4 print CSS, the four dimensions,
/// an inline SVG chart of the test results, no scripts) and `html/index.html` listing them.
enum ExportHTML {
  /// The pages being written, a batch of students at a time; `index.html` at the end.
  final class Writer: RecordsFileWriter, @unchecked Sendable {
    private let directory: String
    private let header: ExportHeader
    private let studentCount: Int
    private var used: Set<String> = []
    private var indexRows = ""
    /// The page of the first student with a test sitting, else of the first student (relative path).
    private(set) var sample: String?
    private var sampleHasSitting = false

    init(directory: String, header: ExportHeader, studentCount: Int) {
      self.directory = directory
      self.header = header
      self.studentCount = studentCount
    }

    func append(_ records: [StudentRecord]) throws {
      for r in records {
        var name = fileName(r.student.studentNumber)
        while used.contains(name) { name += "_" }
        used.insert(name)
        let relative = "html/\(name).html"
        try PrivateOutputFile.write(page(r, header: header), to: directory + "/" + relative)
        indexRows += indexRow(r, link: "\(name).html", header: header)
        if sample == nil || (!sampleHasSitting && !r.sittings.isEmpty) {
          sample = relative
          sampleHasSitting = !r.sittings.isEmpty
        }
      }
    }

    func finish() throws {
      try PrivateOutputFile.write(
        index(rows: indexRows, count: studentCount, header: header), to: directory + "/html/index.html")
    }
  }

  /// A file name from a student number: letters, digits, `-` and `_` kept, anything else `_`.
  static func fileName(_ number: String) -> String {
    let kept = number.unicodeScalars.map { s -> Character in
      (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_")) ? Character(s) : "_"
    }
    return kept.isEmpty ? "student" : String(kept)
  }

  static let style = """
    @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
    * { box-sizing: border-box; }
    body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
      font-size: 10pt; line-height: 1.45; color: #111; margin: 0; }
    .page { max-width: 186mm; margin: 0 auto; }
    header { border-bottom: 2px solid #1f4e99; margin-bottom: 4mm; padding-bottom: 2mm; }
    h1 { font-size: 16pt; margin: 0; color: #1f4e99; }
    h1 small { display: block; font-size: 9.5pt; color: #555; font-weight: normal; }
    h2 { font-size: 12pt; margin: 5mm 0 2mm; padding: 1mm 2mm; background: #eef2f9; border-left: 4px solid #1f4e99;
      break-after: avoid; page-break-after: avoid; }
    h2 small, h3 small { color: #555; font-weight: normal; font-size: 9pt; }
    h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
    table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; }
    th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
    th { background: #f4f4f4; font-weight: 600; font-size: 9pt; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    table.info td { border: none; padding: 0.5mm 2mm 0.5mm 0; }
    table.info td.k { color: #555; white-space: nowrap; width: 1%; }
    .num { text-align: right; white-space: nowrap; }
    .nowrap { white-space: nowrap; }
    table.entries { table-layout: fixed; }
    table.entries td { overflow-wrap: anywhere; }
    .empty { color: #888; font-style: italic; }
    .tag { display: inline-block; font-size: 8pt; padding: 0 1.5mm; border: 1px solid #1f4e99; color: #1f4e99;
      border-radius: 2mm; margin-left: 1mm; }
    .status-approved { color: #176b2c; }
    .status-entered, .status-confirmed { color: #a35a00; }
    .checks { border: 1px solid #d9822b; background: #fff8f0; padding: 2mm 3mm; margin: 3mm 0; }
    .checks.ok { border-color: #176b2c; background: #f2fbf4; }
    .checks ul { margin: 1mm 0 0 5mm; padding: 0; }
    svg.chart { max-width: 170mm; height: auto; display: block; margin: 1mm 0 2mm; }
    footer { margin-top: 6mm; border-top: 1px solid #bbb; padding-top: 1mm; font-size: 8pt; color: #555; }
    @media screen { body { background: #e9e9e9; } .page { background: #fff; padding: 12mm; margin: 6mm auto;
      box-shadow: 0 0 4px #999; width: 210mm; max-width: 210mm; } }
    small.source { color: #555; }
    th small { font-weight: normal; color: #555; }
    @media print { body { font-size: 9pt; } .page { max-width: none; } a { color: inherit; text-decoration: none; }
      th, td { padding: 0.6mm 1.2mm; } h2 { margin-top: 3.5mm; } svg.chart { max-width: 150mm; } }
    """

  static func page(_ r: StudentRecord, header: ExportHeader) -> String {
    typealias F = RecordsFormat
    let s = r.student
    var out = """
      <!DOCTYPE html>
      <html lang="zh-CN"><head><meta charset="utf-8">
      <title>综合素质评价记录 · \(F.html(s.name)) · \(F.html(s.studentNumber))</title>
      <style>\(style)</style></head>
      <body><div class="page">
      <header><h1>上海市普通高中学生综合素质评价记录<small>Comprehensive quality evaluation record</small></h1></header>
      <table class="info"><tr><td class="k">姓名 Name</td><td><strong>\(F.html(s.name))</strong></td>\
      <td class="k">学籍号 Student no.</td><td>\(F.html(s.studentNumber))</td></tr>
      <tr><td class="k">身份证号 National ID</td><td>\(F.html(r.nationalId(unmask: header.unmask)))</td>\
      <td class="k">届别 Cohort</td><td>\(s.cohort) 届</td></tr>
      <tr><td class="k">学校 School</td><td>\(F.html(s.school))</td><td class="k">区 District</td><td>\(F.html(s.district))</td></tr>
      <tr><td class="k">班级 Class</td><td>\(F.html(s.className))</td><td class="k">志愿服务 Volunteer service</td>\
      <td>\(F.number(r.check.volunteerHours)) / \(F.number(RecordChecks.volunteerHoursRequired)) 小时 hours</td></tr>
      </table>

      """
    out += checks(r.check)
    let numerals = ["一", "二", "三", "四"]
    for (i, dimension) in RecordDimension.allCases.enumerated() {
      out +=
        "<section class=\"dimension\"><h2>\(numerals[i])、\(dimension.chineseName) <small>\(dimension.englishName)</small></h2>\n"
      let entries = r.entries[dimension] ?? []
      if dimension == .academic && !r.sittings.isEmpty { out += sittings(r.sittings) }
      if entries.isEmpty {
        if !(dimension == .academic && !r.sittings.isEmpty) {
          out += "<p class=\"empty\">暂无记录 No entries.</p>\n"
        }
      } else {
        if dimension == .academic && !r.sittings.isEmpty {
          out += "<h3>课程与其他 <small>Courses and other entries</small></h3>\n"
        }
        out += entryTable(entries, school: s.school)
      }
      out += "</section>\n"
    }
    out += """
      <footer>导出时间 Exported \(header.generatedAt) · \(header.unmask ? "身份证号未遮盖 national ID shown in full" : "身份证号已遮盖 national ID masked") · \
      MANIFEST.json 已签名 signed (Ed25519); check with <code>exam records verify</code></footer>
      </div></body></html>

      """
    return out
  }

  static func checks(_ c: StudentCheck) -> String {
    guard !c.isComplete else {
      return
        "<div class=\"checks ok\">记录完整 Record complete: every dimension filled, volunteer hours met, all evidence given and approved.</div>\n"
    }
    let labels: [RecordIssueKind: String] = [
      .missingDimension: "缺少维度 Missing dimension", .volunteerHoursShort: "志愿服务不足 Volunteer hours short",
      .noEvidence: "缺少佐证 No evidence", .notApproved: "未审核 Not approved",
    ]
    var out = "<div class=\"checks\"><strong>待完善 To complete (\(c.issues.count))</strong><ul>"
    for issue in c.issues.prefix(12) {
      out += "<li>\(labels[issue.kind] ?? issue.kind.rawValue): \(RecordsFormat.html(issue.detail))</li>"
    }
    if c.issues.count > 12 { out += "<li>… \(c.issues.count - 12) more</li>" }
    return out + "</ul></div>\n"
  }

  /// The entries' table; `school` is the student's school, shown as the source only when the source differs.
  static func entryTable(_ entries: [RecordEntry], school: String) -> String {
    typealias F = RecordsFormat
    var out = """
      <table class="entries"><colgroup><col style="width:13%"><col style="width:14%"><col style="width:33%">\
      <col style="width:11%"><col style="width:17%"><col style="width:12%"></colgroup>\
      <thead><tr><th>日期 Date</th><th>类型 Type</th><th>内容 Title</th><th>时长·成绩<br><small>Hours · score</small></th>\
      <th>佐证 Evidence<br><small>来源 Source</small></th><th>状态 Status</th></tr></thead><tbody>

      """
    for e in entries {
      var measure: [String] = []
      if let h = e.hours { measure.append("\(F.number(h)) h") }
      if let sc = e.score { measure.append(F.number(sc)) }
      if let g = e.grade { measure.append(F.html(g)) }
      let indicator = e.indicator.map { "<span class=\"tag\">校本 \(F.html($0))</span>" } ?? ""
      out += """
        <tr><td class="nowrap">\(e.date)</td><td>\(e.type.chineseName)</td>\
        <td class="title">\(F.html(e.title))\(indicator)</td>\
        <td class="num">\(measure.joined(separator: " · "))</td>\
        <td>\(e.evidence.map(F.html) ?? "<span class=\"empty\">无 none</span>")\
        \(e.source == school ? "" : "<br><small class=\"source\">\(F.html(e.source))</small>")</td>\
        <td class="status-\(e.status.rawValue)">\(e.status.chineseName)</td></tr>

        """
    }
    return out + "</tbody></table>\n"
  }

  static func sittings(_ sittings: [RecordTestSitting]) -> String {
    typealias F = RecordsFormat
    var out = "<h3>英语听说测试 <small>English listening and speaking test</small></h3>\n" + ExportChart.svg(sittings) + "\n"
    out += """
      <table><thead><tr><th>日期 Date</th><th>考试 Exam</th><th>总分 Total</th><th>听力 Listening</th>\
      <th>口语 Speaking</th><th>分项 Sections</th><th>等第 Level</th><th>计入 Counted</th></tr></thead><tbody>

      """
    for t in sittings {
      let sections = t.sectionScores.sorted { $0.key < $1.key }.map { "\(F.html($0.key)) \(F.number($0.value))" }
        .joined(separator: ", ")
      out += """
        <tr><td class="nowrap">\(t.sittingDate)</td><td>\(F.html(t.examTitle)) (\(F.html(t.examId)))</td>\
        <td class="num"><strong>\(F.number(t.total))</strong> / \(F.number(t.maxTotal))</td>\
        <td class="num">\(F.number(t.listening))</td><td class="num">\(F.number(t.speaking))</td><td>\(sections)</td>\
        <td>\(F.html(F.levelText(t.level)))</td><td class="nowrap">\(t.counted ? "✓ 计入" : "—")</td></tr>

        """
    }
    return out + "</tbody></table>\n"
  }

  static func index(rows: String, count: Int, header: ExportHeader) -> String {
    typealias F = RecordsFormat
    let out = """
      <!DOCTYPE html>
      <html lang="zh-CN"><head><meta charset="utf-8"><title>综合素质评价记录 · 目录 Index</title>
      <style>\(style)</style></head><body><div class="page">
      <header><h1>综合素质评价记录 · 目录<small>Index of \(count) records · exported \(header.generatedAt)</small></h1></header>
      <table><thead><tr><th>学校 School</th><th>班级 Class</th><th>学籍号 Student no.</th><th>姓名 Name</th>\
      <th>身份证号 National ID</th><th>完整 Complete</th></tr></thead><tbody>

      """
    return out + rows + "</tbody></table></div></body></html>\n"
  }

  /// The index's row for one student, linking to `link` (relative to html/).
  static func indexRow(_ r: StudentRecord, link: String, header: ExportHeader) -> String {
    typealias F = RecordsFormat
    return """
      <tr><td>\(F.html(r.student.school))</td><td>\(F.html(r.student.className))</td>\
      <td><a href="\(link)">\(F.html(r.student.studentNumber))</a></td><td>\(F.html(r.student.name))</td>\
      <td>\(F.html(r.nationalId(unmask: header.unmask)))</td><td>\(r.check.isComplete ? "✓" : "\(r.check.issues.count) 项待完善")</td></tr>

      """
  }
}
