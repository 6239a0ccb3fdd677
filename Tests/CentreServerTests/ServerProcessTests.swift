import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import CentreServer

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `exam serve` as a separate process, so it can be killed with SIGKILL mid-upload.
@Suite("CentreServer: exam serve killed and restarted", .serialized)
struct ServerProcessTests {
  static let binary = SharedData.repositoryRoot + "/.build/debug/exam"
  static var binaryExists: Bool {
    let exists = FileManager.default.isExecutableFile(atPath: binary)
    if !exists { print("note: \(binary) is not built (swift build); the kill -9 test is skipped") }
    return exists
  }

  /// A running `exam serve` child process.
  final class ServeProcess {
    let process = Process()
    let log: String

    init(database: String, port: Int, log: String) throws {
      self.log = log
      FileManager.default.createFile(atPath: log, contents: nil)
      process.executableURL = URL(fileURLWithPath: ServerProcessTests.binary)
      process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--db", database, "--jobs", "1"]
      process.standardOutput = FileHandle(forWritingAtPath: log)
      process.standardError = FileHandle.nullDevice
      try process.run()
    }

    /// Waits for the "listening on" line (at most 60 s), sleeping between looks: tests share the cooperative threads.
    func waitUntilListening() async throws {
      let deadline = ContinuousClock.now + .seconds(60)
      while ContinuousClock.now < deadline, process.isRunning {
        if (try? String(contentsOfFile: log, encoding: .utf8))?.contains("listening on") == true { return }
        try await Task.sleep(for: .milliseconds(50))
      }
      throw ExamError(.state, "exam serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// Sends `signal` and waits (sleeping) until the process has ended.
    func stop(_ signal: Int32) async throws {
      _ = Glibc.kill(process.processIdentifier, signal)
      while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }
  }

  /// A port that was free a moment ago (the server must come back on the same one for the client to resume).
  static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, length) == 0 ? getsockname(descriptor, $0, &length) : -1
      }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  struct Essence: Hashable {
    var candidate, item, original, stored: String
    var version: Int
    init(_ r: StoredRecording) {
      (candidate, item, original, stored, version) = (
        r.candidateId, r.itemId, r.originalSha256, r.storedSha256, r.version
      )
    }
  }

  @Test(.enabled(if: binaryExists)) func aServerKilledMidUploadResumesAndEndsAsIfNeverInterrupted() async throws {
    let clean = try await ServerFixture()
    defer { clean.dir.remove() }
    let cleanZip = try clean.makeBatchZip("T1", candidates: [1, 2, 3, 4])
    let uninterrupted = try await clean.withServer { server in
      try await clean.client(server, centre: "T1").upload(zip: cleanZip)
    }

    let f = try await ServerFixture()
    defer { f.dir.remove() }
    let zip = f.dir.file("T1.zip")
    try FileManager.default.copyItem(atPath: cleanZip, toPath: zip)
    let size = try #require(FileSystem.size(zip))
    let port = try Self.freePort()
    let server = URL(string: "http://127.0.0.1:\(port)")!
    let chunk = 32 << 10

    let first = try ServeProcess(database: f.databasePath, port: port, log: f.dir.file("serve-1.log"))
    try await first.waitUntilListening()
    var client = f.client(server, centre: "T1", chunkBytes: chunk)
    client.stopAfterBytes = Int64(size / 2)
    await #expect(throws: UploadClient.Stopped.self) { _ = try await client.upload(zip: zip) }
    // a chunk in flight when the server dies: part of it reaches the file, none of it is acknowledged
    let upload = try #require(try f.database.uploads(states: [.receiving]).first)
    let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: zip)))
    let raw = try RawConnection(port: port)
    raw.send(
      "PATCH /uploads/\(upload.id) HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nAuthorization: Bearer \(f.tokens["T1"]!)\r\n"
        + "Content-Type: application/offset+octet-stream\r\nUpload-Offset: \(upload.offsetBytes)\r\nContent-Length: \(chunk)\r\n"
        + "Upload-Checksum: sha256 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n")
    raw.send(Array(bytes[Int(upload.offsetBytes)..<Int(upload.offsetBytes) + chunk / 2]))
    try await Task.sleep(for: .milliseconds(300))
    try await first.stop(SIGKILL)
    raw.close()
    #expect(first.process.terminationReason == .uncaughtSignal)

    let second = try ServeProcess(database: f.databasePath, port: port, log: f.dir.file("serve-2.log"))
    try await second.waitUntilListening()
    let resumed = try await f.client(server, centre: "T1", chunkBytes: chunk).upload(zip: zip)
    #expect(resumed.resumedAt == upload.offsetBytes && resumed.resumedAt > 0)
    #expect(resumed.report?.added.count == uninterrupted.report?.added.count)
    try await second.stop(SIGTERM)
    #expect(second.process.terminationReason == .exit && second.process.terminationStatus == 0)
    #expect(try String(contentsOfFile: second.log, encoding: .utf8).hasSuffix("stopped\n"))

    let killed = Set(try f.database.recordings(examId: "E1", currentOnly: false).map(Essence.init))
    let once = Set(try clean.database.recordings(examId: "E1", currentOnly: false).map(Essence.init))
    #expect(killed == once && killed.count == 8)
    let storedFiles = { (fixture: ServerFixture) in
      (FileManager.default.enumerator(atPath: fixture.store.root)?.allObjects as? [String] ?? []).filter {
        !$0.hasPrefix(".")
      }.sorted()
    }
    #expect(storedFiles(f) == storedFiles(clean))
    #expect(f.uploadFiles().isEmpty)
  }
}
