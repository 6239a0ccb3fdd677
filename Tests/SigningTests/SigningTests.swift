import ExamCore
import Foundation
import Signing
import Testing
import _ExamTestSupport

@Suite struct SigningTests {
  @Test func signaturesVerifyAndDetectChanges() async throws {
    try await withTemporaryDirectory { dir in
      let key = SigningKey()
      try key.write(privateTo: dir.file("k.key"), publicTo: dir.file("k.pub"))
      let loaded = try SigningKey(contentsOf: dir.file("k.key"))
      let pub = try VerifyingKey(contentsOf: dir.file("k.pub"))
      let message = Array("manifest".utf8)
      let signature = loaded.signature(for: message)
      #expect(pub.isValidSignature(signature, for: message))
      #expect(!pub.isValidSignature(signature, for: Array("manifesT".utf8)))
    }
  }

  @Test func refusesAFileThatIsNotAKey() async throws {
    try await withTemporaryDirectory { dir in
      try "hello\nworld\n".write(toFile: dir.file("bad.key"), atomically: true, encoding: .utf8)
      let error = #expect(throws: ExamError.self) { try SigningKey(contentsOf: dir.file("bad.key")) }
      #expect(error?.code == .invalidInput)
      let missing = #expect(throws: ExamError.self) { try VerifyingKey(contentsOf: dir.file("none.pub")) }
      #expect(missing?.code == .notFound)
    }
  }

  @Test func contentKeySealsReproduciblyAndDetectsTampering() async throws {
    let key = ContentKey()
    let sealed = key.seal(Array("paper".utf8), nonceSeed: Array("a".utf8))
    #expect(sealed == key.seal(Array("paper".utf8), nonceSeed: Array("a".utf8)))
    #expect(try key.open(sealed, source: "p") == Array("paper".utf8))
    var tampered = sealed
    tampered[14] ^= 1
    let error = #expect(throws: ExamError.self) { try key.open(tampered, source: "p") }
    #expect(error?.code == .integrity)
    #expect(throws: ExamError.self) { try ContentKey().open(sealed, source: "p") }
  }

  /// Secrets are created with their final mode: the private key and the content key are 0600 from the first byte.
  @Test func secretFilesAreCreatedOwnerOnly() async throws {
    try await withTemporaryDirectory { dir in
      try SigningKey().write(privateTo: dir.file("k.key"), publicTo: dir.file("k.pub"))
      try ContentKey().write(to: dir.file("pack.key"))
      try AtomicFile.write(text: "secret", to: dir.file("plain.txt"), mode: 0o600)
      for name in ["k.key", "pack.key", "plain.txt"] {
        let mode = try #require(FileManager.default.attributesOfItem(atPath: dir.file(name))[.posixPermissions] as? Int)
        #expect(mode == 0o600, "\(name) is \(String(mode, radix: 8))")
      }
      // no temporary file is left beside them
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [
          "k.key", "k.pub", "pack.key", "plain.txt",
        ])
    }
  }
}
