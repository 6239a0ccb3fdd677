import ExamCore
import ExamStorage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The parallel part of an ingest: at most `jobs` files in flight (STYLE §6: one finishes, one starts); the
/// parent task is the single writer that commits converted recordings in groups of `commitEvery`, or whatever is
/// pending every `commitInterval`, so a crash loses at most a few seconds of work. Results are taken in manifest
/// order (a finished file waits for the ones before it, at most `reorderWindow` files ahead), so answer ids and
/// reports come out the same on every run.
struct IngestRun {
  let database: any AnswerStore
  let request: IngestRequest
  let batchId: String
  let listening: [ListeningAnswer]
  private(set) var added: [IngestedFile] = []
  private(set) var alreadyStored: [String] = []
  private(set) var refusals: [Refusal] = []
  private(set) var listeningAdded = 0
  private var pending: [(recording: StoredRecording, file: String)] = []
  private var committed = 0
  private var lastCommit = ContinuousClock.now

  init(database: any AnswerStore, request: IngestRequest, batchId: String, listening: [ListeningAnswer]) {
    self.database = database
    self.request = request
    self.batchId = batchId
    self.listening = listening
  }

  mutating func convertAndCommit(_ jobs: [RecordingJob], processor: RecordingProcessor) async throws {
    var progress = ProgressReporter(label: "ingest", total: jobs.count, enabled: request.showProgress)
    let reorderWindow = max(64, 8 * request.jobs)
    try await withThrowingTaskGroup(of: (Int, JobOutcome).self) { group in
      var started = 0
      var running = 0
      var taken = 0  // outcomes taken, in manifest order
      var finished: [Int: JobOutcome] = [:]
      func startMore(_ group: inout ThrowingTaskGroup<(Int, JobOutcome), any Error>) {
        while running < request.jobs && started < jobs.count && started - taken < reorderWindow {
          let index = started
          let job = jobs[index]
          group.addTask { (index, processor.run(job)) }
          started += 1
          running += 1
        }
      }
      startMore(&group)
      while let (index, outcome) = try await group.next() {
        running -= 1
        finished[index] = outcome
        while let next = finished.removeValue(forKey: taken) {
          switch next {
          case .converted(let recording, let file): pending.append((recording, file))
          case .alreadyStored(let file): alreadyStored.append(file)
          case .refused(let refusal): refusals.append(refusal)
          case .failed(let error): throw error
          }
          taken += 1
          progress.advance()
          if pending.count >= request.commitEvery
            || (!pending.isEmpty && ContinuousClock.now - lastCommit > request.commitInterval)
          {
            try await commit(final: false)
          }
        }
        startMore(&group)
      }
    }
    try await commit(final: true)
  }

  /// Commits the pending recordings (and, at the end, the listening answers) in one transaction with an audit line.
  private mutating func commit(final: Bool) async throws {
    guard !pending.isEmpty || (final && !listening.isEmpty) else { return }
    let batch = pending
    pending = []
    lastCommit = ContinuousClock.now
    let answers = final ? listening : []
    let result = try await database.insertAnswers(
      recordings: batch.map(\.recording), listening: answers,
      audit: request.audit("batch \(batchId): stored \(batch.count) recordings, \(answers.count) listening answers"))
    let addedKeys = Dictionary(
      result.recordings.map { ("\($0.candidateId)|\($0.itemId)", $0) }, uniquingKeysWith: { a, _ in a })
    for (recording, file) in batch {
      if let stored = addedKeys["\(recording.candidateId)|\(recording.itemId)"] {
        added.append(
          IngestedFile(
            file: file, candidateId: stored.candidateId, itemId: stored.itemId, version: stored.version,
            durationSeconds: stored.durationSeconds, flags: stored.flags, storedSha256: stored.storedSha256))
      } else {
        alreadyStored.append(file)
      }
    }
    if final { listeningAdded = result.listeningAdded }
    committed += result.recordings.count
    if let crash = request.crashAfterCommitted, committed >= crash { throw SimulatedCrash() }
    if let limit = request.killAfterCommitted, committed >= limit { kill(getpid(), SIGKILL) }
  }
}
