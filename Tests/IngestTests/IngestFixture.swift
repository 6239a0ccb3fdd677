import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Signing
import _ExamTestSupport

@testable import Ingest

/// A store on disk with the sample exam, candidates C1–C5, centres T1 and T2 and session AM: C1–C4 sit at T1,
/// C5 at T2. Batches are built in `dir/batches`.
struct IngestFixture {
  let dir: TemporaryDirectory
  let database: ExamDatabase
  var store: ContentStore { ContentStore(root: dir.file("store")) }
  var quarantine: String { dir.file("quarantine") }

  /// The sample exam with two more read-aloud items (SA2, SA3; answers 0.5–20 s), so a test batch can hold
  /// several spoken answers per candidate.
  static func exam() -> ExamDefinition {
    var exam = SampleData.exam()
    for id in ["SA2", "SA3"] {
      exam.sections[1].items.append(
        ItemDefinition(
          id: id, type: .readSentence, points: 1, referenceText: "We call it bear.",
          minAnswerSeconds: 0.5, maxAnswerSeconds: 20))
    }
    return exam
  }

  init(exam: ExamDefinition = IngestFixture.exam()) throws {
    dir = TemporaryDirectory("ingest")
    database = try ExamDatabase(path: dir.file("exam.sqlite"))
    let audit = AuditEntry(at: "2026-06-14T00:00:00Z", operator: "test", command: "setup", arguments: "", summary: "")
    _ = try database.importExam(exam, audit: audit)
    _ = try database.importCandidates((1...5).map { SampleData.candidate($0) }, audit: audit)
    try database.replaceVenues(
      centres: [SampleData.centre(id: "T1"), SampleData.centre(id: "T2")],
      sessions: [SampleData.session], adjacency: [], audit: audit)
    let seats = ["1-1", "1-2", "1-3", "2-1"]
    var plan = (1...4).map {
      SeatAssignment(
        examId: exam.id, candidateId: "C\($0)", sessionId: "AM", centreId: "T1", roomId: "R1", seatId: seats[$0 - 1])
    }
    plan.append(
      SeatAssignment(examId: exam.id, candidateId: "C5", sessionId: "AM", centreId: "T2", roomId: "R1", seatId: "1-1"))
    try database.replaceAllocation(examId: exam.id, plan, audit: audit)
  }

  func request(_ path: String, centre: String = "T1", jobs: Int = 2) -> IngestRequest {
    IngestRequest(path: path, centreId: centre, sessionId: "AM", jobs: jobs, store: store, quarantineRoot: quarantine)
  }

  func ingest(_ request: IngestRequest) async throws -> IngestReport {
    try await AudioIngester(database: database).ingest(request)
  }

  /// Files of the content store (relative paths, sorted), work folders excluded.
  func storedFiles() -> [String] {
    IncomingFile.walk(store.root).map(\.relative).filter { !$0.hasPrefix(".incoming") }.sorted()
  }
}

/// A batch folder being written: audio files plus manifest.csv (and answers.csv).
struct BatchBuilder {
  let folder: String
  var rows: [[String]] = []
  var answers: [[String]] = []

  init(_ folder: String) {
    self.folder = folder
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  }

  /// Writes `samples` as a WAV file and adds its manifest row (sha256 of the bytes written, unless given).
  mutating func add(
    _ candidate: String, _ item: String, file: String, samples: [Float], sampleRate: Int = 16_000,
    seat: String = "", sha256: String? = nil
  ) throws {
    let path = folder + "/" + file
    try FileManager.default.createDirectory(atPath: AtomicFile.parentOf(path), withIntermediateDirectories: true)
    try writeMono(samples, sampleRate: sampleRate, to: path, encoding: .wav16)
    rows.append([
      candidate, item, file, seat, "2026-06-14T09:05:00+08:00", try sha256 ?? Digest.sha256(fileAtPath: path),
    ])
  }

  /// Writes raw bytes as a file and adds its row.
  mutating func add(_ candidate: String, _ item: String, file: String, bytes: [UInt8], sha256: String? = nil) throws {
    let path = folder + "/" + file
    try FileManager.default.createDirectory(atPath: AtomicFile.parentOf(path), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    rows.append([candidate, item, file, "", "2026-06-14T09:05:00+08:00", sha256 ?? Digest.sha256(bytes: bytes)])
  }

  /// Copies an existing file into the batch and adds its row.
  mutating func add(_ candidate: String, _ item: String, copying source: String, as file: String) throws {
    let path = folder + "/" + file
    try FileManager.default.createDirectory(atPath: AtomicFile.parentOf(path), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: source, toPath: path)
    rows.append([candidate, item, file, "", "2026-06-14T09:05:00+08:00", try Digest.sha256(fileAtPath: path)])
  }

  func write() throws {
    var manifest = CSVWriter(header: BatchManifest.manifestColumns)
    for r in rows { manifest.append(r) }
    try AtomicFile.write(text: manifest.text, to: folder + "/manifest.csv")
    if !answers.isEmpty {
      var table = CSVWriter(header: BatchManifest.answersColumns)
      for a in answers { table.append(a) }
      try AtomicFile.write(text: table.text, to: folder + "/answers.csv")
    }
  }
}

/// A minimal zip writer (stored entries) with full control of name bytes, Unix modes and declared sizes, for
/// hostile archives that ordinary tools refuse to make.
struct RawZip {
  struct Entry {
    var name: [UInt8]
    var data: [UInt8]
    /// Unix mode (e.g. 0o100644 file, 0o120777 link).
    var mode: UInt32 = 0o100644
    var utf8Flag = false
    /// Uncompressed size to declare (defaults to the real one).
    var declaredSize: UInt32?
  }

  var entries: [Entry] = []

  mutating func add(_ name: String, _ data: [UInt8], mode: UInt32 = 0o100644) {
    entries.append(Entry(name: Array(name.utf8), data: data, mode: mode, utf8Flag: true))
  }

  func bytes() -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func u16(_ v: Int, _ b: inout [UInt8]) { b += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func u32(_ v: UInt32, _ b: inout [UInt8]) { for s in [0, 8, 16, 24] { b.append(UInt8((v >> UInt32(s)) & 0xFF)) } }
    for e in entries {
      let offset = UInt32(out.count)
      let crc = RawZip.crc32(e.data)
      let size = UInt32(e.data.count)
      let declared = e.declaredSize ?? size
      let flags = e.utf8Flag ? 0x0800 : 0
      u32(0x0403_4B50, &out); u16(20, &out); u16(flags, &out); u16(0, &out); u16(0, &out); u16(0, &out)
      u32(crc, &out); u32(size, &out); u32(declared, &out); u16(e.name.count, &out); u16(0, &out)
      out += e.name + e.data
      u32(0x0201_4B50, &central); u16(0x031E, &central); u16(20, &central); u16(flags, &central); u16(0, &central)
      u16(0, &central); u16(0, &central); u32(crc, &central); u32(size, &central); u32(declared, &central)
      u16(e.name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
      u32(e.mode << 16, &central); u32(offset, &central)
      central += e.name
    }
    let centralOffset = UInt32(out.count)
    out += central
    u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
    u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
    return out
  }

  static func crc32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
  }
}
