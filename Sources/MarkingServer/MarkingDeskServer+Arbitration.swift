import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import Scoring

extension MarkingDeskServer {
  /// The answers waiting for arbitration that `arbiterId` may settle: not one of its two raters, not their school.
  /// The candidates' schools are read in one query for the whole queue (not one query per answer).
  func arbitrationCases(for arbiterId: String) async throws -> [MarkingDesk.ArbitrationCase] {
    guard let arbiter = try await database.raterAccount(id: arbiterId)?.account.rater else { return [] }
    let queue = try await desk.arbitrationQueue(examId: configuration.examId).filter { $0.marks[arbiterId] == nil }
    let schools = try await database.schools(ofCandidates: Set(queue.map(\.candidateId)))
    return queue.filter { schools[$0.candidateId] != arbiter.school }
  }

  func arbitrationPage(_ request: Request) async throws -> Response {
    let session = try await auth.require(request, roles: [.arbiter])
    let cases = try await arbitrationCases(for: session.raterId)
    let wanted = request.uri.queryParameters["answer"].flatMap { Int64(String($0)) }
    var body =
      request.uri.queryParameters["settled"].map {
        "<p class=\"note\" role=\"status\">Answer \(HTMLText.escape(String($0))) settled.</p>"
      } ?? ""
    var script = ""
    if let c = cases.first(where: { $0.answerId == wanted }) ?? cases.first {
      let score = try await database.machineScore(recordingId: c.answerId)
      body += ArbitrationPage.html(
        c, score: score, item: try await exam().item(c.itemId), waiting: cases.count, csrf: session.csrfToken)
      script = ArbitrationPage.script
    } else {
      body += "<h1>Nothing to arbitrate</h1><p class=\"note\" role=\"status\">No answer is waiting for you.</p>"
    }
    return DeskPage(title: "Arbitrate", body: body, session: session, raterName: session.raterName, script: script)
      .response()
  }

  func arbitrate(_ request: Request, _ fields: [String: String], answer: Int64) async throws -> Response {
    let session = try await auth.require(request, roles: [.arbiter])
    try auth.checkCSRF(fields, session: session)
    guard try await arbitrationCases(for: session.raterId).contains(where: { $0.answerId == answer }) else {
      throw DeskError.forbidden("Answer \(answer) is not waiting for you to arbitrate.")
    }
    let text = (fields["points"] ?? "").trimmingSpaces()
    let reason = (fields["reason"] ?? "").trimmingSpaces().prefix(500)
    guard let points = Double(text), points.isFinite else {
      throw DeskError(.unprocessableContent, "'\(text)' is not a number of points. Go back and give the mark.")
    }
    guard !reason.isEmpty else {
      throw DeskError(.unprocessableContent, "Say why you decided so; the reason is kept with the mark.")
    }
    let at = Timestamp.now()
    _ = try await desk.arbitrate(
      examId: configuration.examId,
      decisions: [
        .init(answerId: answer, raterId: session.raterId, points: points, source: "exam serve /arbitrate: \(reason)")
      ],
      audit: AuditEntry(
        at: at, operator: "rater \(session.raterId)", command: "serve /arbitrate", arguments: "answer \(answer)",
        summary: "arbitrated answer \(answer): \(NumberText.plain(points)) points, because \(reason)"))
    return DeskPage.redirect("/arbitrate?settled=\(answer)")
  }
}

/// The arbiter's page: both marks, the machine's mark and the features that matter, the audio, the decision.
enum ArbitrationPage {
  static func e(_ text: String) -> String { HTMLText.escape(text) }

  /// Machine features shown to arbiters: key, label.
  static let features: [(String, String)] = [
    ("duration_s", "Length (s)"), ("speech_s", "Speech time (s)"), ("pause_count", "Pauses"),
    ("pause_total_s", "Pause time (s)"), ("pause_longest_s", "Longest pause (s)"),
    ("speech_rate_syl_s", "Speech rate (syllables/s)"),
    ("articulation_rate_syl_s", "Articulation rate (syllables/s)"),
  ]

  static func html(
    _ c: MarkingDesk.ArbitrationCase, score: MachineScore?, item: ItemDefinition?, waiting: Int, csrf: String
  ) -> String {
    let marks = c.marks.sorted { $0.key < $1.key }.map {
      "<tr><td>\(e($0.key))</td><td>\(NumberText.plain($0.value))</td></tr>"
    }.joined()
    let machine = c.machinePoints.map { NumberText.plain($0) } ?? "—"
    let values = features.map { key, label in
      "<tr><td>\(e(label))</td><td>\(score?.features[key].map { NumberText.plain($0, decimals: 2) } ?? "—")</td></tr>"
    }.joined()
    let text = item?.referenceText ?? item?.promptText ?? ""
    return """
      <h1>Arbitrate answer \(c.answerId) — item \(e(c.itemId))</h1>
      <p>\(waiting) answer(s) waiting for you. The two marks differ by more than the rubric's tolerance of \(NumberText.plain(c.tolerance)) points (0 to \(NumberText.plain(c.maxPoints))).</p>
      \(text.isEmpty ? "" : "<p><strong>Task:</strong> \(e(text))</p>")
      <div class="card"><table><caption>Marks</caption><thead><tr><th scope="col">Rater</th><th scope="col">Points</th></tr></thead>
      <tbody>\(marks)<tr><td>machine</td><td>\(machine)</td></tr></tbody></table></div>
      <div class="card"><table><caption>What the machine measured</caption><tbody>\(values)</tbody></table></div>
      <div class="card"><audio id="audio" controls preload="auto" src="/mark/audio/\(c.answerId)" aria-label="Recorded answer \(c.answerId)"></audio>
      <p id="keys"><kbd>Space</kbd> plays or pauses (outside the text fields), <kbd>R</kbd> replays the last 5 seconds.</p></div>
      <form method="post" action="/arbitrate/\(c.answerId)" class="card">
      <input type="hidden" name="csrf" value="\(e(csrf))">
      <p><label for="points">Your mark (0 to \(NumberText.plain(c.maxPoints)))</label>
      <input id="points" name="points" inputmode="decimal" autocomplete="off" required autofocus></p>
      <p><label for="reason">Reason (kept with the decision)</label><input id="reason" name="reason" required maxlength="500" size="60"></p>
      <button type="submit">Decide</button>
      </form>
      """
  }

  static let script = """
    const audio = document.getElementById("audio");
    document.addEventListener("keydown", (event) => {
      const t = event.target;
      if (t && (t.tagName === "INPUT" || t.tagName === "BUTTON")) return;
      if (event.key === " ") { event.preventDefault(); if (audio.paused) { audio.play(); } else { audio.pause(); } }
      if (event.key === "r" || event.key === "R") { event.preventDefault(); audio.currentTime = Math.max(0, audio.currentTime - 5); audio.play(); }
    });
    """
}
