import AudioIO
import ExamCore
import ExamStorage
import Signing
import SpeechDSP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One manifest row that passed the cheap checks, ready to be hashed, decoded, converted and stored.
struct RecordingJob: Sendable {
  var row: ManifestRow
  /// Absolute path of the file in the batch.
  var sourcePath: String
  var minSeconds: Double?
  var maxSeconds: Double?
  /// Whether the store already holds (candidate, item, manifest sha256): then only the hash is checked.
  var knownInStore: Bool
  var extraFlags: [RecordingFlag]
  var examId: String
  var centreId: String
  var sessionId: String?
  var seatId: String?
  var batchId: String
}

/// What became of one job.
enum JobOutcome: Sendable {
  /// Converted and in the content store; the row is still to be committed.
  case converted(StoredRecording, file: String)
  /// The same recording is stored already.
  case alreadyStored(file: String)
  case refused(Refusal)
  /// The system failed (disk full, permissions): the run stops rather than blame the file.
  case failed(ExamError)
}

/// Runs a job: copy while hashing into the work folder, compare the checksum, decode with libsndfile, resample to
/// 16 kHz with libsoxr, measure flags, encode 16-bit FLAC, then move both files into the content store.
/// Memory stays at one block whatever the file's size.
struct RecordingProcessor: Sendable {
  let store: ContentStore
  /// This run's work folder in the store (same file system, so the final rename is atomic).
  let workFolder: String
  /// Hz of the stored FLAC.
  static let storedRate = 16_000
  /// Below this (Hz) a recording is refused.
  static let minimumSourceRate = 8_000

  func run(_ job: RecordingJob) -> JobOutcome {
    do {
      return try process(job)
    } catch {
      if error.code == .io { return .failed(error) }
      return .refused(refusal(job, .corrupt, error.description))
    }
  }

  private func refusal(_ job: RecordingJob, _ reason: RefusalReason, _ message: String) -> JobOutcome {
    .refused(refusal(job, reason, message))
  }

  private func refusal(_ job: RecordingJob, _ reason: RefusalReason, _ message: String) -> Refusal {
    Refusal(
      file: job.row.file, line: job.row.line, candidateId: job.row.candidateId, itemId: job.row.itemId,
      reason: reason, message: message)
  }

  private func process(_ job: RecordingJob) throws(ExamError) -> JobOutcome {
    let file = job.row.file
    guard let size = FileSystem.size(job.sourcePath) else {
      return refusal(job, .missingFile, "\(file) is not in the batch")
    }
    if size == 0 { return refusal(job, .emptyFile, "\(file) has 0 bytes") }
    if job.knownInStore {
      let actual = try IncomingFile.sha256(job.sourcePath)
      if actual == job.row.sha256 { return .alreadyStored(file: file) }
      return refusal(job, .checksumMismatch, "sha256 of the file is \(actual), the manifest says \(job.row.sha256)")
    }
    let token = UInt64.random(in: 0...UInt64.max)
    let original = "\(workFolder)/\(token).orig"
    let converted = "\(workFolder)/\(token).flac"
    defer {
      unlink(original)
      unlink(converted)
    }
    let originalSha = try IncomingFile.copyHashing(job.sourcePath, to: original)
    guard originalSha == job.row.sha256 else {
      return refusal(
        job, .checksumMismatch, "sha256 of the file is \(originalSha), the manifest says \(job.row.sha256)")
    }
    let stream: MonoAudioStream
    do throws(ExamError) {
      stream = try MonoAudioStream(path: original, targetSampleRate: Self.storedRate)
    } catch {
      return refusal(
        job, error.code == .corrupt ? .corrupt : .notAudio,
        "libsndfile cannot read it as audio (\(error.underlying ?? error.message))")
    }
    let info = stream.info
    if info.sampleRate < Self.minimumSourceRate {
      return refusal(
        job, .lowSampleRate, "sampled at \(info.sampleRate) Hz; at least \(Self.minimumSourceRate) Hz is needed")
    }
    let headerKnown = info.frameCount > 0 && info.frameCount < Int(Int32.max) * 64
    if headerKnown, let outcome = windowRefusal(job, seconds: info.durationSeconds) { return outcome }

    var meter = LevelMeter(sampleRate: Self.storedRate)  // measures what is stored, as everyone after ingest sees it
    var samples = 0
    let writer = try AudioWriter(path: converted, sampleRate: Self.storedRate, encoding: .flac16)
    var block: [Float] = []
    do throws(ExamError) {
      while try stream.next(into: &block) {
        meter.observe(block)
        samples += block.count
        try writer.write(block)
      }
    } catch {
      writer.close()
      if error.code == .io { throw error }
      return refusal(
        job, .corrupt, "decoding failed after \(stream.framesRead) frames (\(error.underlying ?? error.message))")
    }
    writer.close()
    if let evidence = stream.truncationEvidence { return refusal(job, .truncated, evidence) }
    let seconds = Double(samples) / Double(Self.storedRate)
    if samples == 0 { return refusal(job, .corrupt, "holds no audio frames") }
    if let outcome = windowRefusal(job, seconds: seconds) { return outcome }

    let storedSha = try IncomingFile.sha256(converted)
    _ = try store.adopt(temporaryFile: converted, sha256: storedSha, ext: "flac")
    _ = try store.adopt(temporaryFile: original, sha256: originalSha, ext: "orig")
    let flags = (RecordingFlag.flags(for: meter.measurement) + job.extraFlags).map(\.rawValue)
    let recording = StoredRecording(
      examId: job.examId, candidateId: job.row.candidateId, itemId: job.row.itemId, originalSha256: originalSha,
      originalName: file, storedSha256: storedSha, durationSeconds: seconds, originalSampleRate: info.sampleRate,
      originalChannels: info.channelCount, originalFormat: info.format, centreId: job.centreId,
      sessionId: job.sessionId, seatId: job.seatId, recordedAt: job.row.recordedAt, ingestedAt: Timestamp.now(),
      batchId: job.batchId, flags: flags)
    return .converted(recording, file: file)
  }

  private func windowRefusal(_ job: RecordingJob, seconds: Double) -> JobOutcome? {
    let shown = (seconds * 100).rounded() / 100
    if let min = job.minSeconds, seconds < min {
      return refusal(job, .tooShort, "lasts \(shown) s; item \(job.row.itemId) needs at least \(min) s")
    }
    if let max = job.maxSeconds, seconds > max {
      return refusal(job, .tooLong, "lasts \(shown) s; item \(job.row.itemId) allows at most \(max) s")
    }
    return nil
  }
}
