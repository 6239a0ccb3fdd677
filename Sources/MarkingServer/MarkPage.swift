import ExamCore
import Proctoring
import Scoring

/// The login form and the marking page. Blind marking: the page names the answer by its id only — no candidate,
/// no school, no other rater's mark, and no machine mark unless the item's rubric says `show_machine_mark: true`.
enum MarkPage {
  static func e(_ text: String) -> String { HTMLText.escape(text) }

  static func login(csrf: String, message: String?) -> String {
    """
    <h1>Log in to mark</h1>
    \(message.map { "<p class=\"bad\" role=\"alert\">\(e($0))</p>" } ?? "")
    <form method="post" action="/login">
    <input type="hidden" name="csrf" value="\(e(csrf))">
    <p><label for="rater">Rater id</label><input id="rater" name="rater" autocomplete="username" required autofocus></p>
    <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
    <p><button type="submit">Log in</button></p>
    </form>
    """
  }

  static func done(progress: (assigned: Int, marked: Int)) -> String {
    """
    <h1>Nothing left to mark</h1>
    <p class="note" role="status">You have marked \(progress.marked) of the \(progress.assigned) answers given to you. Thank you.
    New answers appear here when the exam office assigns them; reload to look again.</p>
    """
  }

  /// The page for one answer. `notice` is a line about what just happened (saved, flagged).
  static func answer(
    _ task: MarkingDesk.Task, item: ItemDefinition?, csrf: String, progress: (assigned: Int, marked: Int),
    notice: String?
  ) -> String {
    let maximum = NumberText.plain(task.maxPoints)
    var rubric = ""
    if let criteria = item?.rubric?.criteria, !criteria.isEmpty {
      rubric =
        "<ul>"
        + criteria.map {
          "<li><strong>\(e($0.name))</strong> (\(NumberText.plain($0.points)) points)\($0.description.isEmpty ? "" : ": " + e($0.description))</li>"
        }.joined() + "</ul>"
    } else {
      rubric = "<p>Give 0 to \(maximum) points for the whole answer.</p>"
    }
    let prompt = item?.promptText.map { "<p><strong>Prompt:</strong> \(e($0))</p>" } ?? ""
    let reference = item?.referenceText.map { "<p><strong>Text to read / expected answer:</strong> \(e($0))</p>" } ?? ""
    var machine = ""
    if item?.rubric?.showMachineMark == true {
      let points = task.machinePoints.map { "\(NumberText.plain($0)) of \(maximum) points" } ?? "none (not scored)"
      machine =
        "<section class=\"card\" aria-labelledby=\"machine-h\"><h2 id=\"machine-h\">Machine mark</h2>"
        + "<p>The machine's mark for this answer: <strong id=\"machine-mark\">\(points)</strong>. "
        + "The rubric shows it to you; give your own mark.</p></section>"
    }
    let flags = RaterFlag.Reason.allCases.map { r in
      "<label><input type=\"radio\" name=\"reason\" value=\"\(r.rawValue)\" required> \(e(r.label))</label>"
    }.joined(separator: "\n")
    return """
      \(notice.map { "<p class=\"note\" role=\"status\">\(e($0))</p>" } ?? "")
      <h1>Answer \(task.answerId) — item \(e(task.itemId)) (\(e(task.itemType)))</h1>
      <p>Answer \(progress.marked + 1) of \(progress.assigned) given to you. Score points: 0 to \(maximum).</p>
      <section class="card" aria-labelledby="task-h"><h2 id="task-h">Task</h2>\(prompt)\(reference)</section>
      <section class="card" aria-labelledby="rubric-h"><h2 id="rubric-h">Rubric</h2>\(rubric)</section>\(machine)
      <section class="card" aria-labelledby="audio-h"><h2 id="audio-h">Recording</h2>
      <audio id="audio" controls preload="auto" src="/mark/audio/\(task.answerId)" aria-label="Recorded answer \(task.answerId)"></audio>
      <p id="keys">Keys: type the mark with the digits, <kbd>Enter</kbd> saves it; <kbd>Space</kbd> plays or pauses;
      <kbd>R</kbd> replays the last 5 seconds; <kbd>F</kbd> goes to the flag form.</p></section>
      <form method="post" action="/mark/\(task.answerId)" id="markform" class="card">
      <input type="hidden" name="csrf" value="\(e(csrf))">
      <label for="points">Mark (0 to \(maximum) points)</label>
      <input id="points" name="points" inputmode="decimal" autocomplete="off" required autofocus aria-describedby="keys"
        pattern="[0-9]+([.][0-9]+)?">
      <button type="submit">Save mark</button>
      </form>
      <form method="post" action="/mark/\(task.answerId)/flag" id="flagform" class="card">
      <input type="hidden" name="csrf" value="\(e(csrf))">
      <fieldset><legend>Flag this answer for the exam office (then mark it as it is; 0 if nothing can be heard)</legend>
      \(flags)
      <p><label for="comment">Comment (optional)</label><input id="comment" name="comment" maxlength="500" size="50"></p>
      <button type="submit" id="flagbutton">Flag</button></fieldset>
      </form>
      """
  }

  /// Keyboard marking: digits go to the mark field, Enter submits (the form does), Space plays/pauses, R replays the
  /// last 5 s, F jumps to the flag form. Keys typed in the comment field are left alone.
  static let script = """
    const audio = document.getElementById("audio"), points = document.getElementById("points");
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (target && target.id === "comment") return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === " ") {
        if (target && (target.tagName === "BUTTON" || target.type === "radio")) return;
        event.preventDefault();
        if (audio.paused) { audio.play(); } else { audio.pause(); }
      } else if (event.key === "r" || event.key === "R") {
        event.preventDefault();
        audio.currentTime = Math.max(0, audio.currentTime - 5);
        audio.play();
      } else if (event.key === "f" || event.key === "F") {
        event.preventDefault();
        document.querySelector("#flagform input[type=radio]").focus();
      } else if (/^[0-9.]$/.test(event.key) && target !== points) {
        event.preventDefault();
        points.focus();
        points.value += event.key;
      }
    });
    """
}
