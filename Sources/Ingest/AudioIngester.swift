import ExamCore
import ExamStorage
import Signing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Takes in a centre's batch of recorded answers exactly once: checks every row and file, converts the audio in
/// parallel (bounded), stores originals and 16 kHz FLAC in the content store, commits rows from a single writer,
/// quarantines what it refuses, and returns the report.
///
/// Crash safety: files reach the content store by temporary file, fsync and rename before their row commits;
/// rows are keyed (exam, candidate, item, original sha256) so a re-run after a crash adds only what is missing,
/// and work folders of dead runs are removed at the next start.
public struct AudioIngester: Sendable {
  public let database: any AnswerStore

  public init(database: any AnswerStore) { self.database = database }

  public func ingest(_ request: IngestRequest) async throws -> IngestReport {
    let exam = try await resolveExam(request.examId)
    try await checkVenue(request)
    let incoming = request.store.root + "/.incoming"
    try AtomicFile.makeDirectories(incoming)
    IncomingFile.removeStaleWorkFolders(in: incoming)
    let work = incoming + "/\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    try AtomicFile.makeDirectories(work)
    defer { IncomingFile.removeTree(work) }

    let source = try BatchSource.open(
      request.path, work: work, limits: request.zipLimits, showProgress: request.showProgress)
    let manifestBytes = try BatchManifest.readText(source.folder + "/manifest.csv")
    let answersPath = source.folder + "/answers.csv"
    let answersBytes = IncomingFile.kind(answersPath) == .regular ? try BatchManifest.readText(answersPath) : nil
    let manifest = try BatchManifest.manifest(bytes: manifestBytes, source: request.path + ": manifest.csv")
    let answers =
      try answersBytes.map { bytes throws(ExamError) in
        try BatchManifest.answers(bytes: bytes, source: request.path + ": answers.csv")
      } ?? []
    let batchId = String(
      Digest.sha256(bytes: Array("\(request.centreId)\n".utf8) + manifestBytes + [0] + (answersBytes ?? [])).prefix(16))
    let state = try await database.beginIngestBatch(
      id: batchId, examId: exam.id, centreId: request.centreId,
      sessionId: request.sessionId, source: request.path, at: Timestamp.now(),
      audit: request.audit("batch \(batchId) from centre \(request.centreId): run started"))

    // Only this batch's candidates are read from the store, so a batch costs the same in a city of 100,000
    // candidates and 800,000 stored answers as in a small one.
    let candidates = Set(manifest.map(\.candidateId) + answers.map(\.candidateId))
    let plan = BatchPlan(
      manifest: manifest, answers: answers,
      context: BatchPlan.Context(
        exam: exam, centreId: request.centreId, sessionId: request.sessionId, batchId: batchId, folder: source.folder,
        files: source.files, refusedEarlier: Set(source.refusals.map(\.file)),
        allocation: Dictionary(
          try await database.allocation(examId: exam.id, candidateIds: candidates).map { ($0.candidateId, $0) },
          uniquingKeysWith: { a, _ in a }),
        storedKeys: try await database.recordingKeys(examId: exam.id, candidateIds: candidates),
        storedChoices: try await database.listeningChoices(examId: exam.id, candidateIds: candidates)))

    var run = IngestRun(database: database, request: request, batchId: batchId, listening: plan.listening)
    try await run.convertAndCommit(plan.jobs, processor: RecordingProcessor(store: request.store, workFolder: work))

    let quarantine = Quarantine(root: request.quarantineRoot, batchId: batchId)
    let refusals = try quarantine.keep(
      (source.refusals + plan.refusals + run.refusals).sorted { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) },
      from: source.folder, batchFiles: source.files)
    let report = IngestReport.assemble(
      batchId: batchId, examId: exam.id, request: request, state: state,
      files: manifest.count + plan.refusals.filter { $0.reason == .unlistedFile }.count,
      run: run, refusals: refusals, listeningAlreadyStored: plan.listeningAlreadyStored,
      quarantineFolder: refusals.isEmpty ? nil : quarantine.folder)
    let now = Timestamp.now()
    try await database.finishIngestBatch(
      id: batchId, at: now, reportJSON: report.json,
      quarantine: refusals.map {
        QuarantineRecord(
          batchId: batchId, file: $0.file + ($0.line.map { ":\($0)" } ?? ""), line: $0.line,
          candidateId: $0.candidateId, itemId: $0.itemId, reason: $0.reason.rawValue, message: $0.message,
          quarantinedAs: $0.quarantinedAs, at: now)
      },
      audit: request.audit(
        "batch \(batchId) finished: \(report.added.count) added (\(report.conflicts.count) new versions), "
          + "\(report.alreadyStored.count) already stored, \(report.refusedCount) refused, \(report.listeningAdded) listening answers"
      ))
    return report
  }

  private func resolveExam(_ id: String?) async throws -> ExamDefinition {
    try await database.requireExam(id: try await database.resolveExamId(id))
  }

  private func checkVenue(_ request: IngestRequest) async throws {
    let centres = try await database.centres().map(\.id)
    guard centres.contains(request.centreId) else {
      throw ExamError(
        .notFound, location: "--centre \(request.centreId)", "no such centre in the store",
        fix: centres.isEmpty ? "import the centres first" : "use one of: \(centres.prefix(20).joined(separator: ", "))")
    }
    if let session = request.sessionId {
      let sessions = try await database.sessions().map(\.id)
      guard sessions.contains(session) else {
        throw ExamError(
          .notFound, location: "--session \(session)", "no such session in the store",
          fix: "use one of: \(sessions.joined(separator: ", "))")
      }
    }
  }
}
