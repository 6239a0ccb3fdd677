import HTTPTypes

/// A refusal of the desk: the HTTP status and a message for the rater (shown as escaped text on an error page, or
/// as `{"error": …}` to scripts).
struct DeskError: Error, Sendable {
  var status: HTTPResponse.Status
  var message: String

  init(_ status: HTTPResponse.Status, _ message: String) {
    self.status = status
    self.message = message
  }

  static let notLoggedIn = DeskError(
    .unauthorized, "You are not logged in (or your session ended). Log in again at /login.")
  static let badCSRF = DeskError(
    .forbidden, "This form is out of date or did not come from the desk. Reload the page and try again.")
  static func forbidden(_ message: String) -> DeskError { DeskError(.forbidden, message) }
}
