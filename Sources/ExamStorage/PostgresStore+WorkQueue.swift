import ExamCore
import Foundation
import PostgresNIO

/// A unit of work claimed from the queue: `key` says what it is about (a recording id, a batch id), `payload` is
/// the JSON its kind's worker reads.
public struct ClaimedJob: Sendable, Equatable {
  public var id: Int64
  public var key: String
  public var payload: String
  /// 1 on the first claim; more when an earlier worker died or gave it back.
  public var attempts: Int
}

/// A worker as the queue knows it.
public struct QueueWorker: Sendable {
  public var id: String
  public var kind: String
  public var release: String

  public init(id: String, kind: String, release: String) {
    self.id = id
    self.kind = kind
    self.release = release
  }

  /// A worker of this process: `host:pid:random`.
  public static func ofThisProcess(kind: String) -> QueueWorker {
    let host = ProcessInfo.processInfo.hostName
    let id = "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UInt32.random(in: 0...UInt32.max) % 100_000)"
    return QueueWorker(id: id, kind: kind, release: ExamKitRelease.version)
  }
}

/// The durable work queue (docs/scale-out.md). A job is `ready`, `leased` (by one worker until its lease expires)
/// or `done`. Workers claim with `SELECT … FOR UPDATE SKIP LOCKED`, so many claim at once without waiting on each
/// other; an expired lease (a killed worker, a lost machine) makes the job claimable again; the kind's completion
/// method writes the results and marks the job done in one transaction, and does nothing for a job already done.
/// Enqueuing sends `NOTIFY examkit_work, '<kind>'`, which wakes idle workers. Times are the server's clock.
extension PostgresStore {
  static let notificationChannel = "examkit_work"

  /// Adds jobs of `kind` (key, payload JSON) that are not queued yet, and wakes idle workers. Returns how many
  /// were added.
  @discardableResult
  public func enqueue(kind: String, jobs: [(key: String, payload: String)]) async throws(ExamError) -> Int {
    var added = 0
    for chunk in stride(from: 0, to: jobs.count, by: 10_000).map({ jobs[$0..<min($0 + 10_000, jobs.count)] }) {
      let keys = chunk.map(\.key), payloads = chunk.map(\.payload)
      added += try await retrying("enqueue \(kind) jobs") { [self] in
        try await client.withTransaction(logger: logger) { connection in
          try await Self.insertJobs(kind: kind, keys: keys, payloads: payloads, on: connection, logger: logger)
        }
      }
    }
    return added
  }

  /// Adds the jobs not queued yet inside an open transaction and, when any was added, wakes the idle workers of
  /// `kind` (at the commit). Returns how many were added.
  static func insertJobs(
    kind: String, keys: [String], payloads: [String], on connection: PostgresConnection, logger: Logger
  ) async throws -> Int {
    var count = 0
    for try await n in try await connection.query(
      """
      WITH added AS (
        INSERT INTO job (kind, key, payload, release)
        SELECT \(kind), k, p, \(ExamKitRelease.version) FROM unnest(\(keys)::text[], \(payloads)::text[]) AS t(k, p)
        ON CONFLICT (kind, key) DO NOTHING RETURNING 1)
      SELECT COUNT(*) FROM added
      """, logger: logger
    ).decode(Int.self) { count = n }
    if count > 0 {
      try await connection.query("SELECT pg_notify(\(Self.notificationChannel), \(kind))", logger: logger)
    }
    return count
  }

  /// Registers `worker` (or marks it running again), refusing it when the queue holds open work of `kind`
  /// published by another ExamKit release.
  public func register(_ worker: QueueWorker) async throws(ExamError) {
    let others = try await retrying("check the release of the queued work") { [self] in
      var releases: [String] = []
      let rows = try await client.query(
        """
        SELECT DISTINCT release FROM job WHERE kind = \(worker.kind) AND state <> 'done' AND release <> \(worker.release) LIMIT 5
        """, logger: logger)
      for try await r in rows.decode(String.self) { releases.append(r) }
      return releases
    }
    if !others.isEmpty {
      throw ExamError(
        .conflict, file: redactedURL,
        "this worker is ExamKit \(worker.release) but the queued \(worker.kind) work was published by \(others.joined(separator: ", ")); two releases may score the same answer differently",
        fix: "run workers of release \(others[0]) (or publish the work again with this release once the queue is empty)"
      )
    }
    let host = worker.id.split(separator: ":").first.map(String.init) ?? ""
    let pid = Int(ProcessInfo.processInfo.processIdentifier)
    _ = try await retrying("register the worker") { [self] in
      try await client.query(
        """
        INSERT INTO worker (id, kind, host, pid, release) VALUES (\(worker.id), \(worker.kind), \(host), \(pid), \(worker.release))
        ON CONFLICT (id) DO UPDATE SET seen_at = now(), stopped_at = NULL
        """, logger: logger)
    }
  }

  /// Claims up to `limit` jobs of the worker's kind — ready ones, or leased ones whose lease has expired — for
  /// `leaseSeconds`, oldest first. Returns none when nothing is claimable.
  public func claim(_ worker: QueueWorker, limit: Int, leaseSeconds: Double) async throws(ExamError) -> [ClaimedJob] {
    try await retrying("claim \(worker.kind) jobs") { [self] in
      let rows = try await client.query(
        """
        UPDATE job SET state = 'leased', leased_by = \(worker.id), attempts = attempts + 1,
          lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
        WHERE id IN (
          SELECT id FROM job WHERE kind = \(worker.kind) AND state <> 'done'
            AND (state = 'ready' OR lease_expires_at < now())
          ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
        RETURNING id, key, payload, attempts
        """, logger: logger)
      var jobs: [ClaimedJob] = []
      for try await (id, key, payload, attempts) in rows.decode((Int64, String, String, Int).self) {
        jobs.append(ClaimedJob(id: id, key: key, payload: payload, attempts: attempts))
      }
      return jobs.sorted { $0.id < $1.id }
    }
  }

  /// Extends the leases of `jobIds` that `worker` still holds (a heartbeat while it works on them) and records
  /// that it is alive. Only the jobs the caller names: a claim whose reply was lost (a restart) is not in the
  /// caller's hands, and its lease must run out so that another worker takes it. Returns how many were extended.
  @discardableResult
  public func renewLeases(_ worker: QueueWorker, jobIds: [Int64], leaseSeconds: Double) async throws(ExamError)
    -> Int
  {
    try await retrying("renew leases") { [client, logger] in
      try await client.query("UPDATE worker SET seen_at = now() WHERE id = \(worker.id)", logger: logger)
      if jobIds.isEmpty { return 0 }
      let rows = try await client.query(
        """
        WITH renewed AS (UPDATE job SET lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
          WHERE id = ANY(\(jobIds)) AND leased_by = \(worker.id) AND state = 'leased' RETURNING 1)
        SELECT COUNT(*) FROM renewed
        """, logger: logger)
      var count = 0
      for try await n in rows.decode(Int.self) { count = n }
      return count
    }
  }

  /// Marks jobs done without results of their own (the queue benchmark; kinds whose results are elsewhere).
  /// A job already done stays as it was. Returns how many this call completed.
  @discardableResult
  public func complete(_ jobIds: [Int64], by worker: QueueWorker) async throws(ExamError) -> Int {
    try await retrying("complete \(worker.kind) jobs") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await Self.markDone(jobIds, by: worker, on: connection, logger: logger)
      }
    }
  }

  /// In the caller's transaction: marks `jobIds` done by `worker` (those not done yet) and counts them on the
  /// worker's row. Returns how many it completed.
  static func markDone(_ jobIds: [Int64], by worker: QueueWorker, on connection: PostgresConnection, logger: Logger)
    async throws -> Int
  {
    let rows = try await connection.query(
      """
      WITH done AS (UPDATE job SET state = 'done', done_at = now(), done_by = \(worker.id), leased_by = NULL,
        lease_expires_at = NULL WHERE id = ANY(\(jobIds)) AND state <> 'done' RETURNING 1)
      SELECT COUNT(*) FROM done
      """, logger: logger)
    var count = 0
    for try await n in rows.decode(Int.self) { count = n }
    try await connection.query(
      "UPDATE worker SET completed = completed + \(count), seen_at = now() WHERE id = \(worker.id)",
      logger: logger)
    return count
  }

  /// Graceful shutdown: gives back every lease `worker` holds (claimable at once by others) and marks it stopped.
  /// Returns how many leases it gave back.
  @discardableResult
  public func releaseLeases(_ worker: QueueWorker) async throws(ExamError) -> Int {
    try await retrying("give back leases") { [self] in
      try await client.withTransaction(logger: logger) { connection in
        let rows = try await connection.query(
          """
          WITH back AS (UPDATE job SET state = 'ready', leased_by = NULL, lease_expires_at = NULL,
            attempts = GREATEST(attempts - 1, 0) WHERE leased_by = \(worker.id) AND state = 'leased' RETURNING 1)
          SELECT COUNT(*) FROM back
          """, logger: logger)
        var count = 0
        for try await n in rows.decode(Int.self) { count = n }
        try await connection.query("UPDATE worker SET stopped_at = now() WHERE id = \(worker.id)", logger: logger)
        if count > 0 {
          try await connection.query("SELECT pg_notify(\(Self.notificationChannel), \(worker.kind))", logger: logger)
        }
        return count
      }
    }
  }

  /// Whether work of `kind` is left that nobody could claim now: leased by live workers (or by dead ones whose
  /// leases have not expired). A worker with nothing to claim exits when this is 0 (with `--until-empty`).
  public func openJobs(kind: String) async throws(ExamError) -> Int {
    try await retrying("count open jobs") { [self] in
      var count = 0
      for try await n in try await client.query(
        "SELECT COUNT(*) FROM job WHERE kind = \(kind) AND state <> 'done'",
        logger: logger
      ).decode(Int.self) { count = n }
      return count
    }
  }

  /// Waits until work of `kind` is announced (NOTIFY) or `timeoutSeconds` pass, whichever is first. Listens
  /// before it looks, so an announcement between the worker's last empty claim and this call is not missed.
  public func waitForWork(kind: String, timeoutSeconds: Double) async throws(ExamError) {
    let logger = self.logger
    try await retrying("wait for work", timeoutSeconds: timeoutSeconds + callTimeoutSeconds) { [self] in
      try await client.withConnection { connection in
        try await connection.listen(on: Self.notificationChannel) { notifications in
          var ready = 0
          for try await n in try await connection.query(
            """
            SELECT COUNT(*) FROM (SELECT 1 FROM job WHERE kind = \(kind) AND state <> 'done'
              AND (state = 'ready' OR lease_expires_at < now()) LIMIT 1) AS t
            """, logger: logger
          ).decode(Int.self) { ready = n }
          if ready > 0 { return }
          try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
              for try await notification in notifications where notification.payload == kind { return }
            }
            group.addTask { try await Task.sleep(for: .milliseconds(Int(timeoutSeconds * 1000))) }
            _ = try await group.next()
            group.cancelAll()
          }
        }
      }
    }
  }
}
