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
///
/// Threads: a handler reads the request body on Swift's cooperative threads, then does all its store work (and the
/// page it renders from it) as one job on `StoreThreads` (`perform`: the pool is the job's task executor), so SQLite
/// never blocks a cooperative thread.
public struct MarkingDeskServer: Sendable {
  let database: any ServerStore
  let configuration: DeskConfiguration
  let auth: DeskAuthenticator
  let desk: MarkingDesk
  let store: StoreThreads

  public init(database: any ServerStore, configuration: DeskConfiguration) async throws {
    self.database = database
    self.configuration = configuration
    store = StoreThreads(threads: configuration.storeThreads, maximumQueued: configuration.maximumQueuedStoreJobs) {
      DeskError(.serviceUnavailable, "The marking desk is very busy (\($0) requests waiting). Try again in a moment.")
    }
    auth = DeskAuthenticator(database: database, configuration: configuration, store: store)
    desk = MarkingDesk(store: database, contentStore: configuration.contentStore)
    _ = try await database.requireExam(id: configuration.examId)
  }

  /// The exam being marked (decoded once per store handle; `ExamDatabase.exam(id:)` notices a new pack).
  func exam() async throws -> ExamDefinition { try await database.requireExam(id: configuration.examId) }

  public func register(on router: Router<ServerRequestContext>) {
    router.get("/login") { request, _ in self.loginForm(message: nil) }
    router.post("/login") { request, context in await self.respond(request) { try await self.login(request, context) } }
    router.post("/logout") { request, _ in
      await self.respond(request) {
        let fields = try await DeskForm.fields(request)
        return try await self.store.perform { try await self.logout(request, fields) }
      }
    }
    router.get("/mark") { request, _ in
      await self.respond(request) { try await self.store.perform { try await self.markPage(request) } }
    }
    router.get("/mark/audio/:answer") { request, context in
      await self.respond(request, json: true) {
        let answer = try context.parameters.require("answer", as: Int64.self)
        return try await self.store.perform { try await self.audio(request, answer: answer) }
      }
    }
    router.post("/mark/:answer") { request, context in
      await self.respond(request) {
        let answer = try context.parameters.require("answer", as: Int64.self)
        let fields = try await DeskForm.fields(request)
        return try await self.store.perform { try await self.mark(request, fields, answer: answer) }
      }
    }
    router.post("/mark/:answer/flag") { request, context in
      await self.respond(request) {
        let answer = try context.parameters.require("answer", as: Int64.self)
        let fields = try await DeskForm.fields(request)
        return try await self.store.perform { try await self.flag(request, fields, answer: answer) }
      }
    }
    router.get("/arbitrate") { request, _ in
      await self.respond(request) { try await self.store.perform { try await self.arbitrationPage(request) } }
    }
    router.post("/arbitrate/:answer") { request, context in
      await self.respond(request) {
        let answer = try context.parameters.require("answer", as: Int64.self)
        let fields = try await DeskForm.fields(request)
        return try await self.store.perform { try await self.arbitrate(request, fields, answer: answer) }
      }
    }
    router.get("/marking") { request, _ in
      await self.respond(request) { try await self.store.perform { try await self.office(request, json: false) } }
    }
    router.get("/marking.json") { request, _ in
      await self.respond(request, json: true) {
        try await self.store.perform { try await self.office(request, json: true) }
      }
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
    let address = configuration.trustedProxies.clientAddress(
      peer: context.remoteAddress?.ipAddress, headers: request.headers)
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

  func logout(_ request: Request, _ fields: [String: String]) async throws -> Response {
    let session = try await auth.require(request)
    try auth.checkCSRF(fields, session: session)
    try await auth.logout(request, session: session)
    return DeskPage.redirect(
      "/login",
      cookies: [
        DeskForm.setCookie(DeskAuthenticator.sessionCookie, "", maxAgeSeconds: 0, secure: configuration.secureCookies)
      ])
  }

  // MARK: - Marking

  func markPage(_ request: Request) async throws -> Response {
    let session = try await auth.require(request)
    if session.role == .office { return DeskPage.redirect("/marking") }
    let progress = try await database.assignmentProgress(examId: configuration.examId, raterId: session.raterId)
    let page: String
    var script = ""
    if let task = try await desk.nextTask(examId: configuration.examId, raterId: session.raterId) {
      page = MarkPage.answer(
        task, item: try await exam().item(task.itemId), csrf: session.csrfToken, progress: progress,
        notice: notice(request.uri.queryParameters))
      script = MarkPage.script
    } else {
      page = MarkPage.done(progress: progress)
    }
    return DeskPage(title: "Mark", body: page, session: session, raterName: session.raterName, script: script)
      .response()
  }

  func notice(_ query: Parameters) -> String? {
    if let saved = query["saved"] { return "Mark saved for answer \(saved)." }
    if let flagged = query["flagged"] { return "Answer \(flagged) flagged for the exam office; now give your mark." }
    return nil
  }

  func mark(_ request: Request, _ fields: [String: String], answer: Int64) async throws -> Response {
    let session = try await auth.require(request, roles: [.rater, .arbiter])
    try auth.checkCSRF(fields, session: session)
    guard try await desk.isAssigned(answerId: answer, to: session.raterId) else {
      throw DeskError.forbidden("Answer \(answer) was not given to you.")
    }
    let text = (fields["points"] ?? "").trimmingSpaces()
    guard let points = Double(text), points.isFinite else {
      throw DeskError(
        .unprocessableContent, "'\(text)' is not a number of points. Go back and type the mark with the digits.")
    }
    let at = Timestamp.now()
    _ = try await desk.recordMark(
      .init(answerId: answer, raterId: session.raterId, points: points, source: "exam serve /mark"),
      examId: configuration.examId,
      audit: AuditEntry(
        at: at, operator: "rater \(session.raterId)", command: "serve /mark", arguments: "answer \(answer)", summary: ""
      ))
    return DeskPage.redirect("/mark?saved=\(answer)")
  }

  func flag(_ request: Request, _ fields: [String: String], answer: Int64) async throws -> Response {
    let session = try await auth.require(request, roles: [.rater, .arbiter])
    try auth.checkCSRF(fields, session: session)
    guard try await desk.isAssigned(answerId: answer, to: session.raterId),
      let recording = try await database.recording(id: answer)
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
    let audit = AuditEntry(
      at: Timestamp.now(), operator: "rater \(session.raterId)", command: "serve /mark flag",
      arguments: "answer \(answer)", summary: "flagged answer \(answer): \(reason.rawValue)")
    _ = try await IncidentDesk(store: database).raise(flag, audit: audit)
    return DeskPage.redirect("/mark?flagged=\(answer)")
  }

  // MARK: - Errors

  /// Runs a handler; a refusal becomes its status with the message as an escaped page (or JSON for scripts).
  func respond(_ request: Request, json: Bool = false, _ handler: () async throws -> Response) async -> Response {
    do {
      return try await handler()
    } catch {
      let refusal = Self.refusal(error, request)
      if json || refusal.status == .serviceUnavailable { return render(refusal, request, json: json, session: nil) }
      let session = try? await store.perform { try await self.auth.session(request) }
      return render(refusal, request, json: false, session: session)
    }
  }

  /// What a handler's error means for the client: its status and message.
  static func refusal(_ error: any Error, _ request: Request) -> DeskError {
    switch error {
    case let error as DeskError:
      return error
    case let error as ExamError:
      let status: HTTPResponse.Status =
        switch error.code {
        case .invalidInput, .usage: .unprocessableContent
        case .conflict: .conflict
        case .notFound: .notFound
        default: .internalServerError
        }
      return DeskError(status, error.description)
    case let error as HTTPError:  // a path parameter that is not an answer id
      return DeskError(error.status, "This address is not one the desk knows (\(request.uri.path)).")
    case let error as ExamErrors:
      return DeskError(.unprocessableContent, error.description)
    default:
      return DeskError(.internalServerError, "The desk could not do this (\(error)). Tell the exam office.")
    }
  }

  func render(_ error: DeskError, _ request: Request, json: Bool, session: DeskSession?) -> Response {
    if json {
      var headers = HTTPFields()
      headers[.contentType] = "application/json"
      headers[.cacheControl] = "no-store"
      let body = "{\"error\":{\"message\":\(OfficeBoard.quoted(error.message)),\"status\":\(error.status.code)}}"
      return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
    return DeskPage.error(error, session: session)
  }
}
