import ExamCore
import Hummingbird

/// `GET /metrics` on `host:port`, apart from any public port: Prometheus' text format from `text`, nothing else
/// (the scoring worker's, `exam serve`'s). Plain HTTP on purpose: bind it to a private
/// address (the default, 127.0.0.1) or let the scraper reach it through the site's network rules.
public struct MetricsEndpoint: Sendable {
  public var host: String
  public var port: Int
  public var text: @Sendable () -> String

  public init(host: String, port: Int, text: @escaping @Sendable () -> String) {
    self.host = host
    self.port = port
    self.text = text
  }

  /// Serves until the calling task is cancelled; `onListening` gets the bound port (0 asks the system for one).
  public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    let router = Router()
    let text = self.text
    router.get("metrics") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: text())))
    }
    let app = Application(
      router: router, configuration: .init(address: .hostname(host, port: port), serverName: "exam metrics"),
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) })
    try await app.run()
  }

  /// Starts serving in a task and returns it once listening, with the bound port.
  /// - Throws: `ExamError(.io)` naming `--metrics-listen` when it cannot listen there (address in use, not an
  ///   address of this host).
  public func start() async throws -> (server: Task<Void, any Error>, port: Int) {
    let (listening, announce) = AsyncStream.makeStream(of: Int.self)
    let server = Task {
      defer { announce.finish() }  // also when it cannot listen, so the wait below ends
      try await run { port in
        announce.yield(port)
        announce.finish()
      }
    }
    var bound: Int?
    for await p in listening { bound = p }
    guard let bound else {
      // The server ended before it listened: its error says why.
      var why = "it stopped"
      do { try await server.value } catch { why = "\(error)" }
      throw ExamError(
        .io, location: "--metrics-listen \(host):\(port)", "cannot serve metrics there: \(why)",
        fix: "choose a free port, or an address of this machine")
    }
    return (server, bound)
  }
}
