import ExamCore
import Foundation
import Signing
import Testing
import ZIPFoundation
import _ExamTestSupport

@testable import Packs

@Suite struct BuildVerifyTests {
  /// Builds the fixture into `dir/name.exampack`.
  func build(_ fixture: PackFixture, _ name: String = "t", sign: SigningKey? = nil, encrypt: ContentKey? = nil) throws
    -> String
  {
    let output = fixture.directory.file("\(name).exampack")
    _ = try PackBuilder.build(directory: fixture.path, output: output, signingKey: sign, contentKey: encrypt)
    return output
  }

  @Test func signedPackVerifiesAgainstItsKey() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let key = SigningKey()
    let pack = try build(fixture, sign: key)
    let result = try PackVerifier.verify(pack: pack, trust: .key(key.publicKey))
    #expect(result.examId == "T-1")
    #expect(result.fileCount == 4)
    #expect(result.signer == key.publicKey.fingerprint)
    #expect(result.signerTrusted)
    #expect(result.packSha256 == (try Digest.sha256(fileAtPath: pack)))
    let other = SigningKey().publicKey
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: pack, trust: .key(other)) }
    #expect(errors?.errors.first?.code == .integrity)
    #expect(errors?.errors.first?.location == "manifest.json")
  }

  @Test func unsignedPackFailsWhenAKeyIsRequired() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = try build(fixture)
    #expect(try PackVerifier.verify(pack: pack, trust: .unsignedAllowed).signer == nil)
    let errors = #expect(throws: ExamErrors.self) {
      try PackVerifier.verify(pack: pack, trust: .key(SigningKey().publicKey))
    }
    #expect(errors?.errors.first?.message.contains("not signed") == true)
  }

  @Test func buildIsByteForByteReproducible() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let key = SigningKey()
    let first = try Data(contentsOf: URL(fileURLWithPath: try build(fixture, "a", sign: key)))
    let second = try Data(contentsOf: URL(fileURLWithPath: try build(fixture, "b", sign: key)))
    #expect(first == second)
    let content = ContentKey()
    let sealedA = try Data(contentsOf: URL(fileURLWithPath: try build(fixture, "c", sign: key, encrypt: content)))
    let sealedB = try Data(contentsOf: URL(fileURLWithPath: try build(fixture, "d", sign: key, encrypt: content)))
    #expect(sealedA == sealedB)
    #expect(sealedA != first)
  }

  @Test func aChangedByteIsCaughtAndNamed() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let key = SigningKey()
    let pack = try build(fixture, sign: key)
    // FLAC entries are stored as they are, so the file's bytes can be found in the zip and one of them flipped.
    let audio = try Data(contentsOf: URL(fileURLWithPath: fixture.file("audio/SA1.flac")))
    var bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    let range = try #require(bytes.range(of: audio))
    bytes[range.lowerBound + range.count / 2] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: pack))
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: pack, trust: .key(key.publicKey)) }
    #expect(errors?.errors.count == 1)
    #expect(errors?.errors.first?.location == "audio/SA1.flac")
    #expect(errors?.errors.first?.code == .integrity)
    #expect(errors?.errors.first?.file == pack)
  }

  @Test func aChangedByteInPackYamlIsNamed() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = try build(fixture, sign: SigningKey())
    var bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    // The first "pack.yaml" is the name in its local header; the data follows the name and extra field.
    func le(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    // The name also appears inside manifest.json: take the occurrence that follows a local header signature.
    var search = bytes.startIndex..<bytes.endIndex
    var found: Range<Int>?
    while let hit = bytes.range(of: Data("pack.yaml".utf8), in: search) {
      if hit.lowerBound >= 30, le(hit.lowerBound - 30, 4) == 0x0403_4B50 { found = hit; break }
      search = hit.upperBound..<bytes.endIndex
    }
    let name = try #require(found)
    let header = name.lowerBound - 30
    let dataStart = name.upperBound + le(header + 28, 2)
    bytes[dataStart + le(header + 18, 4) / 2] ^= 0x10
    try bytes.write(to: URL(fileURLWithPath: pack))
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: pack, trust: .unsignedAllowed) }
    #expect(errors?.errors.map(\.location) == ["pack.yaml"])
  }

  /// Every byte of a pack matters: a flip anywhere (content, names, sizes, dates, attributes, the central
  /// directory, the end record) must make verification fail, never pass, and never crash.
  @Test func aFlipAnywhereIsCaught() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = try build(fixture, sign: SigningKey())
    let original = try Data(contentsOf: URL(fileURLWithPath: pack))
    var rng = SplitMix64(seed: 0x9AC4)
    // Every header byte near the start and the whole tail (central directory and end record), plus random bytes.
    let tail = Array(max(0, original.count - 400)..<original.count)
    let positions = Array(0..<90) + tail + (0..<100).map { _ in Int.random(in: 0..<original.count, using: &rng) }
    var passed: [Int] = []
    for position in Set(positions).sorted() {
      var bytes = original
      bytes[position] ^= UInt8.random(in: 1...255, using: &rng)
      try bytes.write(to: URL(fileURLWithPath: pack))
      if (try? PackVerifier.verify(pack: pack, trust: .unsignedAllowed)) != nil { passed.append(position) }
    }
    #expect(passed.isEmpty, "flips at \(passed) went unnoticed")
  }

  @Test func aTruncatedPackIsRefused() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = try build(fixture, sign: SigningKey())
    let bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: pack))
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: pack, trust: .unsignedAllowed) }
    #expect(errors?.errors.first?.code == .corrupt)
    #expect(errors?.errors.first?.file == pack)
  }

  @Test func aChangedManifestBreaksTheSignature() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let key = SigningKey()
    let pack = try build(fixture, sign: key)
    // Re-pack with a manifest that claims another exam id but keeps the old signature.
    let archive = try Archive(url: URL(fileURLWithPath: pack), accessMode: .update)
    let entry = try #require(archive[PackManifest.fileName])
    var manifest = Data()
    _ = try archive.extract(entry) { manifest.append($0) }
    let forged = Data(String(decoding: manifest, as: UTF8.self).replacingOccurrences(of: "T-1", with: "T-2").utf8)
    try archive.remove(entry)
    try archive.addEntry(with: PackManifest.fileName, type: .file, uncompressedSize: Int64(forged.count)) {
      position, size in
      forged.subdata(in: Int(position)..<Int(position) + size)
    }
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: pack, trust: .unsignedAllowed) }
    #expect(
      errors?.errors.contains { $0.location == "manifest.json" && $0.message.contains("signature does not match") }
        == true)
  }

  @Test func addedAndMissingFilesAreNamed() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let pack = try build(fixture, sign: SigningKey())
    let archive = try Archive(url: URL(fileURLWithPath: pack), accessMode: .update)
    try archive.remove(try #require(archive["audio/LA1.flac"]))
    let extra = Data("surprise".utf8)
    try archive.addEntry(with: "audio/extra.txt", type: .file, uncompressedSize: Int64(extra.count)) { position, size in
      extra.subdata(in: Int(position)..<Int(position) + size)
    }
    let errors = #expect(throws: ExamErrors.self) { try PackVerifier.verify(pack: pack, trust: .unsignedAllowed) }
    let byLocation = Dictionary(uniqueKeysWithValues: (errors?.errors ?? []).map { ($0.location ?? "", $0.message) })
    #expect(byLocation["audio/LA1.flac"]?.contains("missing from the pack") == true)
    #expect(byLocation["audio/extra.txt"]?.contains("was added to the pack") == true)
  }

  @Test func encryptedPackOpensOnlyWithItsKey() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let content = ContentKey()
    let sign = SigningKey()
    let pack = try build(fixture, sign: sign, encrypt: content)
    // No plain text of the paper is in the zip.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    #expect(bytes.range(of: Data("We call it bear".utf8)) == nil)
    #expect(
      bytes.range(of: Data(try Data(contentsOf: URL(fileURLWithPath: fixture.file("audio/SA1.flac"))).prefix(64)))
        == nil)

    let withoutKey = try PackVerifier.verify(pack: pack, trust: .key(sign.publicKey))
    #expect(withoutKey.encrypted && !withoutKey.decrypted)

    let opened = try OpenedPack.open(pack, trust: .key(sign.publicKey), contentKey: content)
    defer { opened.close() }
    #expect(opened.verification.decrypted)
    let plain = try PackValidator.validate(directory: fixture.path).examDefinition(
      packSha256: opened.verification.packSha256)
    #expect(opened.definition == plain)

    let wrong = #expect(throws: ExamErrors.self) {
      try OpenedPack.open(pack, trust: .key(sign.publicKey), contentKey: ContentKey())
    }
    #expect(wrong?.errors.contains { $0.message.contains("content key does not belong") } == true)
    let missing = #expect(throws: ExamErrors.self) { try OpenedPack.open(pack, trust: .key(sign.publicKey)) }
    #expect(missing?.errors.contains { $0.code == .usage && $0.fix?.contains("--key") == true } == true)
  }

  @Test func keyFilesRoundTrip() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let content = ContentKey()
    try content.write(to: fixture.directory.file("c.key"))
    let reloaded = try ContentKey(contentsOf: fixture.directory.file("c.key"))
    let a = try build(fixture, "a", encrypt: content)
    let b = try build(fixture, "b", encrypt: reloaded)
    #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
  }

  @Test func refusesToWriteThePackIntoItsOwnFolder() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let error = #expect(throws: ExamError.self) {
      try PackBuilder.build(directory: fixture.path, output: fixture.file("audio/p.exampack"))
    }
    #expect(error?.code == .usage)
  }

  @Test func anInvalidFolderWritesNothing() throws {
    let fixture = try PackFixture.replacing("answer: B", with: "answer: Z")
    defer { fixture.remove() }
    let output = fixture.directory.file("bad.exampack")
    #expect(throws: ExamErrors.self) { try PackBuilder.build(directory: fixture.path, output: output) }
    #expect(!FileManager.default.fileExists(atPath: output))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path).filter {
      $0.contains(".tmp-")
    }
    #expect(leftovers.isEmpty)
  }
}
