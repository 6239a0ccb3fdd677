import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Ingest
import ServiceLifecycle
import Signing
import Testing
import _ExamTestSupport

@testable import CentreServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A store with the sample exam (items LA1, SA1, SA2), candidates C1–C5 (C1–C4 at centre T1, C5 at T2,
/// session AM), a token for each centre and one for the office: a SQLite file (`init()`), or either backend
/// (`on(_:_:)`, for the tests that run on both).
struct ServerFixture {
  let dir: TemporaryDirectory
  /// The store the server works on.
  let serverStore: any ServerStore
  /// Its `--db` value.
  let databasePath: String
  var tokens: [String: String] = [:]
  /// The SQLite store of a fixture made with `init()`.
  var database: ExamDatabase { serverStore as! ExamDatabase }
  var store: ContentStore { ContentStore(root: dir.file("store")) }

  /// The fixture on a SQLite file.
  init() async throws {
    let dir = TemporaryDirectory("server")
    try await self.init(dir: dir, store: try ExamDatabase(path: dir.file("exam.sqlite")), path: dir.file("exam.sqlite"))
  }

  /// Runs `body` on the fixture on `backend`'s store (a PostgreSQL database is dropped afterwards).
  static func on(_ backend: TestBackend, _ body: (ServerFixture) async throws -> Void) async throws {
    let dir = TemporaryDirectory("server")
    defer { dir.remove() }
    try await backend.withCommandStore(in: dir) { path, store in
      try await body(try await ServerFixture(dir: dir, store: store, path: path))
    }
  }

  private init(dir: TemporaryDirectory, store: any ServerStore, path: String) async throws {
    self.dir = dir
    serverStore = store
    databasePath = path
    let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "test", command: "setup", arguments: "", summary: "")
    var exam = SampleData.exam()
    exam.sections[1].items.append(
      ItemDefinition(
        id: "SA2", type: .readSentence, points: 1, referenceText: "We call it bear.",
        minAnswerSeconds: 0.5, maxAnswerSeconds: 20))
    _ = try await store.importExam(exam, audit: audit)
    _ = try await store.importCandidates((1...5).map { SampleData.candidate($0) }, audit: audit)
    try await store.replaceVenues(
      centres: [SampleData.centre(id: "T1"), SampleData.centre(id: "T2")], sessions: [SampleData.session],
      adjacency: [], audit: audit)
    let seats = ["1-1", "1-2", "1-3", "2-1"]
    var plan = (1...4).map {
      SeatAssignment(
        examId: "E1", candidateId: "C\($0)", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: seats[$0 - 1])
    }
    plan.append(
      SeatAssignment(examId: "E1", candidateId: "C5", sessionId: "AM", centreId: "T2", roomId: "R1", seatId: "1-1"))
    try await store.replaceAllocation(examId: "E1", plan, audit: audit)
    for centre in ["T1", "T2"] {
      tokens[centre] = try await AccessTokens.issue(
        in: store, centreId: centre, label: "", operatorName: "test", arguments: []
      ).secret
    }
    tokens["office"] = try await AccessTokens.issue(
      in: store, centreId: nil, label: "", operatorName: "test", arguments: []
    ).secret
  }

  func configuration(limits: ServerLimits = ServerLimits()) -> ServerConfiguration {
    var limits = limits
    limits.reserveDiskBytes = 0
    return ServerConfiguration(
      host: "127.0.0.1", port: 0, contentStore: store, quarantineRoot: dir.file("quarantine"), limits: limits)
  }

  /// Runs the server on 127.0.0.1 on a free port for the length of `body`, then shuts it down gracefully.
  func withServer<R: Sendable>(
    limits: ServerLimits = ServerLimits(), tls: (certificate: String, key: String)? = nil,
    metrics: ServeMetrics? = nil, ingestOnWorkers: Bool = false, _ body: @Sendable (URL) async throws -> R
  ) async throws -> R {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var configuration = configuration(limits: limits)
    configuration.ingestOnWorkers = ingestOnWorkers
    configuration.tlsCertificatePath = tls?.certificate
    configuration.tlsKeyPath = tls?.key
    let app = try UploadServer(database: serverStore, configuration: configuration, metrics: metrics).makeApplication {
      port in
      portContinuation.yield(port)
    }
    let group = ServiceGroup(configuration: .init(services: [app], logger: .init(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      var iterator = ports.makeAsyncIterator()
      guard let port = await iterator.next() else { throw ExamError(.state, "the server did not start") }
      do {
        let result = try await body(URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")!)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
      } catch {
        await group.triggerGracefulShutdown()
        try? await tasks.waitForAll()
        throw error
      }
    }
  }

  func client(_ server: URL, centre: String, chunkBytes: Int = 64 << 10) -> UploadClient {
    var client = UploadClient(server: server, token: tokens[centre]!, stateFolder: dir.file("client-state"))
    client.chunkBytes = chunkBytes
    return client
  }

  /// A batch of centre `centre`'s candidates (each answering SA1 and SA2) zipped with `BatchZipper`; returns the zip.
  func makeBatchZip(_ name: String, candidates: [Int], seconds: Double = 1.5, extra: (String) throws -> Void = { _ in })
    throws -> String
  {
    let folder = dir.file("batches/\(name)")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var manifest = CSVWriter(header: ["candidate", "item", "file", "seat", "recorded_at", "sha256"])
    for n in candidates {
      for item in ["SA1", "SA2"] {
        let file = "C\(n)-\(item).wav"
        try writeMono(
          SyntheticSpeech.toneBursts(seconds: seconds, seed: UInt64(n * 31 + item.count)), sampleRate: 16_000,
          to: folder + "/" + file, encoding: .wav16)
        manifest.append([
          "C\(n)", item, file, "", "2026-06-14T09:05:00+08:00", try Digest.sha256(fileAtPath: folder + "/" + file),
        ])
      }
    }
    try AtomicFile.write(text: manifest.text, to: folder + "/manifest.csv")
    try extra(folder)
    let zip = dir.file("batches/\(name).zip")
    try BatchZipper.zip(folder: folder, to: zip)
    return zip
  }

  /// Files of the upload folder (the bytes of unfinished uploads).
  func uploadFiles() -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: store.root + "/.uploads")) ?? []
  }
}

/// Plain HTTP requests for the tests, with the tus header set unless told otherwise.
struct HTTP {
  let server: URL

  struct Reply {
    var status: Int
    var headers: [String: String]
    var body: String
    func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
  }

  func send(
    _ method: String, _ path: String, token: String?, headers: [String: String] = [:], body: Data? = nil,
    tus: Bool = true
  ) async throws -> Reply {
    var request = URLRequest(url: URL(string: path, relativeTo: server)!.absoluteURL)
    request.httpMethod = method
    if tus { request.setValue("1.0.0", forHTTPHeaderField: "Tus-Resumable") }
    if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpBody = body
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
    return Reply(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
  }

  /// Creates an upload of `length` bytes; returns its path.
  func create(length: Int, token: String, metadata: String? = nil) async throws -> String {
    var headers = ["Upload-Length": String(length)]
    if let metadata { headers["Upload-Metadata"] = metadata }
    let reply = try await send("POST", "/uploads", token: token, headers: headers)
    #expect(reply.status == 201, "\(reply.body)")
    return reply.header("Location") ?? "/uploads/none"
  }

  func patch(_ path: String, offset: Int, bytes: [UInt8], token: String, checksum: [UInt8]? = nil) async throws -> Reply
  {
    var headers = ["Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset)]
    if let checksum { headers["Upload-Checksum"] = "sha256 " + Data(checksum).base64EncodedString() }
    return try await send("PATCH", path, token: token, headers: headers, body: Data(bytes))
  }
}
