import AudioIO
import ExamCore
import Foundation
import Signing
import Testing
import ZIPFoundation
import _ExamTestSupport

@testable import Ingest

@Suite("Ingest: zip batches")
struct ZipBatchTests {
  /// A WAV file's bytes.
  static func wav(_ samples: [Float], in dir: TemporaryDirectory, name: String) throws -> [UInt8] {
    let path = dir.file(name)
    try writeMono(samples, sampleRate: 16_000, to: path, encoding: .wav16)
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test func refusesEscapingPathsAndLinksAndReadsGBKNames() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let good = try Self.wav(SyntheticSpeech.toneBursts(seconds: 2, seed: 1), in: f.dir, name: "a.wav")
    let other = try Self.wav(SyntheticSpeech.toneBursts(seconds: 2, seed: 2), in: f.dir, name: "b.wav")
    // 录音 ("recording") in GBK, without the UTF-8 flag, as zip tools on Chinese Windows write it
    let gbkFolder: [UInt8] = [194, 188, 210, 244]
    var manifest = CSVWriter(header: BatchManifest.manifestColumns)
    manifest.append(["C1", "SA1", "录音/C1.wav", "1-1", "2026-06-14T09:05:00+08:00", Digest.sha256(bytes: good)])
    manifest.append(["C2", "SA1", "C2.wav", "1-2", "2026-06-14T09:06:00+08:00", Digest.sha256(bytes: other)])
    // 錄音 in GBK has a trail byte in 0x80–0x9F (C1 controls in Latin-1): the raw bytes must survive intact
    manifest.append(["C3", "SA1", "錄音/C3.wav", "1-3", "2026-06-14T09:07:00+08:00", Digest.sha256(bytes: other)])
    var zip = RawZip()
    zip.add("T1/manifest.csv", Array(manifest.text.utf8))
    zip.entries.append(RawZip.Entry(name: Array("T1/".utf8) + gbkFolder + Array("/C1.wav".utf8), data: good))
    zip.add("T1/C2.wav", other)
    zip.entries.append(
      RawZip.Entry(name: Array("T1/".utf8) + [228, 155, 210, 244] + Array("/C3.wav".utf8), data: other))
    zip.add("T1/../../escaped.wav", other)
    zip.add("/tmp/absolute.wav", other)
    zip.add("T1/link.wav", Array("/etc/passwd".utf8), mode: 0o120777)
    zip.add("T1/C2.wav", good)  // a second entry with the same name
    var forged = RawZip.Entry(
      name: Array("T1/forged.wav".utf8), data: [UInt8](repeating: 0, count: 4096), utf8Flag: true)
    forged.declaredSize = 100  // claims 100 bytes, holds 4096
    zip.entries.append(forged)
    let zipPath = f.dir.file("T1.zip")
    FileManager.default.createFile(atPath: zipPath, contents: Data(zip.bytes()))

    let report = try await f.ingest(f.request(zipPath))
    #expect(Set(report.added.map(\.file)) == ["录音/C1.wav", "C2.wav", "錄音/C3.wav"])
    let reasons = Dictionary(grouping: report.refused.values.flatMap(\.entries), by: \.file).mapValues {
      $0.map(\.reason)
    }
    // names are reported relative to the manifest's folder (T1/)
    #expect(reasons["../../escaped.wav"] == [.unsafePath])
    #expect(reasons["/tmp/absolute.wav"] == [.unsafePath])
    #expect(reasons["link.wav"] == [.unsafePath])
    #expect(reasons["C2.wav"] == [.duplicateRow])
    // only the declared 100 bytes are read, and they fail the CRC-32: refused, nothing written past the declaration
    #expect(reasons["forged.wav"] == [.corrupt])
    #expect(!FileManager.default.fileExists(atPath: f.dir.file("escaped.wav")))
    #expect(!FileManager.default.fileExists(atPath: f.store.root + "/escaped.wav"))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/absolute.wav"))
    // the work folder with the unpacked batch is gone
    #expect(IncomingFile.walk(f.store.root + "/.incoming").isEmpty)
  }

  @Test func refusesAZipBombEntry() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    let good = try Self.wav(SyntheticSpeech.toneBursts(seconds: 2), in: f.dir, name: "a.wav")
    var manifest = CSVWriter(header: BatchManifest.manifestColumns)
    manifest.append(["C1", "SA1", "C1.wav", "", "2026-06-14T09:05:00Z", Digest.sha256(bytes: good)])
    manifest.append(["C2", "SA1", "C2.wav", "", "2026-06-14T09:05:00Z", String(repeating: "b", count: 64)])
    let zipPath = f.dir.file("bomb.zip")
    let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
    let manifestData = Data(manifest.text.utf8)
    try archive.addEntry(with: "manifest.csv", type: .file, uncompressedSize: Int64(manifestData.count)) {
      position, size in
      manifestData.subdata(in: Int(position)..<Int(position) + size)
    }
    try archive.addEntry(with: "C1.wav", type: .file, uncompressedSize: Int64(good.count)) { position, size in
      Data(good[Int(position)..<Int(position) + size])
    }
    let bombBytes: Int64 = 24 << 20  // 24 MiB of zeros deflate to about 24 KiB
    try archive.addEntry(with: "C2.wav", type: .file, uncompressedSize: bombBytes, compressionMethod: .deflate) {
      _, size in
      Data(count: size)
    }
    var request = f.request(zipPath)
    request.zipLimits = ZipLimits(maximumRatio: 100, ratioCheckedAbove: 1 << 20)
    let report = try await f.ingest(request)
    #expect(report.added.map(\.file) == ["C1.wav"])
    #expect(report.refused["too-large"]?.entries.map(\.file) == ["C2.wav"])

    // the same bomb under a batch size limit smaller than its declared size
    request.zipLimits = ZipLimits(maximumTotalBytes: 8 << 20, maximumRatio: 1_000_000)
    let again = try await f.ingest(request)
    #expect(again.refused["too-large"]?.entries.map(\.file) == ["C2.wav"])
  }

  /// Many entries, each under the per-entry ratio check, must not add up to a bomb: the batch as a whole may expand
  /// at most `maximumRatio` times the zip's own size.
  @Test func refusesABombSpreadOverManyEntries() async throws {
    let f = try IngestFixture()
    defer { f.dir.remove() }
    var manifest = CSVWriter(header: BatchManifest.manifestColumns)
    manifest.append(["C1", "SA1", "C1.wav", "", "2026-06-14T09:05:00Z", String(repeating: "b", count: 64)])
    let zipPath = f.dir.file("spread.zip")
    let archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
    let manifestData = Data(manifest.text.utf8)
    try archive.addEntry(with: "manifest.csv", type: .file, uncompressedSize: Int64(manifestData.count)) {
      position, size in
      manifestData.subdata(in: Int(position)..<Int(position) + size)
    }
    let entryBytes: Int64 = 512 << 10  // each under the 1 MiB threshold of the per-entry ratio check
    for i in 0..<24 {
      try archive.addEntry(
        with: "zeros-\(i).wav", type: .file, uncompressedSize: entryBytes, compressionMethod: .deflate
      ) { _, size in
        Data(count: size)
      }
    }
    var request = f.request(zipPath)
    request.zipLimits = ZipLimits(maximumRatio: 100, ratioCheckedAbove: 1 << 20)
    let report = try await f.ingest(request)
    let zipBytes = Int64(try #require(FileManager.default.attributesOfItem(atPath: zipPath)[.size] as? Int))
    let tooLarge = report.refused["too-large"]?.entries ?? []
    #expect(tooLarge.count >= 20, "\(report.text)")
    // what was unpacked (and so could be quarantined) stays within the batch's ratio
    let quarantined = IncomingFile.walk(report.quarantineFolder ?? "/nonexistent").filter {
      $0.relative.hasSuffix(".wav")
    }
    #expect(Int64(quarantined.count) * entryBytes <= max(100 * zipBytes, 1 << 20) + entryBytes)
  }

  @Test func decodesEntryNamesInUTF8GBKAndCP437() {
    #expect(EntryName.decode(Array("录音/a.wav".utf8)) == ("录音/a.wav", "utf-8"))
    #expect(EntryName.decode([194, 188, 210, 244]) == ("录音", "gbk"))
    #expect(EntryName.decode(Array("plain.wav".utf8)).encoding == "utf-8")
    #expect(BatchPath.safeRelative("a/../../b") == nil)
    #expect(BatchPath.safeRelative("C:\\x.wav") == nil)
    #expect(BatchPath.safeRelative("a\\b.wav") == "a/b.wav")
    #expect(BatchPath.safeRelative("./a//b.wav") == "a/b.wav")
  }
}
