import AsyncHTTPClient
import Crypto
import ExamCore
import Foundation
import Ingest
import NIOCore
import NIOHTTP1
import Signing

/// The tus client behind `exam upload`: uploads a batch zip in chunks, each with its SHA-256, resuming where the
/// server stands after a dropped connection (retries with back-off) or a restart of the client (the upload URL
/// is kept in a state file named by the zip's SHA-256), then waits for the ingest report.
public struct UploadClient: Sendable {
  public var server: URL
  public var token: String
  /// Bytes per PATCH; a cut costs at most one chunk resent.
  public var chunkBytes = 4 << 20
  /// Attempts per chunk before giving up (waits 1, 2, 4 … 30 s between them).
  public var attempts = 8
  /// Folder for state files (`<zip sha256>.json`: the upload URL).
  public var stateFolder: String
  /// Longest a single request may take, from its start to the last byte of its reply.
  public var requestTimeoutSeconds = 120
  /// Longest wait for the report after the last byte, in seconds.
  public var reportWaitSeconds = 3600
  /// Test hook: stop (as a killed client would) once this many bytes were sent in this run.
  public var stopAfterBytes: Int64?
  public var log: @Sendable (String) -> Void = { _ in }

  public init(server: URL, token: String, stateFolder: String) {
    self.server = server
    self.token = token
    self.stateFolder = stateFolder
  }

  /// What came back: the report (or the server's refusal of the whole batch), and how many bytes this run sent.
  public struct Outcome: Sendable {
    /// HTTP status of the report request: 200 report, 422 the batch could not be read.
    public var status: Int
    /// The report JSON (200) or `{"error": {...}}` (422).
    public var json: String
    public var bytesSent: Int64
    public var resumedAt: Int64
    /// The decoded report (nil for a 422).
    public var report: IngestReport? {
      status == 200 ? try? JSONDecoder().decode(IngestReport.self, from: Data(json.utf8)) : nil
    }
  }

  /// Stopped by `stopAfterBytes`.
  public struct Stopped: Error {}

  public func upload(zip path: String, sessionId: String? = nil) async throws -> Outcome {
    let size = Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? -1)
    guard size >= 0 else { throw ExamError(.notFound, file: path, "no such file", fix: "give the batch zip or folder") }
    let digest = try Digest.sha256(fileAtPath: path)
    let statePath = stateFolder + "/" + digest + ".json"
    var location = loadState(statePath)
    var offset: Int64 = 0
    if let known = location {
      if let at = try await head(known) { offset = at } else { location = nil }
    }
    if location == nil {
      location = try await create(length: size, name: (path as NSString).lastPathComponent, sessionId: sessionId)
      try saveState(statePath, url: location!)
      log("upload \(location!.lastPathComponent) created: \(size) bytes")
    } else {
      log("resuming upload \(location!.lastPathComponent) at \(offset) of \(size) bytes")
    }
    let url = location!
    let resumedAt = offset
    var sent: Int64 = 0
    guard let file = FileHandle(forReadingAtPath: path) else {
      throw ExamError(.io, file: path, "cannot be read", fix: "check its permissions")
    }
    defer { try? file.close() }
    var failures = 0
    while offset < size {
      if let stop = stopAfterBytes, sent >= stop { throw Stopped() }
      try file.seek(toOffset: UInt64(offset))
      let chunk = try file.read(upToCount: Int(min(Int64(chunkBytes), size - offset))) ?? Data()
      do {
        offset = try await patch(url, offset: offset, chunk: chunk)
        sent += Int64(chunk.count)
        failures = 0
      } catch let error as ExamError where error.code != .io {
        try? FileManager.default.removeItem(atPath: statePath)
        throw error
      } catch {
        failures += 1
        guard failures < attempts else { throw error }
        sent += Int64(chunk.count)  // it may have arrived in part; count it as sent
        let wait = min(30, 1 << min(failures - 1, 5))
        log("chunk at \(offset) failed (\(error)); retrying in \(wait) s")
        try await Task.sleep(for: .seconds(wait))
        if let at = (try? await head(url)) ?? nil { offset = at }
      }
    }
    log("all \(size) bytes sent; waiting for the ingest report")
    let outcome = try await waitForReport(url)
    try? FileManager.default.removeItem(atPath: statePath)
    return Outcome(status: outcome.status, json: outcome.json, bytesSent: sent, resumedAt: resumedAt)
  }

  // MARK: - Requests

  /// A request to `url` with the tus version and the centre's token.
  func request(_ url: URL, method: HTTPMethod, headers: [(String, String)] = []) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url.absoluteString)
    request.method = method
    request.headers.add(name: "Tus-Resumable", value: TusProtocol.version)
    request.headers.add(name: "Authorization", value: "Bearer " + token)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    return request
  }

  func create(length: Int64, name: String, sessionId: String?) async throws -> URL {
    var metadata = "filename " + Data(name.utf8).base64EncodedString()
    if let sessionId { metadata += ",session " + Data(sessionId.utf8).base64EncodedString() }
    let (body, response) = try await send(
      request(
        server.appendingPathComponent("uploads"), method: .POST,
        headers: [("Upload-Length", String(length)), ("Upload-Metadata", metadata)]))
    guard response.status == 201, let location = response.headers.first(name: "Location"),
      let url = URL(string: location, relativeTo: server)?.absoluteURL
    else { throw refusal(response, body, doing: "create the upload") }
    return url
  }

  /// The server's offset for `url`, or nil when the upload is gone (expired, deleted, finished long ago).
  func head(_ url: URL) async throws -> Int64? {
    let (body, response) = try await send(request(url, method: .HEAD))
    if response.status == 404 || response.status == 410 { return nil }
    guard response.status == 200, let offset = response.headers.first(name: "Upload-Offset").flatMap(Int64.init)
    else {
      throw refusal(response, body, doing: "ask where the upload stands")
    }
    return offset
  }

  func patch(_ url: URL, offset: Int64, chunk: Data) async throws -> Int64 {
    var request = request(
      url, method: .PATCH,
      headers: [
        ("Content-Type", "application/offset+octet-stream"), ("Upload-Offset", String(offset)),
        ("Upload-Checksum", "sha256 " + Data(SHA256.hash(data: chunk)).base64EncodedString()),
      ])
    request.body = .bytes(ByteBuffer(bytes: chunk))
    let (body, response) = try await send(request)
    switch response.status {
    case 204:
      guard let next = response.headers.first(name: "Upload-Offset").flatMap(Int64.init) else {
        throw ExamError(
          .io, file: url.absoluteString, "the server acknowledged a chunk without Upload-Offset", fix: "retry")
      }
      return next
    case 409, 460, 500...599:  // moved, damaged in transit, or the server is busy: retry after a HEAD
      throw ExamError(
        .io, file: url.absoluteString, "HTTP \(response.status): \(Self.message(body))", fix: "retrying")
    default:
      throw refusal(response, body, doing: "send bytes at \(offset)")
    }
  }

  func waitForReport(_ url: URL) async throws -> (status: Int, json: String) {
    let deadline = ContinuousClock.now + .seconds(reportWaitSeconds)
    var failures = 0
    // The report of a small batch is ready within a second: ask soon, then less often (50 ms doubling to 1 s).
    var pollMilliseconds = 50
    while ContinuousClock.now < deadline {
      do {
        let (body, response) = try await send(request(url.appendingPathComponent("report"), method: .GET))
        switch response.status {
        case 200, 422: return (response.status, String(decoding: body, as: UTF8.self))
        case 202:
          try await Task.sleep(for: .milliseconds(pollMilliseconds))
          pollMilliseconds = min(pollMilliseconds * 2, 1000)
        default: throw refusal(response, body, doing: "fetch the report")
        }
      } catch let error as ExamError where error.code != .io {
        throw error
      } catch {
        failures += 1
        guard failures < attempts else { throw error }
        try await Task.sleep(for: .seconds(min(30, 1 << min(failures - 1, 5))))
      }
    }
    throw ExamError(
      .state, file: url.absoluteString, "no report after \(reportWaitSeconds) s",
      fix: "the batch is queued on the server; fetch \(url.path)/report later")
  }

  /// What a request got back: the status, the headers and the whole body (the server's bodies are small).
  struct Reply {
    var url: String
    var status: Int
    var headers: HTTPHeaders
  }

  /// Sends `request` on the process's shared SwiftNIO client (pooled, kept-alive connections; waits on the
  /// event loop instead of spinning), giving it `requestTimeoutSeconds` from start to the last byte of the reply.
  func send(_ request: HTTPClientRequest) async throws -> (Data, Reply) {
    do {
      let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(requestTimeoutSeconds)))
      let body = try await response.body.collect(upTo: 16 << 20)
      return (
        Data(body.readableBytesView),
        Reply(url: request.url, status: Int(response.status.code), headers: response.headers)
      )
    } catch {
      // Retried by the callers (an `.io` error), then reported with what to check.
      throw ExamError(
        .io, file: request.url, "no answer from the server (\(error))",
        fix: "check --server and the network; the same command resumes where the upload stands")
    }
  }

  func refusal(_ response: Reply, _ body: Data, doing what: String) -> ExamError {
    let code: ExamError.Code =
      response.status == 401 || response.status == 403
      ? .usage : response.status >= 500 ? .io : .invalidInput
    return ExamError(
      code, file: response.url,
      "the server refused to \(what): HTTP \(response.status): \(Self.message(body))",
      fix: response.status == 401 ? "check --token-file (ask the exam office for a new token)" : "see the message")
  }

  public static func message(_ body: Data) -> String {
    struct Envelope: Decodable { struct Inner: Decodable { var message: String }; var error: Inner }
    return (try? JSONDecoder().decode(Envelope.self, from: body).error.message)
      ?? String(decoding: body.prefix(300), as: UTF8.self)
  }

  // MARK: - State file

  func loadState(_ path: String) -> URL? {
    guard let data = FileManager.default.contents(atPath: path),
      let state = try? JSONDecoder().decode([String: String].self, from: data), state["server"] == server.absoluteString
    else { return nil }
    return state["url"].flatMap(URL.init(string:))
  }

  func saveState(_ path: String, url: URL) throws(ExamError) {
    try AtomicFile.makeDirectories(stateFolder)
    let json = JSONText.object(["server": server.absoluteString, "url": url.absoluteString])
    try AtomicFile.write(text: json, to: path)
  }
}
