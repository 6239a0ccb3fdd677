// queue-bench: how fast the PostgreSQL work queue claims and completes jobs (docs/benchmarks.md, "Scale-out").
//
//   queue-bench --db postgres://… [--jobs 1000000] [--workers 8] [--batch 100] [--overhead-jobs 20000]
//
// Enqueues --jobs synthetic jobs of a fresh kind, then --workers workers (concurrent tasks, each with its own
// pooled connection) claim --batch at a time and complete them, until none is left: claims per second. Then a
// second run with the scoring worker's default batch (8) measures the queue's time per claimed answer (claim +
// completion, per worker). The database must be migrated (`exam db migrate`); the jobs stay (their kind is
// `bench-<time>`), so use a throw-away database.
//
//   queue-bench make-sitting DIR ANSWERS
//
// writes DIR/exam.sqlite and DIR/store/ with ANSWERS synthetic spoken answers for the scoring benchmark
// (Tools/bench-scale-out.sh).
import ExamCore
import ExamStorage
import Foundation
import _ExamTestSupport

if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "make-sitting" {
  do {
    try FileManager.default.createDirectory(atPath: CommandLine.arguments[2], withIntermediateDirectories: true)
    try ScaleOutSample.make(
      storePaths: [CommandLine.arguments[2] + "/exam.sqlite"], answers: Int(CommandLine.arguments[3])!)
    exit(0)
  } catch {
    FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    exit(1)
  }
}

func option(_ name: String, _ fallback: String?) -> String? {
  let args = CommandLine.arguments
  if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
  return fallback
}

guard let url = option("--db", ProcessInfo.processInfo.environment["EXAM_DB"]) else {
  FileHandle.standardError.write(
    "usage: queue-bench --db postgres://… [--jobs N] [--workers W] [--batch B]\n".data(using: .utf8)!)
  exit(64)
}
let jobCount = Int(option("--jobs", "1000000")!)!
let workerCount = Int(option("--workers", "8")!)!
let batch = Int(option("--batch", "100")!)!
let overheadJobs = Int(option("--overhead-jobs", "20000")!)!

/// Enqueues `count` jobs of `kind`, then runs the workers; (seconds, claim+complete seconds summed over workers).
func run(_ store: PostgresStore, kind: String, count: Int, workers: Int, batch: Int) async throws -> (
  wall: Double, queue: Double, done: Int
) {
  let enqueueStart = ContinuousClock.now
  for start in stride(from: 0, to: count, by: 50_000) {
    let jobs = (start..<min(start + 50_000, count)).map { (key: String($0), payload: "{}") }
    try await store.enqueue(kind: kind, jobs: jobs)
  }
  print("  enqueued \(count) jobs in \(String(format: "%.1f", (ContinuousClock.now - enqueueStart).seconds)) s")
  let start = ContinuousClock.now
  let results = try await withThrowingTaskGroup(of: (Double, Int).self) { group in
    for w in 0..<workers {
      group.addTask {
        let worker = QueueWorker(id: "bench-\(w)", kind: kind, release: ExamKitRelease.version)
        try await store.register(worker)
        var queueSeconds = 0.0, done = 0
        while true {
          let t0 = ContinuousClock.now
          let claimed = try await store.claim(worker, limit: batch, leaseSeconds: 60)
          if claimed.isEmpty { break }
          done += try await store.complete(claimed.map(\.id), by: worker)
          queueSeconds += (ContinuousClock.now - t0).seconds
        }
        return (queueSeconds, done)
      }
    }
    var total = (0.0, 0)
    for try await r in group { total = (total.0 + r.0, total.1 + r.1) }
    return total
  }
  return ((ContinuousClock.now - start).seconds, results.0, results.1)
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

do {
  let store = try await PostgresStore.connect(url: url, maximumConnections: workerCount + 2)
  let stamp = Int(Date().timeIntervalSince1970)
  print("queue-only: \(jobCount) jobs, \(workerCount) workers, \(batch) per claim")
  let bulk = try await run(store, kind: "bench-\(stamp)", count: jobCount, workers: workerCount, batch: batch)
  print(
    String(
      format: "  claimed and completed %d jobs in %.1f s: %.0f claims/s", bulk.done, bulk.wall,
      Double(bulk.done) / bulk.wall))
  print("queue overhead: \(overheadJobs) jobs, \(workerCount) workers, 8 per claim (the scoring worker's default)")
  let small = try await run(store, kind: "bench-\(stamp)-8", count: overheadJobs, workers: workerCount, batch: 8)
  print(
    String(
      format: "  %.0f claims/s; queue time per claimed answer %.3f ms (claim + completion, per worker)",
      Double(small.done) / small.wall, small.queue / Double(small.done) * 1000))
  await store.close()
} catch {
  FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
  exit(1)
}
