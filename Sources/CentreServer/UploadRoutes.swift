import ExamCore
import ExamStorage
import Foundation
import HTTPTypes
import Hummingbird
import Ingest

/// The HTTP face of `UploadDesk`: tus 1.0 under `/uploads`, reports, what a centre still owes, and the office's
/// status page. Every error is a JSON body `{"error": {"status": N, "message": "…"}}` whose message says how to fix it.
struct UploadRoutes: Sendable {
  let desk: UploadDesk
  let status: StatusBoard

  func register(on router: Router<ServerRequestContext>) {
    router.on("/uploads", method: .options) { _, _ in self.options() }
    router.post("/uploads") { request, _ in await self.respond { try await self.create(request) } }
    router.head("/uploads/:id") { request, context in
      await self.respond { try await self.head(request, context.parameters.require("id")) }
    }
    router.patch("/uploads/:id") { request, context in
      await self.respond { try await self.patch(request, context.parameters.require("id")) }
    }
    router.delete("/uploads/:id") { request, context in
      await self.respond { try await self.delete(request, context.parameters.require("id")) }
    }
    router.get("/uploads/:id/report") { request, context in
      await self.respond { try await self.uploadReport(request, context.parameters.require("id")) }
    }
    router.get("/batches/:id/report") { request, context in
      await self.respond { try await self.batchReport(request, context.parameters.require("id")) }
    }
    router.get("/expected") { request, _ in await self.respond { try await self.expected(request) } }
    router.get("/status") { request, _ in await self.respond { try await self.status(request, json: false) } }
    router.get("/status.json") { request, _ in await self.respond { try await self.status(request, json: true) } }
    router.get("/upload") { _, _ in Self.page(UploadPage.html, type: "text/html; charset=utf-8") }
    router.get("/") { _, _ in
      Self.page(
        "exam serve: centres upload at /upload (tus 1.0 at /uploads); the office reads /status\n",
        type: "text/plain; charset=utf-8")
    }
  }

  // MARK: - tus

  func options() -> Response {
    var headers = Self.tusHeaders
    headers[TusProtocol.tusVersion] = TusProtocol.version
    headers[TusProtocol.tusExtension] = TusProtocol.extensions
    headers[TusProtocol.tusMaxSize] = String(desk.configuration.limits.maximumUploadBytes)
    headers[TusProtocol.tusChecksumAlgorithm] = TusProtocol.checksumAlgorithms
    return Response(status: .noContent, headers: headers)
  }

  func create(_ request: Request) async throws -> Response {
    try Self.requireTus(request)
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    if request.headers[TusProtocol.uploadDeferLength] != nil {
      throw TusError(
        .badRequest, "Upload-Defer-Length is not supported; send Upload-Length with the size of the zip in bytes")
    }
    guard
      let length = try TusProtocol.byteCount(
        request.headers[TusProtocol.uploadLength], header: TusProtocol.uploadLength)
    else {
      throw TusError(.badRequest, "Upload-Length is missing; send the size of the zip in bytes")
    }
    let metadata = try TusProtocol.metadata(request.headers[TusProtocol.uploadMetadata])
    let upload = try await desk.create(token: token, length: length, metadata: metadata)
    var headers = Self.tusHeaders
    headers[.location] = "/uploads/\(upload.id)"
    headers[TusProtocol.uploadOffset] = "0"
    headers[TusProtocol.uploadExpires] = Self.expires(upload)
    return Response(status: .created, headers: headers)
  }

  func head(_ request: Request, _ id: String) async throws -> Response {
    try Self.requireTus(request)
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    let upload = try await desk.owned(id, by: token, action: "HEAD /uploads/\(id)")
    var headers = Self.tusHeaders
    headers[TusProtocol.uploadOffset] = String(upload.offsetBytes)
    headers[TusProtocol.uploadLength] = String(upload.lengthBytes)
    if upload.state == .receiving { headers[TusProtocol.uploadExpires] = Self.expires(upload) }
    if upload.state != .receiving { headers[TusProtocol.reportLocation] = "/uploads/\(id)/report" }
    return Response(status: .ok, headers: headers)
  }

  func patch(_ request: Request, _ id: String) async throws -> Response {
    try Self.requireTus(request)
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    guard request.headers[.contentType]?.lowercased().hasPrefix("application/offset+octet-stream") == true else {
      throw TusError(
        .unsupportedMediaType,
        "a PATCH must have Content-Type: application/offset+octet-stream (got '\(request.headers[.contentType] ?? "none")')"
      )
    }
    guard
      let offset = try TusProtocol.byteCount(
        request.headers[TusProtocol.uploadOffset], header: TusProtocol.uploadOffset)
    else {
      throw TusError(.badRequest, "Upload-Offset is missing; send the offset the chunk starts at (ask with HEAD)")
    }
    let contentLength = try TusProtocol.byteCount(request.headers[.contentLength], header: .contentLength)
    let checksum = try TusProtocol.sha256Checksum(request.headers[TusProtocol.uploadChecksum])
    let upload = try await desk.append(
      token: token, id: id, offset: offset, contentLength: contentLength, checksum: checksum,
      body: request.body)
    var headers = Self.tusHeaders
    headers[TusProtocol.uploadOffset] = String(upload.offsetBytes)
    if upload.state == .receiving {
      headers[TusProtocol.uploadExpires] = Self.expires(upload)
    } else {
      headers[TusProtocol.reportLocation] = "/uploads/\(id)/report"
    }
    return Response(status: .noContent, headers: headers)
  }

  func delete(_ request: Request, _ id: String) async throws -> Response {
    try Self.requireTus(request)
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    try await desk.terminate(token: token, id: id)
    return Response(status: .noContent, headers: Self.tusHeaders)
  }

  // MARK: - Reports and what is owed

  /// 200 with the ingest report once ingest ran; 202 with the state while bytes arrive or ingest runs; 422 with
  /// the reason when the batch could not be read at all.
  func uploadReport(_ request: Request, _ id: String) async throws -> Response {
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    let upload = try await desk.owned(id, by: token, action: "GET /uploads/\(id)/report")
    switch upload.state {
    case .done:
      return Self.json(upload.reportJSON ?? "{}")
    case .failed:
      return Self.json("{\"error\":\(upload.errorJSON ?? "{}")}", status: .unprocessableContent)
    case .receiving, .ingesting, .terminated:
      return Self.json(
        JSONText.object([
          "state": upload.state.rawValue, "offset": String(upload.offsetBytes),
          "length": String(upload.lengthBytes),
        ]), status: .accepted)
    }
  }

  /// The latest report of one of the centre's batches (ingested by upload or by `exam audio ingest`).
  func batchReport(_ request: Request, _ id: String) async throws -> Response {
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    let database = desk.database
    let batch = try await desk.stored {
      try await database.ingestBatches(centreId: token.centreId).first { $0.id == id }
    }
    guard let batch, let report = batch.reportJSON else {
      throw TusError(.notFound, "centre \(token.centreId ?? "-") has no finished batch \(id)")
    }
    return Self.json(report)
  }

  /// The centre's expected answers not stored yet (`?all=1`: every expected answer, each with `received`),
  /// optionally of one `?session=`. JSON array, the lines of `exam audio expected`.
  func expected(_ request: Request) async throws -> Response {
    let token = try await desk.authenticate(request.headers[.authorization], role: .centre)
    let query = request.uri.queryParameters
    let (expected, examId) = (ExpectedAnswers(store: desk.database), desk.configuration.examId)
    let (session, outstandingOnly) = (query["session"].map(String.init), query["all"] != "1")
    let lines = try await desk.stored {
      do {
        return try await expected.list(
          examId: try await expected.resolveExamId(examId), centreId: token.centreId ?? "", sessionId: session,
          outstandingOnly: outstandingOnly)
      } catch let error as ExamError { throw TusError(.internalServerError, "\(error)") }
    }
    return Self.json(String(decoding: try Self.encoder.encode(lines), as: UTF8.self))
  }

  func status(_ request: Request, json: Bool) async throws -> Response {
    _ = try await desk.authenticate(request.headers[.authorization], role: .office)
    do {
      let status = status
      let board = try await desk.stored { try await status.snapshot() }
      return json
        ? Self.json(String(decoding: try Self.encoder.encode(board), as: UTF8.self))
        : Self.page(StatusPage.html(board), type: "text/html; charset=utf-8")
    } catch let error as TusError {
      throw error
    } catch {
      throw desk.storeError(error)
    }
  }

  // MARK: - Helpers

  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static var tusHeaders: HTTPFields {
    var headers = HTTPFields()
    headers[TusProtocol.tusResumable] = TusProtocol.version
    headers[.cacheControl] = "no-store"
    return headers
  }

  static func requireTus(_ request: Request) throws(TusError) {
    guard let version = request.headers[TusProtocol.tusResumable] else {
      throw TusError(
        .preconditionFailed, "Tus-Resumable is missing; this server speaks tus \(TusProtocol.version)",
        headers: [TusProtocol.tusVersion: TusProtocol.version])
    }
    guard version == TusProtocol.version else {
      throw TusError(
        .preconditionFailed, "Tus-Resumable '\(version)' is not supported; use \(TusProtocol.version)",
        headers: [TusProtocol.tusVersion: TusProtocol.version])
    }
  }

  static func expires(_ upload: UploadRecord) -> String {
    TusProtocol.httpDate(epochSeconds: Int(Timestamp.parse(upload.expiresAt) ?? 0))
  }

  static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    var headers = tusHeaders
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  static func page(_ text: String, type: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = type
    headers[.cacheControl] = "no-store"
    headers[HTTPField.Name("Content-Security-Policy")!] =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'"
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  /// Runs a handler; a `TusError` becomes its status with a JSON message, anything else a 500 that says so.
  func respond(_ handler: () async throws -> Response) async -> Response {
    do {
      return try await handler()
    } catch let error as TusError {
      var headers = Self.tusHeaders
      headers[.contentType] = "application/json"
      for (name, value) in error.headers { headers[name] = value }
      let body = "{\"error\":{\"message\":\(Self.quoted(error.message)),\"status\":\(error.status.code)}}"
      return Response(status: error.status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    } catch {
      return await respond { throw desk.storeError(error) }
    }
  }

  static func quoted(_ text: String) -> String {
    String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
  }
}
