import ExamStorage
import Ingest

/// Bounds that keep one centre (or a broken client) from filling the disk or holding connections.
public struct ServerLimits: Sendable, Equatable {
  /// Largest upload accepted, in bytes (Upload-Length above it: 413 before anything is written).
  public var maximumUploadBytes: Int64 = 4 << 30
  /// Uploads one centre may have unfinished at once (a new one beyond it: 429).
  public var maximumOpenUploadsPerCentre = 8
  /// Bytes one centre's unfinished uploads may hold on disk together (their declared lengths; beyond it: 413).
  public var centreQuotaBytes: Int64 = 20 << 30
  /// A connection that sends nothing for this long while a request is being read is closed (stalled clients).
  public var stallSeconds = 60
  /// An unfinished upload untouched for this long is dropped and its bytes deleted.
  public var expirySeconds = 24 * 3600
  /// Free disk space kept in reserve under the upload folder; an upload that would eat into it gets 507.
  public var reserveDiskBytes: Int64 = 1 << 30
  /// Batches ingested at once (each runs `ingestJobs` conversions in parallel).
  public var concurrentIngests = 1
  public var ingestJobs = 2
  /// Threads that write, fsync and record the uploads' chunks, off the cooperative threads (`StoreThreads`).
  public var storeThreads = 4
  /// Chunk jobs waiting for those threads beyond which a PATCH is refused with 503 (the client resends it).
  public var maximumQueuedStoreJobs = 1024

  public init() {}
}

/// Everything `exam serve` needs: where to listen, the store, TLS and limits.
public struct ServerConfiguration: Sendable {
  public var host: String
  /// 0 picks a free port (tests); the port in use is printed and passed to `onListening`.
  public var port: Int
  /// PEM certificate chain and private key for HTTPS; both nil serves plain HTTP (behind a TLS reverse proxy).
  public var tlsCertificatePath: String?
  public var tlsKeyPath: String?
  public var limits: ServerLimits
  /// The exam uploads are for; nil means the only exam in the store.
  public var examId: String?
  /// The content store beside the database (`store/`); uploads are written to `store/.uploads/`.
  public var contentStore: ContentStore
  /// Folder for refused files, as for `exam audio ingest`.
  public var quarantineRoot: String
  public var zipLimits: ZipLimits
  /// Hand finished uploads to the ingest workers' queue (`exam audio ingest --worker`) instead of ingesting them
  /// here; a PostgreSQL store only (the upload folder must then be on the shared disk the workers mount).
  public var ingestOnWorkers = false

  public init(
    host: String, port: Int, contentStore: ContentStore, quarantineRoot: String, limits: ServerLimits = ServerLimits(),
    tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil, examId: String? = nil,
    zipLimits: ZipLimits = ZipLimits()
  ) {
    self.host = host
    self.port = port
    self.contentStore = contentStore
    self.quarantineRoot = quarantineRoot
    self.limits = limits
    self.tlsCertificatePath = tlsCertificatePath
    self.tlsKeyPath = tlsKeyPath
    self.examId = examId
    self.zipLimits = zipLimits
  }

  /// Where the bytes of unfinished uploads live, one file per upload.
  public var uploadFolder: String { contentStore.root + "/.uploads" }
  func uploadPath(_ id: String) -> String { uploadFolder + "/" + id + ".upload" }
}
