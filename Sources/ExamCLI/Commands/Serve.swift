import ArgumentParser
import CentreServer
import ExamCore
import ExamStorage
import Foundation
import Ingest
import MarkingServer

extension ExamCommand {
  struct Serve: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Serve resumable uploads (tus 1.0) for test centres, and the marking desk for raters (/mark).",
      discussion: """
        Centres send their batch zip with `exam upload` or the /upload page, using the token from
        `exam centres tokens issue`. Uploads resume after a dropped network or a server restart; each finished
        upload runs through the same ingest as `exam audio ingest --centre <the token's centre>` and its report
        is returned (GET /uploads/ID/report, GET /batches/BATCH/report). GET /expected lists what the centre
        still owes. The office reads /status (HTML, refreshes itself) or /status.json with an office token.

        The marking desk is on the same server: raters log in at /login (accounts from `exam raters import`), mark
        the answers `exam marking export` gave them at /mark (audio in the page, keyboard marking, flags that become
        proctoring incidents), arbiters settle disagreements at /arbitrate, and the office watches /marking (and
        /marking.json). Marks go through the same marking library and audit trail as `exam marking import`.

        HTTPS: give --tls-cert and --tls-key (PEM), or listen on 127.0.0.1 behind a TLS reverse proxy (then add
        --behind-tls-proxy so the desk's cookies are marked Secure, and --trusted-proxy with the proxy's address so
        wrong passwords are counted per client from its X-Forwarded-For; without it that header is ignored).
        SIGTERM or Ctrl-C: stops taking uploads, finishes requests and ingests in flight, then exits.

        On PostgreSQL (--db postgres://… --store SHARED), several servers can share one database and one shared
        store; with --ingest-workers each finished upload goes to the ingest workers' queue
        (`exam audio ingest --worker`, on any number of machines) instead of being ingested by this server.

        Example:
          exam serve --listen 0.0.0.0:8443 --db /srv/exam/exam.sqlite --tls-cert cert.pem --tls-key key.pem
          exam serve --listen 127.0.0.1:8080 --max-upload-mb 2048 --centre-quota-mb 8192
          exam raters import raters.csv --arbiter R09 --passwords-out first-passwords.csv
          exam serve --listen 127.0.0.1:8080 --behind-tls-proxy --trusted-proxy 127.0.0.1   # raters: https://HOST/login
          exam serve --listen 0.0.0.0:8080 --db postgres://exam@db1/exam --store /mnt/exam-store --ingest-workers
        """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address and port to listen on (HOST:PORT; port 0 picks a free one).") var listen: ListenAddress =
      ListenAddress(host: "127.0.0.1", port: 8080)
    @Option(help: "PEM certificate chain for HTTPS.") var tlsCert: String?
    @Option(help: "PEM private key for HTTPS.") var tlsKey: String?
    @Option(help: "Exam id (default: the only exam in the store).") var exam: String?
    @Option(help: "Largest upload, in MiB.") var maxUploadMb: Int = 4096
    @Option(help: "Unfinished uploads one centre may have at once.") var maxOpenUploads: Int = 8
    @Option(help: "Bytes one centre's unfinished uploads may hold on disk, in MiB.") var centreQuotaMb: Int = 20480
    @Option(help: "Close a connection that sends nothing for this many seconds mid-request.") var stallSeconds: Int = 60
    @Option(help: "Drop an unfinished upload untouched for this many hours.") var expiryHours: Int = 24
    @Option(help: "Batches ingested at once.") var concurrentIngests: Int = 1
    @Option(help: "Files converted at once per batch (default: number of CPUs).") var jobs: Int?
    @Flag(help: "The server is reached through a TLS reverse proxy: mark the desk's cookies Secure.")
    var behindTlsProxy = false
    @Option(
      name: .customLong("trusted-proxy"),
      help: ArgumentHelp(
        "A reverse proxy's IP address whose X-Forwarded-For names the client (repeatable).",
        discussion: "Only then does the desk count wrong passwords per client behind the proxy; by default the header "
          + "is ignored and the connection's address is used."))
    var trustedProxy: [String] = []
    @Option(
      help: ArgumentHelp(
        "Serve Prometheus metrics (requests, upload bytes, batches and recordings ingested, ingest times) on "
          + "GET /metrics at HOST:PORT, apart from --listen (PORT alone: 127.0.0.1).", valueName: "host:port"))
    var metricsListen: ListenAddress?
    @Flag(
      help: ArgumentHelp(
        "Hand each finished upload to the ingest workers' queue instead of ingesting it here (PostgreSQL only).",
        discussion: "The upload folder is in the shared store (--store), which every worker mounts at the same path."))
    var ingestWorkers = false

    static let runsOnPostgres = true

    /// The `--trusted-proxy` addresses, checked.
    func trustedProxies() throws -> TrustedProxies {
      do {
        return try TrustedProxies(trustedProxy)
      } catch {
        let bad = trustedProxy.first { TrustedProxies.canonical($0) == nil } ?? ""
        throw ValidationError(
          "'--trusted-proxy' needs an IP address (got '\(bad)'); give the proxy's address as it connects, "
            + "such as 127.0.0.1 or ::1.")
      }
    }

    func validate() throws {
      guard (tlsCert == nil) == (tlsKey == nil) else {
        throw ValidationError("Give both '--tls-cert' and '--tls-key', or neither.")
      }
      for (name, value) in [
        ("--max-upload-mb", maxUploadMb), ("--max-open-uploads", maxOpenUploads), ("--centre-quota-mb", centreQuotaMb),
        ("--stall-seconds", stallSeconds), ("--expiry-hours", expiryHours), ("--concurrent-ingests", concurrentIngests),
      ] where value < 1 {
        throw ValidationError("'\(name)' must be at least 1 (got \(value)).")
      }
      if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1 (got \(jobs)).") }
      if ingestWorkers, !PostgresStore.isPostgresURL(CommandContext(global).databasePath) {
        throw ValidationError(
          "'--ingest-workers' needs a PostgreSQL store (--db postgres://…): the ingest workers' queue lives there.")
      }
      _ = try trustedProxies()
    }

    func run(_ context: CommandContext) async throws {
      let database = context.serverStore
      var limits = ServerLimits()
      limits.maximumUploadBytes = Int64(maxUploadMb) << 20
      limits.maximumOpenUploadsPerCentre = maxOpenUploads
      limits.centreQuotaBytes = Int64(centreQuotaMb) << 20
      limits.stallSeconds = stallSeconds
      limits.expirySeconds = expiryHours * 3600
      limits.concurrentIngests = concurrentIngests
      limits.ingestJobs = jobs ?? ProcessInfoCPU.count
      var configuration = ServerConfiguration(
        host: listen.host, port: listen.port, contentStore: context.contentStore,
        quarantineRoot: context.quarantineDirectory, limits: limits, tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey,
        examId: exam)
      configuration.ingestOnWorkers = ingestWorkers
      let scheme = tlsCert == nil ? "http" : "https"
      let host = listen.host
      let examId = try await ExpectedAnswers(store: database).resolveExamId(exam)
      var desk = DeskConfiguration(
        examId: examId, contentStore: context.contentStore, secureCookies: tlsCert != nil || behindTlsProxy)
      desk.trustedProxies = try trustedProxies()
      let marking = try await MarkingDeskServer(database: database, configuration: desk)
      var metrics: ServeMetrics?
      var metricsServer: Task<Void, any Error>?
      if let metricsListen {
        let serveMetrics = ServeMetrics()
        let (server, port) = try await MetricsEndpoint(
          host: metricsListen.host, port: metricsListen.port, text: { serveMetrics.text() }
        ).start()
        FileHandle.standardOutput.write(Data("metrics on http://\(metricsListen.host):\(port)/metrics\n".utf8))
        (metrics, metricsServer) = (serveMetrics, server)
      }
      defer { metricsServer?.cancel() }
      try await UploadServer(
        database: database, configuration: configuration, metrics: metrics, moreRoutes: { marking.register(on: $0) }
      )
      .run { port in
        // unbuffered, so a supervisor (or a test) reading the pipe sees it at once
        FileHandle.standardOutput.write(Data("listening on \(scheme)://\(host):\(port)\n".utf8))
      }
      context.say("stopped")
    }
  }
}

/// `HOST:PORT` for `--listen` and `--metrics-listen`; `PORT` alone listens on 127.0.0.1.
struct ListenAddress: ExpressibleByArgument, Sendable {
  var host: String
  var port: Int

  init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  init?(argument: String) {
    if let port = Int(argument), (0...65535).contains(port) {
      self = ListenAddress(host: "127.0.0.1", port: port)
      return
    }
    guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
      (0...65535).contains(port)
    else { return nil }
    let host = String(argument[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    guard !host.isEmpty else { return nil }
    self = ListenAddress(host: host, port: port)
  }

  var defaultValueDescription: String { "\(host):\(port)" }
}
