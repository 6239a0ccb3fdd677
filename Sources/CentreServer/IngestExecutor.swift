import Dispatch

/// Where the server's ingests run: threads of their own, not Swift's cooperative pool.
///
/// An ingest converts audio with libsndfile, hashes files and writes SQLite — work that holds a thread until it
/// is done. On the cooperative pool (one thread per core) it would hold the threads that also run the request
/// handlers, so PATCHes would wait for a batch's conversions. With this executor as the ingest tasks' preference
/// (`addTask(executorPreference:)`), the ingest and its child tasks run on a dispatch queue's threads and the
/// cooperative pool stays free for requests. How much runs at once is still bounded by `concurrentIngests` ×
/// `ingestJobs`.
final class IngestExecutor: TaskExecutor {
  private let queue = DispatchQueue(label: "exam.serve.ingest", qos: .utility, attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
