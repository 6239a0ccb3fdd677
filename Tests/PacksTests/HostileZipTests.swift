import ExamCore
import Foundation
import Testing
import ZIPFoundation
import _ExamTestSupport

@testable import Packs

/// Zips an attacker could send instead of a pack; each must be refused before anything is extracted.
@Suite struct HostileZipTests {
  /// Writes a zip with the given entries (name, type, bytes, deflate).
  func makeZip(_ path: String, _ entries: [(String, Entry.EntryType, Data, Bool)]) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (name, type, data, deflate) in entries {
      try archive.addEntry(
        with: name, type: type, uncompressedSize: Int64(data.count),
        compressionMethod: deflate ? .deflate : .none
      ) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
  }

  func refusal(_ entries: [(String, Entry.EntryType, Data, Bool)], limits: PackLimits = .standard) throws -> [ExamError]
  {
    let dir = TemporaryDirectory("hostile")
    defer { dir.remove() }
    let path = dir.file("hostile.exampack")
    try makeZip(path, entries)
    let errors = #expect(throws: ExamErrors.self) { try OpenedPack.open(path, trust: .unsignedAllowed, limits: limits) }
    return errors?.errors ?? []
  }

  @Test func refusesPathsThatEscape() throws {
    let marker = "examkit-escape-\(UUID().uuidString).txt"
    let errors = try refusal([
      ("manifest.json", .file, Data("{}".utf8), false),
      ("../\(marker)", .file, Data("x".utf8), false),
      ("/tmp/\(marker)", .file, Data("x".utf8), false),
      ("audio/../../\(marker)", .file, Data("x".utf8), false),
    ])
    #expect(errors.count == 3)
    #expect(errors.allSatisfy { $0.code == .integrity && $0.message.contains("escapes the pack folder") })
    #expect(Set(errors.compactMap(\.location)) == ["../\(marker)", "/tmp/\(marker)", "audio/../../\(marker)"])
    #expect(!FileManager.default.fileExists(atPath: NSTemporaryDirectory() + "/" + marker))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/" + marker))
  }

  @Test func refusesLinks() throws {
    let errors = try refusal([("audio/LA1.flac", .symlink, Data("/etc/passwd".utf8), false)])
    #expect(errors.first?.location == "audio/LA1.flac")
    #expect(errors.first?.message.contains("symbolic link") == true)
  }

  @Test func refusesAZipBomb() throws {
    // 20 MB of zeros deflate to about 20 KB: a 1000-fold expansion.
    let errors = try refusal([("pack.yaml", .file, Data(count: 20_000_000), true)])
    #expect(errors.first?.location == "pack.yaml")
    #expect(errors.first?.message.contains("-fold") == true)
  }

  @Test func refusesTooManyEntries() throws {
    let entries = (0..<6).map { ("f\($0).txt", Entry.EntryType.file, Data("x".utf8), false) }
    let errors = try refusal(entries, limits: PackLimits(maxEntries: 5))
    #expect(errors.first?.message.contains("more than 5 entries") == true)
  }

  @Test func refusesTooManyBytes() throws {
    let entries = (0..<3).map { ("f\($0).bin", Entry.EntryType.file, Data(count: 600), false) }
    let errors = try refusal(entries, limits: PackLimits(maxTotalBytes: 1000, maxEntryBytes: 700))
    #expect(errors.first?.message.contains("expands to 1800 bytes") == true)
    let big = try refusal([("big.bin", .file, Data(count: 800), false)], limits: PackLimits(maxEntryBytes: 700))
    #expect(big.first?.location == "big.bin")
  }

  @Test func refusesDuplicateNamesAndFolders() throws {
    let errors = try refusal([
      ("a.txt", .file, Data("1".utf8), false), ("a.txt", .file, Data("2".utf8), false),
      ("dir/", .directory, Data(), false),
    ])
    #expect(errors.contains { $0.message.contains("appears twice") })
    #expect(errors.contains { $0.message.contains("folder") })
  }

  @Test func refusesSomethingThatIsNotAZip() throws {
    let dir = TemporaryDirectory("hostile")
    defer { dir.remove() }
    try Data("just text".utf8).write(to: URL(fileURLWithPath: dir.file("x.exampack")))
    let errors = #expect(throws: ExamErrors.self) {
      try PackVerifier.verify(pack: dir.file("x.exampack"), trust: .unsignedAllowed)
    }
    #expect(errors?.errors.first?.code == .corrupt)
  }

  @Test func refusesAManifestThatPointsOutside() throws {
    let manifest = PackManifest(
      format: PackManifest.formatName, examId: "X", title: "X",
      files: [.init(path: "../evil.txt", size: 1, sha256: String(repeating: "0", count: 64), stored: nil)],
      encryption: nil, signer: nil)
    let errors = try refusal([("manifest.json", .file, Data(manifest.encoded()), false)])
    #expect(errors.contains { $0.message.contains("unsafe or repeated path '../evil.txt'") })
  }

  /// A folder given where a built pack is expected is refused at once (it used to spin at 100 % CPU).
  @Test func aFolderIsRefusedNotRead() throws {
    let dir = TemporaryDirectory("folder-pack")
    defer { dir.remove() }
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: dir.path, trust: .unsignedAllowed) }
    #expect(errors?.errors.map(\.code) == [.invalidInput])
    #expect(errors?.errors.first?.message == "is a folder, not a built pack")
  }
}
