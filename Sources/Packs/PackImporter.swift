import AudioIO
import ExamCore
import ExamStorage
import Signing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `exam pack import` did.
public struct PackImportReport: Sendable, Codable, Equatable {
  public var examId: String
  public var packSha256: String
  /// `inserted` the first time, `unchanged` when the same pack was imported before.
  public var outcome: String
  public var sections: Int
  public var items: Int
  public var totalPoints: Double
  /// Reference readings stored as 16 kHz mono FLAC in the content store.
  public var referenceAudio: Int
  /// Fingerprint of the key that signed the pack, if signed.
  public var signer: String?
  /// Whether the signer is trusted (false only when `--allow-unsigned` let the pack in).
  public var signerTrusted: Bool
}

/// Registers a verified pack in the store: reference audio into the content store, then the exam in one
/// transaction with its audit line. Running it again changes nothing.
public enum PackImporter {
  /// Sample rate of stored reference readings, Hz.
  public static let referenceSampleRate = 16_000

  /// Where import extracts (and decrypts) packs: a private folder in the store, swept of a killed import's
  /// leftovers by the next one (`PackScratch`).
  public static func scratchRoot(_ store: ContentStore) -> String { store.root + "/.scratch" }

  /// The trust import applies: the store's unrevoked trusted signers, or any pack with `allowUnsigned`.
  public static func trust(database: any SittingStore, allowUnsigned: Bool) async throws -> PackTrust {
    let keys = try await database.trustedSigners().filter { !$0.isRevoked }.compactMap {
      VerifyingKey(base64: $0.publicKey)
    }
    return PackTrust(keys: keys, allowUnsigned: allowUnsigned)
  }

  /// - Parameters:
  ///   - audit: the audit line; its summary is filled in here (and says when the signer was not trusted).
  ///   - trust: which signers are accepted; nothing is extracted from a pack it refuses.
  /// - Throws: `ExamErrors` when the pack does not verify or validate; `ExamError.conflict` when another pack
  ///   holds the exam id.
  public static func importPack(
    _ path: String, database: any SittingStore, store: ContentStore, audit: AuditEntry,
    trust: PackTrust, contentKey: ContentKey? = nil, limits: PackLimits = .standard
  ) async throws -> PackImportReport {
    let opened = try OpenedPack.open(
      path, trust: trust, contentKey: contentKey, scratchRoot: scratchRoot(store),
      limits: limits)
    defer { opened.close() }
    if let existing = try await database.exam(id: opened.pack.source.examId) {
      if existing.packSha256 == opened.verification.packSha256 {
        // Imported before from these very bytes: nothing to convert or write.
        return PackImportReport(
          examId: existing.id, packSha256: existing.packSha256,
          outcome: ImportOutcome.unchanged.rawValue, sections: existing.sections.count, items: existing.items.count,
          totalPoints: existing.totalPoints,
          referenceAudio: existing.items.filter { $0.referenceAudioSha256 != nil }.count,
          signer: opened.verification.signer, signerTrusted: opened.verification.signerTrusted)
      }
      // Refuse before anything reaches the content store (importExam would refuse too, after the conversions).
      throw ExamError(
        .conflict, file: path, location: "exam \(existing.id)",
        "a different pack (sha256 \(existing.packSha256.prefix(12))…) is already imported under this exam id",
        fix: "give the new paper its own exam id in pack.yaml")
    }
    var references: [String: String] = [:]
    for item in opened.pack.source.items {
      guard let file = item.referenceAudio else { continue }
      references[item.id] = try storeReference(
        opened.pack.directory + "/" + file, store: store,
        scratch: opened.pack.directory)
    }
    try store.put(fileAtPath: path, ext: "exampack")
    let exam = opened.pack.examDefinition(packSha256: opened.verification.packSha256, referenceAudioSha256: references)
    var entry = audit
    entry.summary =
      "exam \(exam.id): \(exam.sections.count) sections, \(exam.items.count) items, "
      + "\(NumberText.plain(exam.totalPoints)) points, pack \(exam.packSha256.prefix(12)), "
      + signerNote(opened.verification)
    let outcome = try await database.importExam(exam, audit: entry)
    return PackImportReport(
      examId: exam.id, packSha256: exam.packSha256, outcome: outcome.rawValue,
      sections: exam.sections.count, items: exam.items.count, totalPoints: exam.totalPoints,
      referenceAudio: references.count,
      signer: opened.verification.signer, signerTrusted: opened.verification.signerTrusted)
  }

  /// How the audit line names the signer: trusted, or accepted only because of `--allow-unsigned`.
  static func signerNote(_ verification: PackVerification) -> String {
    if verification.signerTrusted, let signer = verification.signer { return "signed by trusted key \(signer)" }
    return "UNTRUSTED (--allow-unsigned): "
      + (verification.signer.map { "signed by untrusted key \($0)" } ?? "not signed")
  }

  /// Converts a reference reading to 16 kHz mono 16-bit FLAC in the content store; returns its SHA-256.
  /// The FLAC is encoded in `scratch` (the pack's private folder, on the store's file system), so a killed import
  /// leaves no decoded reading in the store's root.
  static func storeReference(_ source: String, store: ContentStore, scratch: String) throws(ExamError) -> String {
    let audio = try decodeMono(path: source, targetSampleRate: referenceSampleRate)
    let temporary = scratch + "/.reference-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).flac"
    do {
      try writeMono(audio.samples, sampleRate: referenceSampleRate, to: temporary, encoding: .flac16)
      let sha = try Digest.sha256(fileAtPath: temporary)
      _ = try store.adopt(temporaryFile: temporary, sha256: sha, ext: "flac")
      return sha
    } catch {
      unlink(temporary)
      throw error
    }
  }
}
