import Hummingbird

/// `GET /metrics` on `host:port` for a long-running process that has no HTTP server of its own (the scoring
/// worker): Prometheus' text format from `text`, nothing else. Plain HTTP on purpose: bind it to a private
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
}
