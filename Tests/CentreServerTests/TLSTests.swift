import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import CentreServer

/// HTTPS in-process (`--tls-cert/--tls-key`), checked with the openssl and curl command-line tools.
@Suite("CentreServer: HTTPS", .serialized)
struct TLSTests {
  static var toolsAvailable: Bool {
    let found = ["/usr/bin/openssl", "/usr/bin/curl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    if !found { print("note: openssl or curl is missing; the HTTPS test is skipped") }
    return found
  }

  static func run(_ tool: String, _ arguments: [String], output: String) async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    FileManager.default.createFile(atPath: output, contents: nil)
    process.standardOutput = FileHandle(forWritingAtPath: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
    while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }  // the server shares these threads
    return process.terminationStatus
  }

  @Test(.enabled(if: toolsAvailable)) func theServerSpeaksHTTPSWithTheGivenCertificate() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    let (cert, key) = (f.dir.file("cert.pem"), f.dir.file("key.pem"))
    let made = try await Self.run(
      "/usr/bin/openssl",
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-days", "1", "-keyout", key, "-out", cert,
      ], output: f.dir.file("openssl.out"))
    #expect(made == 0)
    try await f.withServer(tls: (cert, key)) { server in
      let output = f.dir.file("curl.out")
      let status = try await Self.run(
        "/usr/bin/curl", ["-s", "--cacert", cert, server.absoluteString + "/"], output: output)
      #expect(status == 0)
      #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("exam serve"))
    }
  }

  @Test func anUnreadableCertificateIsNamedWithHowToFixIt() async throws {
    let f = try await ServerFixture()
    defer { f.dir.remove() }
    var configuration = f.configuration()
    configuration.tlsCertificatePath = f.dir.file("missing.pem")
    configuration.tlsKeyPath = f.dir.file("missing.key")
    let error = #expect(throws: ExamError.self) {
      _ = try UploadServer(database: f.database, configuration: configuration).makeApplication()
    }
    #expect(error?.code == .invalidInput && error?.file == f.dir.file("missing.pem"))
  }
}
