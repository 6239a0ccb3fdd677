import ExamCore
import HTTPTypes
import Hummingbird

/// The frame of every desk page: one HTML document, inline style and script only (the Content-Security-Policy
/// allows nothing else: no external assets, scripts only with this response's nonce), a skip link and landmarks for
/// screen readers, and a layout that fits 1366×768.
struct DeskPage {
  var title: String
  /// Already-escaped HTML of the page's main content.
  var body: String
  var session: DeskSession?
  var raterName: String = ""
  /// JavaScript to run (not escaped: written by the desk itself, never from data).
  var script: String = ""
  var status: HTTPResponse.Status = .ok

  static func e(_ text: String) -> String { HTMLText.escape(text) }

  func response(extraHeaders: HTTPFields = [:]) -> Response {
    let nonce = String(DeskForm.randomToken().prefix(32))
    var nav = ""
    if let session {
      var links = ["<a href=\"/mark\">Mark</a>"]
      if session.role == .arbiter { links.append("<a href=\"/arbitrate\">Arbitrate</a>") }
      if session.role != .rater { links.append("<a href=\"/marking\">Office view</a>") }
      if session.role == .office { links = ["<a href=\"/marking\">Office view</a>"] }
      nav = """
        <nav aria-label="Desk"><span>\(Self.e(raterName.isEmpty ? session.raterId : raterName)) (\(Self.e(session.raterId)), \(session.role.rawValue))</span>
        \(links.joined(separator: " "))
        <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="\(Self.e(session.csrfToken))"><button type="submit">Log out</button></form></nav>
        """
    }
    let html = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(Self.e(title)) — marking desk</title>
      <style nonce="\(nonce)">
      body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#111;background:#fafafa}
      header{display:flex;justify-content:space-between;align-items:center;background:#1d3557;color:#fff;padding:.4em 1em}
      header a,header span{color:#fff;margin-right:1em}main{max-width:78em;margin:0 auto;padding:.6em 1.2em}
      .skip{position:absolute;left:-999px}.skip:focus{left:1em;top:.5em;background:#fff;color:#000;padding:.3em}
      form.inline{display:inline}fieldset{border:1px solid #bbb;margin:.8em 0}label{margin-right:1em}
      input[type=text],input:not([type]),textarea{font-size:1.1em}#points{width:5em;font-size:1.6em}
      audio{width:100%;max-width:48em}.card{background:#fff;border:1px solid #ddd;padding:.6em 1em;margin:.6em 0}
      .note{background:#e9f7ec;padding:.4em .8em}.bad{background:#fdecea;padding:.4em .8em}
      table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}th:first-child,td:first-child{text-align:left}
      kbd{border:1px solid #999;border-radius:3px;padding:0 .3em;background:#fff}:focus{outline:3px solid #e76f51}
      </style></head><body>
      <a class="skip" href="#main">Skip to the answer</a>
      <header><strong>ExamKit marking desk</strong>\(nav)</header>
      <main id="main" tabindex="-1">
      \(body)
      </main>
      \(script.isEmpty ? "" : "<script nonce=\"\(nonce)\">\n\"use strict\";\n\(script)\n</script>")
      </body></html>

      """
    var headers = extraHeaders
    headers[.contentType] = "text/html; charset=utf-8"
    headers[.cacheControl] = "no-store"
    headers[HTTPField.Name("Content-Security-Policy")!] =
      "default-src 'none'; media-src 'self'; img-src 'self'; style-src 'nonce-\(nonce)'; script-src 'nonce-\(nonce)'; "
      + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
    headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
  }

  /// A refusal as a page: the message as text, and a way on.
  static func error(_ error: DeskError, session: DeskSession?) -> Response {
    let link =
      error.status == .unauthorized ? "<a href=\"/login\">Log in</a>" : "<a href=\"/mark\">Back to the desk</a>"
    return DeskPage(
      title: "Refused",
      body:
        "<h1>\(error.status.code) \(e(error.status.reasonPhrase))</h1><p role=\"alert\">\(e(error.message))</p><p>\(link)</p>",
      session: session, status: error.status
    ).response()
  }

  /// 303 See Other to `location` (after a POST), with optional cookies.
  static func redirect(_ location: String, cookies: [String] = []) -> Response {
    var headers = HTTPFields()
    headers[.location] = location
    headers[.cacheControl] = "no-store"
    for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
    return Response(status: .seeOther, headers: headers)
  }
}
