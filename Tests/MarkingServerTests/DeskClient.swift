import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A browser's part for router tests: keeps the session cookie, reads CSRF tokens from forms, posts forms.
struct DeskClient {
  let client: any TestClientProtocol
  var cookies: [String: String] = [:]

  init(_ client: any TestClientProtocol) { self.client = client }

  mutating func request(
    _ uri: String, method: HTTPRequest.Method = .get, form: [String: String]? = nil, headers extra: HTTPFields = [:]
  )
    async throws -> (status: HTTPResponse.Status, headers: HTTPFields, text: String)
  {
    var headers = extra
    if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    var body: ByteBuffer?
    if let form {
      headers[.contentType] = "application/x-www-form-urlencoded"
      body = ByteBuffer(string: form.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&"))
    }
    let response = try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
    for value in response.headers[values: .setCookie] {
      let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = String(pair[0]), v = pair.count > 1 ? String(pair[1]) : ""
      if v.isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = v }
    }
    return (response.status, response.headers, String(buffer: response.body))
  }

  /// Logs in through the form; returns the status of the POST (303 on success).
  mutating func login(_ rater: String, password: String? = nil, headers: HTTPFields = [:]) async throws
    -> HTTPResponse.Status
  {
    let page = try await request("/login", headers: headers)
    let csrf = Self.csrf(in: page.text) ?? ""
    return try await request(
      "/login", method: .post, form: ["csrf": csrf, "rater": rater, "password": password ?? "password-\(rater)"],
      headers: headers
    ).status
  }

  static func csrf(in html: String) -> String? { capture(#"name="csrf" value="([0-9a-f]+)""#, in: html) }
  /// The `/mark` page once it offers `answer`: the answers offered before it are marked `points` (at most `limit`
  /// pages); the last page read when it never comes.
  mutating func page(offering answer: Int64, markingOthers points: String, limit: Int = 10) async throws -> String {
    var text = ""
    for _ in 0..<limit {
      text = try await request("/mark").text
      if Self.answerId(in: text) == answer { break }
      _ = try await request(
        "/mark/\(Self.answerId(in: text) ?? 0)", method: .post,
        form: ["csrf": Self.csrf(in: text) ?? "", "points": points])
    }
    return text
  }

  static func answerId(in html: String) -> Int64? {
    capture(#"action="/mark/([0-9]+)""#, in: html).flatMap { Int64($0) }
  }
  static func arbitrationId(in html: String) -> Int64? {
    capture(#"action="/arbitrate/([0-9]+)""#, in: html).flatMap { Int64($0) }
  }

  static func capture(_ pattern: String, in text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
      let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
      let range = Range(match.range(at: 1), in: text)
    else { return nil }
    return String(text[range])
  }

  static func encode(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }
}
