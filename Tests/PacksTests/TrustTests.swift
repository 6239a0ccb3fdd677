import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import ExamCLI
@testable import Packs

/// Issue #17 classes 1, 9 and 10: which packs are trusted, that nothing is extracted before they are, that a
/// killed import's decrypted files do not stay, and that an encrypted pack's clear manifest reveals no plaintext.
@Suite struct TrustTests {
  func run(_ arguments: [String]) async throws {
    var command = try ExamCommand.parseAsRoot(arguments)
    if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
  }

  func build(_ fixture: PackFixture, _ name: String, sign: SigningKey? = nil, encrypt: ContentKey? = nil) throws
    -> String
  {
    let output = fixture.directory.file("\(name).exampack")
    _ = try PackBuilder.build(directory: fixture.path, output: output, signingKey: sign, contentKey: encrypt)
    return output
  }

  func entries(_ folder: String) -> [String] {
    (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
  }

  @Test func unsignedAndUntrustedPacksAreRefusedBeforeAnythingIsExtracted() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let office = SigningKey()
    let forger = SigningKey()
    let unsigned = try build(fixture, "unsigned")
    let forged = try build(fixture, "forged", sign: forger)
    let out = fixture.directory.file("out")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    for (pack, expected) in [(unsigned, "not signed"), (forged, "which is not trusted")] {
      for trust in [PackTrust(keys: []), .key(office.publicKey)] {
        let errors = #expect(throws: ExamErrors.self) {
          try PackVerifier.verify(pack: pack, trust: trust, extractTo: out)
        }
        #expect(errors?.errors.count == 1)
        #expect(errors?.errors.first?.message.contains(expected) == true, "\(errors?.errors ?? [])")
        #expect(errors?.errors.first?.fix?.contains("--allow-unsigned") == true)
        #expect(errors?.exitCode == 65)
        #expect(entries(out).isEmpty, "files were extracted from a pack that was refused: \(entries(out))")
      }
      // Drafts: allowed when asked for, and reported as untrusted.
      let draft = try PackVerifier.verify(pack: pack, trust: .unsignedAllowed)
      #expect(!draft.signerTrusted)
    }
    #expect(try PackVerifier.verify(pack: forged, trust: .key(forger.publicKey)).signerTrusted)
  }

  @Test func aChangedFileStopsExtractionOfEveryFile() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let key = SigningKey()
    let pack = try build(fixture, "t", sign: key)
    // pictures/p.svg is the last entry: before, every earlier file was already written when it was found.
    var bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    let range = try #require(bytes.range(of: Data("<rect".utf8)))
    bytes[range.lowerBound + 1] ^= 0x20
    try bytes.write(to: URL(fileURLWithPath: pack))
    let out = fixture.directory.file("out")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let errors = #expect(throws: ExamErrors.self) {
      try PackVerifier.verify(pack: pack, trust: .key(key.publicKey), extractTo: out)
    }
    #expect(errors?.errors.first?.location == "pictures/p.svg")
    #expect(entries(out).isEmpty, "extracted before every file was checked: \(entries(out))")
  }

  @Test func anEncryptedPacksClearManifestRevealsNoPlaintextDigest() throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let content = ContentKey()
    let sign = SigningKey()
    let pack = try build(fixture, "sealed", sign: sign, encrypt: content)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: pack))
    for file in ["pack.yaml", "audio/LA1.flac", "audio/SA1.flac", "pictures/p.svg"] {
      let plainSha = try Digest.sha256(fileAtPath: fixture.file(file))
      #expect(bytes.range(of: Data(plainSha.utf8)) == nil, "the plain SHA-256 of \(file) is readable in the pack")
      // Nor can the nonce (stored in the clear before the ciphertext) be recomputed from a guessed plaintext.
      let guessedNonce = String(Digest.sha256(bytes: PackManifest.nonceSeed(path: file, digest: plainSha)).prefix(24))
      #expect(bytes.range(of: Data(Self.bytes(hex: guessedNonce))) == nil)
    }
    // With the key, the contents still check out against the keyed digests.
    let opened = try OpenedPack.open(pack, trust: .key(sign.publicKey), contentKey: content)
    opened.close()
    #expect(opened.verification.decrypted)
  }

  static func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      out.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return out
  }

  @Test func scratchFoldersArePrivateAndAKilledImportsLeftoversAreSwept() throws {
    let dir = TemporaryDirectory("scratch")
    defer { dir.remove() }
    let root = dir.file("store/.scratch")
    let made = try PackScratch.make(under: root)
    var info = stat()
    #expect(stat(made, &info) == 0 && info.st_mode & 0o777 == 0o700)
    #expect(stat(root, &info) == 0 && info.st_mode & 0o777 == 0o700)
    // A folder left by a process that is gone (pid 2^31 - 2 never exists), holding a decrypted pack.yaml.
    let stale = root + "/\(PackScratch.prefix)2147483646-7"
    try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
    try "answer: B\n".write(toFile: stale + "/pack.yaml", atomically: false, encoding: .utf8)
    let second = try PackScratch.make(under: root)
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: made), "a live process's folder was swept")
    #expect(FileManager.default.fileExists(atPath: second))
  }

  @Test func importTrustsOnlyTheStoresKeysAndAuditsAllowUnsigned() async throws {
    let fixture = try PackFixture()
    defer { fixture.remove() }
    let dir = fixture.directory
    try await run(["keys", "generate", dir.file("office")])
    try await run(["keys", "generate", dir.file("forger")])
    let pack = dir.file("t.exampack")
    try await run(["pack", "build", fixture.path, "-o", pack, "--sign", dir.file("office.key")])
    let forged = dir.file("forged.exampack")
    try await run(["pack", "build", fixture.path, "-o", forged, "--sign", dir.file("forger.key")])
    let db = dir.file("exam.sqlite")
    try await run(["init", "--db", db])
    let store = dir.file("store")

    // Nothing trusted yet: refused, with a way forward; nothing extracted or stored.
    for candidate in [pack, forged] {
      do {
        try await run(["pack", "import", candidate, "--db", db])
        Issue.record("an untrusted pack was imported")
      } catch let errors as ExamErrors {
        #expect(errors.exitCode == 65)
        #expect(errors.errors.first?.fix?.contains("exam keys trust") == true)
      }
    }
    #expect(entries(store) == [".scratch"], "\(entries(store))")
    // --pubkey alone does not make a key trusted.
    await #expect(throws: ExamError.self) {
      try await run(["pack", "import", pack, "--db", db, "--pubkey", dir.file("office.pub")])
    }

    try await run(["keys", "trust", dir.file("office.pub"), "--db", db, "--operator", "li"])
    try await run(["keys", "trust", dir.file("office.pub"), "--db", db, "--operator", "li"])
    let database = try ExamDatabase(path: db)
    let office = try VerifyingKey(contentsOf: dir.file("office.pub"))
    #expect(try database.trustedSigners().map(\.fingerprint) == [office.fingerprint])
    #expect(try database.auditTrail().filter { $0.command == "keys trust" }.count == 1)
    await #expect(throws: ExamErrors.self) { try await run(["pack", "import", forged, "--db", db]) }
    try await run(["pack", "import", pack, "--db", db, "--operator", "li"])
    #expect(try database.examIds() == ["T-1"])
    let line = try #require(try database.auditTrail().last { $0.command == "pack import" })
    #expect(line.summary.contains("signed by trusted key \(office.fingerprint)"))

    // Revoked: a pack it signed is refused from now on; a draft goes in only with --allow-unsigned, audited.
    try await run(["keys", "revoke", String(office.fingerprint.prefix(10)), "--db", db, "--operator", "li"])
    #expect(try database.trustedSigners().first?.revokedBy == "li")
    let revoked = await #expect(throws: ExamErrors.self) { try await run(["pack", "import", pack, "--db", db]) }
    #expect(revoked?.errors.first?.message.contains("not trusted") == true)
    let drafts = dir.file("drafts.sqlite")
    try await run(["init", "--db", drafts])
    try await run(["pack", "import", forged, "--db", drafts, "--allow-unsigned", "--operator", "wu"])
    let draft = try #require(try ExamDatabase(path: drafts).auditTrail().last { $0.command == "pack import" })
    #expect(draft.arguments.contains("--allow-unsigned"))
    #expect(draft.summary.contains("UNTRUSTED"))
    #expect(draft.operator == "wu")
  }
}
