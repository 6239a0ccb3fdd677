import ExamStorage

/// Settings of the marking desk inside `exam serve`.
public struct DeskConfiguration: Sendable {
  /// The exam being marked.
  public var examId: String
  public var contentStore: ContentStore
  /// Cookies get `Secure` (set when the server speaks TLS, or sits behind a TLS proxy).
  public var secureCookies: Bool
  /// A login lasts this long (a marking shift).
  public var sessionSeconds = 10 * 3600
  /// Wrong passwords in a row that lock an account, and for how long.
  public var maximumFailuresPerAccount = 5
  public var lockSeconds = 15 * 60
  /// Wrong passwords from one address within `addressWindowSeconds` after which that address gets 429.
  public var maximumFailuresPerAddress = 20
  public var addressWindowSeconds = 15 * 60
  /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); none by default.
  public var trustedProxies = TrustedProxies.none
  /// Threads that run the desk's store work (SQLite, audio files) off Swift's cooperative threads (`StoreThreads`).
  public var storeThreads = 4
  /// Store jobs that may wait at once before the desk answers 503 (busy).
  public var maximumQueuedStoreJobs = 2048

  public init(examId: String, contentStore: ContentStore, secureCookies: Bool) {
    self.examId = examId
    self.contentStore = contentStore
    self.secureCookies = secureCookies
  }
}
