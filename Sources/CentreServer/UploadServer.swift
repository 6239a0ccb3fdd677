import ExamCore
import ExamStorage
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// `exam serve`: the tus upload server for test centres over one exam store.
///
/// Runs under swift-service-lifecycle: on SIGTERM or SIGINT it stops taking uploads (503), lets requests in
/// flight finish (Hummingbird quiesces its connections), lets running ingests finish, and returns, closing the
/// store. Unfinished uploads stay on disk and resume after the restart.
public struct UploadServer: Sendable {
  public let database: any ServerStore
  public let configuration: ServerConfiguration
  let logger: Logger
  /// More routes on the same server (the marking desk registers `/login`, `/mark`, `/arbitrate`, `/marking`).
  let moreRoutes: @Sendable (Router<ServerRequestContext>) -> Void
  /// Requests, uploads and ingests are counted here when given (`exam serve --metrics-listen`).
  let metrics: ServeMetrics?

  public init(
    database: any ServerStore, configuration: ServerConfiguration, logger: Logger = Logger(label: "exam.serve"),
    metrics: ServeMetrics? = nil, moreRoutes: @escaping @Sendable (Router<ServerRequestContext>) -> Void = { _ in }
  ) {
    self.metrics = metrics
    self.database = database
    self.configuration = configuration
    self.logger = logger
    self.moreRoutes = moreRoutes
  }

  /// Serves until SIGTERM/SIGINT. `onListening` gets the bound port (useful with port 0).
  public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    let app = try makeApplication(onListening: onListening)
    let group = ServiceGroup(
      configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
  }

  /// The Hummingbird application with its routes and the ingest queue as a service; tests run it with
  /// HummingbirdTesting.
  public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws
    -> some ApplicationProtocol
  {
    let shutdown = ShutdownFlag()
    let queue = IngestQueue(
      database: database, configuration: configuration, logger: logger, shutdown: shutdown, metrics: metrics,
      workers: configuration.ingestOnWorkers ? database as? PostgresStore : nil)
    let threads = StoreThreads(
      threads: configuration.limits.storeThreads, maximumQueued: configuration.limits.maximumQueuedStoreJobs
    ) {
      TusError(.serviceUnavailable, "the server is very busy (\($0) requests waiting); try again in a moment")
    }
    var desk = UploadDesk(
      database: database, configuration: configuration, queue: queue, shutdown: shutdown,
      threads: threads)
    desk.metrics = metrics
    let router = Router(context: ServerRequestContext.self)
    if let metrics { router.add(middleware: MetricsMiddleware(metrics: metrics)) }  // before the routes it counts
    UploadRoutes(desk: desk, status: StatusBoard(database: database, examId: configuration.examId)).register(on: router)
    moreRoutes(router)
    let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(configuration.limits.stallSeconds)))
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
      server = try .tls(
        .http1(configuration: http1), tlsConfiguration: try Self.tlsConfiguration(certificate: certificate, key: key))
    } else {
      server = .http1(configuration: http1)
    }
    return Application(
      router: router, server: server,
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "exam serve"),
      services: [queue],
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
      logger: logger)
  }

  static func tlsConfiguration(certificate: String, key: String) throws(ExamError) -> TLSConfiguration {
    let chain: [NIOSSLCertificateSource]
    do {
      chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
    } catch {
      throw ExamError(
        .invalidInput, file: certificate, "cannot read the TLS certificate chain (PEM)",
        fix: "give a PEM certificate chain with --tls-cert", underlying: "\(error)")
    }
    do {
      let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
      return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
    } catch {
      throw ExamError(
        .invalidInput, file: key, "cannot read the TLS private key (PEM, unencrypted)",
        fix: "give the certificate's private key with --tls-key", underlying: "\(error)")
    }
  }
}
