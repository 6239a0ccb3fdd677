import ExamCore
import ExamStorage
import Foundation
import Signing

/// An export file format.
public enum RecordsExportFormat: String, Sendable, CaseIterable, Codable {
  case json, csv, html
}

/// What every export file says about the export as a whole.
struct ExportHeader: Sendable {
  var generatedAt: String
  var unmask: Bool
  var filter: RecordFilter
  var idsFile: String?
}

/// One export file (or folder of files) being written a batch of students at a time, then finished. Each writer
/// is used by one thread at a time (`RecordsExport.writeFormats`).
protocol RecordsFileWriter: AnyObject, Sendable {
  func append(_ records: [StudentRecord]) throws
  func finish() throws
}

/// What an export wrote.
public struct RecordsExportSummary: Sendable, Codable, Equatable {
  public var directory: String
  public var students: Int
  public var formats: [RecordsExportFormat]
  public var files: Int
  public var nationalIdsMasked: Bool
  /// SHA-256 of MANIFEST.json.
  public var manifestSha256: String
  public var signerFingerprint: String
  /// One student's HTML record (relative to `directory`), when HTML was written.
  public var sampleHTML: String?
  /// National IDs of the `--ids` file that match no student (masked unless the export is unmasked).
  public var idsNotFound: [String] = []
}

/// `exam records export`: the selected students' records as JSON, CSV and/or HTML in a new folder, with a signed
/// MANIFEST.json. The folder is built under a temporary name beside `--out` and renamed into place at the end, so
/// a crash never leaves half an export; national IDs are masked unless `unmask` (which needs a reason and is
/// audit-logged with the operator).
public struct RecordsExport: Sendable {
  public var formats: [RecordsExportFormat]
  public var filter: RecordFilter
  /// The `--ids` file, recorded in the export's header.
  public var idsFile: String?
  public var outputDirectory: String
  public var unmask: Bool
  public var reason: String?
  /// Replace an existing `outputDirectory`.
  public var force: Bool

  public init(
    formats: [RecordsExportFormat], filter: RecordFilter, idsFile: String? = nil, outputDirectory: String,
    unmask: Bool = false, reason: String? = nil, force: Bool = false
  ) {
    self.formats = formats
    self.filter = filter
    self.idsFile = idsFile
    self.outputDirectory = outputDirectory
    self.unmask = unmask
    self.reason = reason
    self.force = force
  }

  /// Reads an `--ids` file: national IDs, one a line; blank lines and `#` comments are skipped.
  /// - Throws: `ExamErrors` naming each line whose ID is not valid.
  public static func readIds(path: String) throws -> Set<String> {
    let text = try InputFile.text(path)
    var ids: Set<String> = []
    var errors: [ExamError] = []
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw).trimmingSpaces().replacingOccurrences(of: "\r", with: "").replacingOccurrences(
        of: "\u{FEFF}", with: "")
      if line.isEmpty || line.hasPrefix("#") { continue }
      let id = NationalID.normalised(line)
      if let problem = NationalID.problem(with: id) {
        errors.append(
          ExamError(
            .invalidInput, file: path, location: "line \(i + 1)", "'\(NationalID.masked(line))' \(problem.reason)",
            fix: "give one 18-character national ID per line"))
      } else {
        ids.insert(id)
      }
    }
    if !errors.isEmpty { throw ExamErrors(errors) }
    return ids
  }

  /// Runs the export.
  /// - Parameters:
  ///   - key: signs MANIFEST.json.
  ///   - audit: the audit line; its summary is replaced by what was exported (and, unmasked, the reason).
  /// - Throws: `ExamError.usage` when `unmask` has no reason; `.conflict` when the folder exists without `force`;
  ///   `.notFound` when the filter selects no student.
  public func run(store: any RecordsStore, key: SigningKey, audit: AuditEntry, progress: ProgressReporter? = nil)
    async throws -> RecordsExportSummary
  {
    if unmask && (reason ?? "").trimmingSpaces().isEmpty {
      throw ExamError(
        .usage, location: "--unmask", "showing full national IDs needs a reason",
        fix: "add --reason \"why the full IDs are needed\" (it is written to the audit trail)")
    }
    let out =
      outputDirectory.hasSuffix("/") && outputDirectory.count > 1 ? String(outputDirectory.dropLast()) : outputDirectory
    if FileSystem.exists(out) && !force {
      throw ExamError(
        .conflict, file: out, "the output folder exists already",
        fix: "choose a new --out folder, or pass --force to replace it")
    }
    let students = try await store.recordStudents(filter)
    guard !students.isEmpty else {
      throw ExamError(
        .notFound, location: "filters", "no student matches the filters",
        fix: "check --school, --district, --cohort and --ids against `exam records check`")
    }
    let header = ExportHeader(generatedAt: audit.at, unmask: unmask, filter: filter, idsFile: idsFile)
    let temporary = try Self.makeTemporaryFolder(beside: out)
    do {
      let sampleHTML = try await Self.writeFormats(
        formats, students: students, store: store, into: temporary,
        header: header, progress: progress)
      let manifest = try ExportManifest.write(in: temporary, createdAt: audit.at, key: key)
      AtomicFile.syncDirectory(temporary)
      let manifestSha = try Digest.sha256(fileAtPath: temporary + "/" + ExportManifest.fileName)
      var summary = RecordsExportSummary(
        directory: out, students: students.count, formats: formats,
        files: manifest.files.count, nationalIdsMasked: !unmask, manifestSha256: manifestSha,
        signerFingerprint: manifest.signer.fingerprint, sampleHTML: sampleHTML)
      var line = audit
      line.summary =
        "exported \(students.count) student record(s) as \(formats.map(\.rawValue).joined(separator: "+")) "
        + "to \(out), manifest sha256 \(manifestSha.prefix(16))…, national IDs "
        + (unmask ? "UNMASKED, reason: \(reason ?? "")" : "masked")
      try await store.appendAudit(line)
      try Self.moveIntoPlace(temporary, out)
      summary.directory = out
      if let wanted = filter.nationalIds {
        let found = Set(students.map(\.nationalId))
        summary.idsNotFound = wanted.subtracting(found).sorted().map { unmask ? $0 : NationalID.masked($0) }
      }
      return summary
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw error
    }
  }

  // MARK: - Implementation details

  /// Writes every format, a batch of students at a time (`StudentRecord.forEachBatch`), so memory holds one
  /// batch; within a batch each format writes on its own thread (they share nothing but the read-only records).
  /// Returns the sample HTML page, if any.
  static func writeFormats(
    _ formats: [RecordsExportFormat], students: [RecordStudent], store: any RecordsStore,
    into temporary: String, header: ExportHeader, progress: ProgressReporter?
  ) async throws -> String? {
    var html: ExportHTML.Writer?
    let writers: [any RecordsFileWriter] = try formats.map { format in
      switch format {
      case .json:
        return try ExportJSON.Writer(path: temporary + "/records.json", header: header, studentCount: students.count)
      case .csv: return try ExportCSV.Writer(path: temporary + "/records.csv", unmask: header.unmask)
      case .html:
        let writer = ExportHTML.Writer(directory: temporary, header: header, studentCount: students.count)
        html = writer
        return writer
      }
    }
    var reporter = progress
    try await StudentRecord.forEachBatch(of: students, store: store) { batch in
      let outcomes = Outcomes()
      DispatchQueue.concurrentPerform(iterations: writers.count) { i in
        outcomes.set(i, Result { try writers[i].append(batch) })
      }
      for i in writers.indices { try outcomes.get(i)?.get() }
      reporter?.advance(by: batch.count)
    }
    for writer in writers { try writer.finish() }
    return html?.sample
  }

  /// The writers' results for one batch, filled in from several threads. `@unchecked Sendable`: every access
  /// holds `lock`.
  final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Result<Void, any Error>] = [:]
    func set(_ i: Int, _ value: Result<Void, any Error>) { lock.withLock { values[i] = value } }
    func get(_ i: Int) -> Result<Void, any Error>? { lock.withLock { values[i] } }
  }

  /// Makes `<out>.partial-<random>` beside `out`, removing partial folders an earlier crashed run left.
  static func makeTemporaryFolder(beside out: String) throws(ExamError) -> String {
    let parent = AtomicFile.parentOf(out)
    let base = String(out.split(separator: "/").last ?? "export")
    try AtomicFile.makeDirectories(parent)
    let listed = (try? FileManager.default.contentsOfDirectory(atPath: parent.isEmpty ? "." : parent)) ?? []
    for name in listed where name.hasPrefix(base + ".partial-") {
      try? FileManager.default.removeItem(atPath: (parent.isEmpty ? "" : parent + "/") + name)
    }
    let temporary = out + ".partial-\(UInt32.random(in: 0...UInt32.max))"
    try PrivateOutputFile.makeFolders(temporary)
    return temporary
  }

  /// Renames the finished folder to `out`; an existing `out` (with `--force`) is renamed aside first, then removed.
  static func moveIntoPlace(_ temporary: String, _ out: String) throws(ExamError) {
    var aside: String?
    if FileSystem.exists(out) {
      let old = out + ".old-\(UInt32.random(in: 0...UInt32.max))"
      guard rename(out, old) == 0 else {
        throw ExamError(
          .io, file: out, "cannot move the old export aside", fix: "check permissions on the folder",
          underlying: String(cString: strerror(errno)))
      }
      aside = old
    }
    guard rename(temporary, out) == 0 else {
      let error = ExamError(
        .io, file: out, "cannot move the export into place", fix: "check permissions on the folder",
        underlying: String(cString: strerror(errno)))
      if let aside { rename(aside, out) }
      throw error
    }
    AtomicFile.syncDirectory(AtomicFile.parentOf(out))
    if let aside { try? FileManager.default.removeItem(atPath: aside) }
  }
}
