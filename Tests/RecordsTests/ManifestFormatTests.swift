import ExamCore
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import Records

/// Records exports and packs share one signed-manifest format; exports written in the old one still verify.
@Suite struct ManifestFormatTests {
  /// Writes `records.csv` and an `examkit-records-manifest/1` manifest (`bytes`, signer as a bare base64 string,
  /// bare base64 signature file), as exports made before the shared format were.
  static func oldExport(in dir: String, key: SigningKey) throws {
    let csv = Array("national_id,name\n11010519491231002X,张三\n".utf8)
    FileManager.default.createFile(atPath: dir + "/records.csv", contents: Data(csv))
    let manifest = """
      {
        "createdAt" : "2026-07-01T08:00:00Z",
        "files" : [
          {
            "bytes" : \(csv.count),
            "path" : "records.csv",
            "sha256" : "\(Digest.sha256(bytes: csv))"
          }
        ],
        "fingerprint" : "\(key.publicKey.fingerprint)",
        "format" : "examkit-records-manifest/1",
        "signer" : "\(key.publicKey.base64)"
      }

      """
    FileManager.default.createFile(atPath: dir + "/MANIFEST.json", contents: Data(manifest.utf8))
    let signature = Data(key.signature(for: Array(manifest.utf8))).base64EncodedString() + "\n"
    FileManager.default.createFile(atPath: dir + "/MANIFEST.json.sig", contents: Data(signature.utf8))
  }

  @Test func anOldFormatExportStillVerifiesAndAnAlteredOneDoesNot() async throws {
    let key = SigningKey()
    try await withTemporaryDirectory { dir in
      try Self.oldExport(in: dir.path, key: key)
      let result = try ExportManifest.verify(directory: dir.path, publicKey: key.publicKey)
      #expect(result.files == 1 && result.fingerprint == key.publicKey.fingerprint)
      FileManager.default.createFile(atPath: dir.file("records.csv"), contents: Data("national_id,name\n".utf8))
      let e = #expect(throws: ExamError.self) {
        try ExportManifest.verify(directory: dir.path, publicKey: key.publicKey)
      }
      #expect(e?.code == .integrity && e?.file == dir.file("records.csv"))
    }
  }

  @Test func newExportsUseThePackManifestFormat() async throws {
    let key = SigningKey()
    try await withTemporaryDirectory { dir in
      FileManager.default.createFile(atPath: dir.file("records.csv"), contents: Data("a\n".utf8))
      let contents = try ExportManifest.write(in: dir.path, createdAt: "2026-07-01T08:00:00Z", key: key)
      #expect(
        contents.files == [
          SignedManifest.File(path: "records.csv", size: 2, sha256: Digest.sha256(bytes: Array("a\n".utf8)))
        ])
      #expect(contents.signer == SignedManifest.Signer(key.publicKey))
      let json = try String(contentsOfFile: dir.file("MANIFEST.json"), encoding: .utf8)
      #expect(json.contains("\"size\" : 2") && !json.contains("\"bytes\""))
      let signature = try InputFile.bytes(dir.file("MANIFEST.json.sig"))
      #expect(signature.starts(with: Array(SignedManifest.signatureHeader.utf8)))
      #expect(SignedManifest.signature(inFile: signature) != nil)
      #expect(try ExportManifest.verify(directory: dir.path, publicKey: key.publicKey).files == 1)
    }
  }
}
