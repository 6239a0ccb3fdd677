import ExamCore
import ExamStorage
import Foundation
import Ingest
import Signing
import _ExamTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Times `AudioIngester` on a folder of audio files: decode, resample to 16 kHz, encode FLAC, hash, store and
/// commit, as `exam audio ingest` does. Prints one JSON line. Used by Tools/bench-ingest.sh.
///
///     ingest-bench FOLDER --jobs N
@main
struct IngestBench {
  static func main() async throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2 else {
      print("usage: ingest-bench FOLDER [--jobs N]")
      exit(64)
    }
    let source = arguments[1]
    let jobs = arguments.firstIndex(of: "--jobs").flatMap { Int(arguments[$0 + 1]) } ?? 1
    let files = try FileManager.default.contentsOfDirectory(atPath: source).filter { !$0.hasPrefix(".") }.sorted()

    // a store with one exam of one read-aloud item per file, and one candidate allocated at T1
    let work = TemporaryDirectory("ingest-bench")
    defer { work.remove() }
    let database = try ExamDatabase(path: work.file("exam.sqlite"))
    var exam = SampleData.exam(id: "BENCH")
    exam.sections[1].items = files.indices.map {
      ItemDefinition(id: "S\($0)", type: .readSentence, points: 1, minAnswerSeconds: 0, maxAnswerSeconds: 3600)
    }
    let audit = AuditEntry(at: Timestamp.now(), operator: "bench", command: "bench", arguments: "", summary: "setup")
    _ = try database.importExam(exam, audit: audit)
    _ = try database.importCandidates([SampleData.candidate(1)], audit: audit)
    try database.replaceVenues(
      centres: [SampleData.centre(id: "T1")], sessions: [SampleData.session], adjacency: [], audit: audit)
    try database.replaceAllocation(
      examId: "BENCH",
      [
        SeatAssignment(
          examId: "BENCH", candidateId: "C1", sessionId: "AM",
          centreId: "T1", roomId: "R1", seatId: "1-1")
      ], audit: audit)

    // the batch: the files (hard-linked when possible) and their manifest; hashing here is not timed
    let batch = work.file("batch")
    try FileManager.default.createDirectory(atPath: batch, withIntermediateDirectories: true)
    var manifest = CSVWriter(header: ["candidate", "item", "file", "seat", "recorded_at", "sha256"])
    for (i, name) in files.enumerated() {
      if link(source + "/" + name, batch + "/" + name) != 0 {
        try FileManager.default.copyItem(atPath: source + "/" + name, toPath: batch + "/" + name)
      }
      manifest.append([
        "C1", "S\(i)", name, "1-1", "2026-06-14T09:00:00Z", try Digest.sha256(fileAtPath: source + "/" + name),
      ])
    }
    try AtomicFile.write(text: manifest.text, to: batch + "/manifest.csv")

    let request = IngestRequest(
      path: batch, centreId: "T1", examId: "BENCH", jobs: jobs,
      store: ContentStore(root: work.file("store")), quarantineRoot: work.file("quarantine"))
    let cpuBefore = cpuSeconds()
    let start = ContinuousClock.now
    let report = try await AudioIngester(database: database).ingest(request)
    let elapsed = ContinuousClock.now - start
    let cpu = cpuSeconds() - cpuBefore
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let audio = report.audioSecondsAdded
    func r(_ x: Double) -> Double { (x * 100).rounded() / 100 }
    print(
      JSONOutput(
        jobs: jobs, files: report.added.count, refused: report.refusedCount, audioSeconds: r(audio),
        wallSeconds: r(wall),
        cpuSeconds: r(cpu),
        realTimePerCore: r(audio / wall / Double(min(jobs, ProcessInfo.processInfo.activeProcessorCount))),
        realTimePerCPUSecond: r(audio / cpu), filesPerSecond: r(Double(report.added.count) / wall),
        audioHoursPerHour: r(audio / wall)
      ).text)
  }

  struct JSONOutput: Encodable {
    var jobs, files, refused: Int
    var audioSeconds, wallSeconds, cpuSeconds, realTimePerCore, realTimePerCPUSecond, filesPerSecond,
      audioHoursPerHour: Double
    var text: String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
  }

  /// User + system CPU time of this process, seconds.
  static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
      usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }
}
