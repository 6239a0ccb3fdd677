import Dispatch
import ExamCore
import ExamStorage
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an ingest did: lines read, events new to the store, and each bad line (file, line, why).
public struct EventIngestSummary: Sendable {
  public var files = 0
  public var lines = 0
  public var parsed = 0
  /// Events not stored before (a log ingested twice adds 0 the second time).
  public var added = 0
  public var badLines: [ExamError] = []
  /// Logs that held no event line at all (each also reported in `badLines`): a seat machine that logged nothing,
  /// or the wrong file copied, must not pass as a quiet room.
  public var emptyLogs = 0
  /// Rooms the logs had events for (the rules need only re-run there).
  public var rooms: Set<ProctoringRoom> = []
  public var seconds = 0.0
  public init() {}
}

/// Streams seat-machine logs (JSON Lines) into the store (SQLite or PostgreSQL) in large batches.
///
/// Parsing and storing overlap: the logs are parsed on a thread of their own (blocking file reads never hold a
/// cooperative thread) while the caller's task stores the batches (at most two wait), so memory stays at one read
/// buffer plus three batches whatever the log's size. Each batch is one transaction; since events are identified by
/// (exam, machine, seq), re-running after a crash adds only what is missing.
public struct EventLogIngester: Sendable {
  public let store: any ProctoringStore
  public let examId: String
  /// Events per transaction.
  public var batchSize = 100_000
  /// Bad lines kept in the summary (all are counted).
  public var maxReportedBadLines = 1000

  public init(store: any ProctoringStore, examId: String) {
    self.store = store
    self.examId = examId
  }

  /// Ingests `paths` in order. `audit` is written with the final batch.
  /// - Parameter progress: called after each batch with the number of bytes read so far.
  /// - Throws: `ExamError.notFound`/`.io` for unreadable files (before anything is stored from that file); the
  ///   store's errors (the batches stored before stay: a re-run adds the rest).
  public func ingest(
    paths: [String], audit: @escaping @Sendable (EventIngestSummary) -> AuditEntry,
    progress: @escaping @Sendable (Int) -> Void = { _ in }
  ) async throws -> EventIngestSummary {
    let started = Self.monotonicSeconds()
    let channel = BatchChannel()
    let parser = self
    async let parsed = Self.onOwnThread { try parser.parse(paths: paths, into: channel, progress: progress) }
    var added = 0
    do {
      for await batch in channel.batches {
        added += try await store.insertSeatEvents(batch, audit: nil)
        channel.taken()
      }
    } catch {
      channel.stop()
      _ = try? await parsed
      throw error
    }
    var (summary, bytesRead, last) = try await parsed
    summary.seconds = Self.monotonicSeconds() - started
    summary.added = added + (try await store.insertSeatEvents(last, audit: audit(summary)))
    summary.seconds = Self.monotonicSeconds() - started
    progress(bytesRead)
    return summary
  }

  /// Runs `body` on a new thread and returns what it returns.
  static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread { continuation.resume(with: Result { try body() }) }.start()
    }
  }

  /// Parses `paths`, handing full batches to `channel` (and waiting while two are not stored yet); returns the
  /// summary (without what was added), the bytes read, and the last, partial batch. Finishes `channel` in any case.
  func parse(paths: [String], into channel: BatchChannel, progress: (Int) -> Void) throws
    -> (EventIngestSummary, Int, [SeatEvent])
  {
    defer { channel.finish() }
    var summary = EventIngestSummary()
    var batch: [SeatEvent] = []
    batch.reserveCapacity(batchSize)
    var bytesRead = 0
    var lastRoom: ProctoringRoom?
    for path in paths {
      try InputFile.requireRegularFile(path)
      guard let file = fopen(path, "rb") else {
        throw ExamError(
          .io, file: path, "cannot be opened", fix: "check its permissions",
          underlying: String(cString: strerror(errno)))
      }
      defer { fclose(file) }
      summary.files += 1
      var lineNumber = 0
      let linesBefore = summary.lines
      try Self.forEachLine(
        file,
        tooLong: { length in
          lineNumber += 1
          bytesRead += length + 1
          summary.lines += 1
          if summary.badLines.count < maxReportedBadLines {
            summary.badLines.append(
              ExamError(
                .invalidInput, file: path, location: "line \(lineNumber)",
                "is \(length) bytes long, over the \(Self.maxLineBytes)-byte limit for one event",
                fix:
                  "a seat event is one short JSON object per line; check the seat machine's log writer (the line was skipped)"
              ))
          }
        }
      ) { line in
        lineNumber += 1
        bytesRead += line.count + 1
        var trimmed = line
        if let last = trimmed.last, last == 13 { trimmed = UnsafeBufferPointer(rebasing: trimmed.dropLast()) }
        if trimmed.allSatisfy({ $0 == 32 || $0 == 9 }) { return }
        summary.lines += 1
        switch SeatEventParser.parse(trimmed, examId: examId) {
        case .success(let event):
          summary.parsed += 1
          if lastRoom?.centreId != event.centreId || lastRoom?.roomId != event.roomId {
            let room = ProctoringRoom(centreId: event.centreId, roomId: event.roomId)
            summary.rooms.insert(room)
            lastRoom = room
          }
          batch.append(event)
          if batch.count >= batchSize {
            try channel.put(batch)
            batch.removeAll(keepingCapacity: true)
            progress(bytesRead)
          }
        case .failure(let failure):
          if summary.badLines.count < maxReportedBadLines {
            summary.badLines.append(
              ExamError(
                .invalidInput, file: path, location: "line \(lineNumber)", failure.description,
                fix: "see docs/schemas/seat-event.schema.json; the line was skipped"))
          }
        }
      }
      if ferror(file) != 0 {
        throw ExamError(
          .io, file: path, "read failed after \(lineNumber) lines",
          fix: "copy the log again and re-run (events already stored are kept once)")
      }
      if summary.lines == linesBefore {
        summary.emptyLogs += 1
        summary.badLines.append(
          ExamError(
            .invalidInput, file: path, "holds no events (\(lineNumber) blank lines)",
            fix: "a seat machine logs from login to the end of the session: check that the right file was copied"))
      }
    }
    return (summary, bytesRead, batch)
  }

  /// Longest line kept (bytes): a seat event is a few hundred bytes; longer lines are reported, not held in memory.
  public static let maxLineBytes = 64 << 10

  /// Calls `body` with each line of `file` (without the newline), reading 4 MiB at a time. A line longer than
  /// `maxLineBytes` is not kept: `tooLong` gets its length instead, so memory stays bounded whatever one line holds.
  static func forEachLine(
    _ file: UnsafeMutablePointer<FILE>, tooLong: (Int) throws -> Void,
    _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
  ) rethrows {
    let capacity = 4 << 20
    var buffer = [UInt8](repeating: 0, count: capacity)
    var carry: [UInt8] = []
    var overlongBytes = 0  // > 0 while skipping the rest of an overlong line
    try buffer.withUnsafeMutableBufferPointer { buf in
      while true {
        let n = fread(buf.baseAddress!, 1, capacity, file)
        if n == 0 { break }
        var start = 0
        var i = 0
        while i < n {
          if buf[i] == 10 {
            let length = carry.count + i - start
            if overlongBytes > 0 || length > maxLineBytes {
              try tooLong(overlongBytes + length)
              overlongBytes = 0
            } else if carry.isEmpty {
              try body(UnsafeBufferPointer(rebasing: buf[start..<i]))
            } else {
              carry.append(contentsOf: buf[start..<i])
              try carry.withUnsafeBufferPointer { try body($0) }
            }
            carry.removeAll(keepingCapacity: carry.capacity <= maxLineBytes)
            start = i + 1
          }
          i += 1
        }
        if start < n {
          if overlongBytes > 0 || carry.count + n - start > maxLineBytes {
            overlongBytes += carry.count + n - start
            carry.removeAll()
          } else {
            carry.append(contentsOf: buf[start..<n])
          }
        }
      }
      if overlongBytes > 0 {
        try tooLong(overlongBytes + carry.count)
      } else if carry.count > maxLineBytes {
        try tooLong(carry.count)
      } else if !carry.isEmpty {
        try carry.withUnsafeBufferPointer { try body($0) }
      }
    }
  }

  /// `forEachLine` for benchmarks (parse-only timing).
  public static func forEachLineForBenchmark(
    _ file: UnsafeMutablePointer<FILE>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    forEachLine(file, tooLong: { _ in }, body)
  }

  static func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }
}

/// Full batches on their way from the parsing thread to the storing task: `put` blocks the parser while two wait,
/// and returns at once, throwing, once the storing task has stopped on an error.
final class BatchChannel: Sendable {
  let batches: AsyncStream<[SeatEvent]>
  private let continuation: AsyncStream<[SeatEvent]>.Continuation
  private let slots = DispatchSemaphore(value: 2)
  private let stopped = Atomic<Bool>(false)

  init() { (batches, continuation) = AsyncStream.makeStream(of: [SeatEvent].self) }

  /// Hands `batch` over, waiting while two batches are not stored yet.
  func put(_ batch: [SeatEvent]) throws {
    slots.wait()
    guard !stopped.load(ordering: .acquiring) else { throw CancellationError() }
    continuation.yield(batch)
  }

  /// One batch is stored: a slot is free.
  func taken() { slots.signal() }

  /// No more batches.
  func finish() { continuation.finish() }

  /// The storing task failed: the parser stops at its next batch.
  func stop() {
    stopped.store(true, ordering: .releasing)
    slots.signal()
    slots.signal()
  }
}
