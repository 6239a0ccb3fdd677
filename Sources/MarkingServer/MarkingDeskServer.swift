import CentreServer
import ExamCore
import ExamStorage
import Foundation
import HTTPTypes
import Hummingbird
import Proctoring
import Scoring

/// The marking desk of `exam serve`: raters log in, mark the answers the double-marking plan gave them, flag
/// answers, arbiters settle disagreements, the office watches. Every mark goes through Scoring's `MarkingDesk`,
/// every flag through Proctoring's `IncidentDesk`, each with an audit line naming the rater.
///
/// Routes: `GET/POST /login`, `POST /logout`, `GET /mark`, `GET /mark/audio/{answer}` (Range requests),
/// `POST /mark/{answer}`, `POST /mark/{answer}/flag`, `GET /arbitrate[?answer=ID]`, `POST /arbitrate/{answer}`,
/// `GET /marking`, `GET /marking.json`.
public struct MarkingDeskServer: Sendable {
  let database: ExamDatabase
  let configuration: DeskConfiguration
  let auth: DeskAuthenticator
  let desk: MarkingDesk
  let exam: ExamDefinition

  public init(database: ExamDatabase, configuration: DeskConfiguration) throws {
    self.database = database
    self.configuration = configuration
    auth = DeskAuthenticator(database: database, configuration: configuration)
    desk = MarkingDesk(database: database, contentStore: configuration.contentStore)
    exam = try database.requireExam(id: configuration.examId)
  }

  public func register(on router: Router<ServerRequestContext>) {
    router.get("/login") { request, _ in self.loginForm(message: nil) }
    router.post("/login") { request, context in await self.respond(request) { try await self.login(request, context) } }
    router.post("/logout") { request, _ in await self.respond(request) { try await self.logout(request) } }
    router.get("/mark") { request, _ in await self.respond(request) { try self.markPage(request) } }
    router.get("/mark/audio/:answer") { request, context in
      await self.respond(request, json: true) {
        try self.audio(request, answer: context.parameters.require("answer", as: Int64.self))
      }
    }
    router.post("/mark/:answer") { request, context in
      await self.respond(request) {
        try await self.mark(request, answer: context.parameters.require("answer", as: Int64.self))
      }
    }
    router.post("/mark/:answer/flag") { request, context in
      await self.respond(request) {
        try await self.flag(request, answer: context.parameters.require("answer", as: Int64.self))
      }
    }
    router.get("/arbitrate") { request, _ in await self.respond(request) { try self.arbitrationPage(request) } }
    router.post("/arbitrate/:answer") { request, context in
      await self.respond(request) {
        try await self.arbitrate(request, answer: context.parameters.require("answer", as: Int64.self))
      }
    }
    router.get("/marking") { request, _ in await self.respond(request) { try self.office(request, json: false) } }
    router.get("/marking.json") { request, _ in
      await self.respond(request, json: true) { try self.office(request, json: true) }
    }
  }

  // MARK: - Login

  func loginForm(message: String?, status: HTTPResponse.Status = .ok) -> Response {
    let token = DeskForm.randomToken()
    var headers = HTTPFields()
    headers[.setCookie] = DeskForm.setCookie(
      DeskAuthenticator.loginCookie, token, maxAgeSeconds: 3600, secure: configuration.secureCookies)
    return DeskPage(title: "Log in", body: MarkPage.login(csrf: token, message: message), status: status).response(
      extraHeaders: headers)
  }

  func login(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
    let fields = try await DeskForm.fields(request)
    guard let expected = DeskForm.cookie(DeskAuthenticator.loginCookie, in: request),
      DeskForm.constantTimeEquals(fields["csrf"] ?? "", expected)
    else { return loginForm(message: DeskError.badCSRF.message, status: .forbidden) }
    let raterId = (fields["rater"] ?? "").trimmingSpaces()
    let address = context.remoteAddress?.ipAddress ?? "unknown"
    do {
      let (cookie, session) = try await auth.login(
        raterId: raterId, password: fields["password"] ?? "", address: address)
      return DeskPage.redirect(
        session.role == .office ? "/marking" : "/mark",
        cookies: [
          DeskForm.setCookie(
            DeskAuthenticator.sessionCookie, cookie, maxAgeSeconds: configuration.sessionSeconds,
            secure: configuration.secureCookies),
          DeskForm.setCookie(DeskAuthenticator.loginCookie, "", maxAgeSeconds: 0, secure: configuration.secureCookies),
        ])
    } catch let error as DeskError {
      return loginForm(message: error.message, status: error.status)
    }
  }

  func logout(_ request: Request) async throws -> Response {
    let session = try auth.require(request)
    try auth.checkCSRF(try await DeskForm.fields(request), session: session)
    try auth.logout(request, session: session)
    return DeskPage.redirect(
      "/login",
      cookies: [
        DeskForm.setCookie(DeskAuthenticator.sessionCookie, "", maxAgeSeconds: 0, secure: configuration.secureCookies)
      ])
  }

  // MARK: - Marking

  func markPage(_ request: Request) throws -> Response {
    let session = try auth.require(request)
    if session.role == .office { return DeskPage.redirect("/marking") }
    let progress = try database.assignmentProgress(examId: configuration.examId, raterId: session.raterId)
    let page: String
    var script = ""
    if let task = try desk.nextTask(examId: configuration.examId, raterId: session.raterId) {
      page = MarkPage.answer(
        task, item: exam.item(task.itemId), csrf: session.csrfToken, progress: progress,
        notice: notice(request.uri.queryParameters))
      script = MarkPage.script
    } else {
      page = MarkPage.done(progress: progress)
    }
    return DeskPage(title: "Mark", body: page, session: session, raterName: try raterName(session), script: script)
      .response()
  }

  func notice(_ query: Parameters) -> String? {
    if let saved = query["saved"] { return "Mark saved for answer \(saved)." }
    if let flagged = query["flagged"] { return "Answer \(flagged) flagged for the exam office; now give your mark." }
    return nil
  }

  func mark(_ request: Request, answer: Int64) async throws -> Response {
    let session = try auth.require(request, roles: [.rater, .arbiter])
    let fields = try await DeskForm.fields(request)
    try auth.checkCSRF(fields, session: session)
    guard try desk.isAssigned(answerId: answer, to: session.raterId) else {
      throw DeskError.forbidden("Answer \(answer) was not given to you.")
    }
    let text = (fields["points"] ?? "").trimmingSpaces()
    guard let points = Double(text), points.isFinite else {
      throw DeskError(
        .unprocessableContent, "'\(text)' is not a number of points. Go back and type the mark with the digits.")
    }
    let at = Timestamp.now()
    _ = try desk.recordMark(
      .init(answerId: answer, raterId: session.raterId, points: points, source: "exam serve /mark"),
      examId: configuration.examId,
      audit: AuditEntry(
        at: at, operator: "rater \(session.raterId)", command: "serve /mark", arguments: "answer \(answer)", summary: ""
      ))
    return DeskPage.redirect("/mark?saved=\(answer)")
  }

  func flag(_ request: Request, answer: Int64) async throws -> Response {
    let session = try auth.require(request, roles: [.rater, .arbiter])
    let fields = try await DeskForm.fields(request)
    try auth.checkCSRF(fields, session: session)
    guard try desk.isAssigned(answerId: answer, to: session.raterId), let recording = try database.recording(id: answer)
    else {
      throw DeskError.forbidden("Answer \(answer) was not given to you.")
    }
    guard let reason = RaterFlag.Reason(rawValue: fields["reason"] ?? "") else {
      throw DeskError(
        .unprocessableContent, "Choose why you flag the answer (no sound, another item, possible misconduct).")
    }
    let flag = RaterFlag(
      answer: recording, raterId: session.raterId, reason: reason,
      comment: String((fields["comment"] ?? "").prefix(500)))
    _ = try IncidentDesk(database: database).raise(
      flag,
      audit: AuditEntry(
        at: Timestamp.now(), operator: "rater \(session.raterId)",
        command: "serve /mark flag", arguments: "answer \(answer)",
        summary: "flagged answer \(answer): \(reason.rawValue)"))
    return DeskPage.redirect("/mark?flagged=\(answer)")
  }

  func raterName(_ session: DeskSession) throws -> String {
    try database.raterAccount(id: session.raterId)?.account.rater.name ?? session.raterId
  }

  // MARK: - Errors

  /// Runs a handler; a refusal becomes its status with the message as an escaped page (or JSON for scripts).
  func respond(_ request: Request, json: Bool = false, _ handler: () async throws -> Response) async -> Response {
    do {
      return try await handler()
    } catch let error as DeskError {
      return render(error, request, json: json)
    } catch let error as ExamError {
      let status: HTTPResponse.Status =
        switch error.code {
        case .invalidInput, .usage: .unprocessableContent
        case .conflict: .conflict
        case .notFound: .notFound
        default: .internalServerError
        }
      return render(DeskError(status, error.description), request, json: json)
    } catch let error as HTTPError {  // a path parameter that is not an answer id
      return render(
        DeskError(error.status, "This address is not one the desk knows (\(request.uri.path))."), request, json: json)
    } catch let error as ExamErrors {
      return render(DeskError(.unprocessableContent, error.description), request, json: json)
    } catch {
      return render(
        DeskError(.internalServerError, "The desk could not do this (\(error)). Tell the exam office."), request,
        json: json)
    }
  }

  func render(_ error: DeskError, _ request: Request, json: Bool) -> Response {
    if json {
      var headers = HTTPFields()
      headers[.contentType] = "application/json"
      headers[.cacheControl] = "no-store"
      let body = "{\"error\":{\"message\":\(OfficeBoard.quoted(error.message)),\"status\":\(error.status.code)}}"
      return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
    return DeskPage.error(error, session: try? auth.session(request))
  }
}
