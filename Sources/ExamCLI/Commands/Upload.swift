import ArgumentParser
import CentreServer
import ExamCore
import Foundation
import Signing

extension ExamCommand {
  struct Upload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Upload a centre's batch to `exam serve`, resuming after a dropped connection, and print the ingest report.",
      discussion: """
        PATH is the batch zip, or the batch folder (zipped reproducibly first, into the cache folder). The upload
        goes in chunks, each checked by SHA-256; a cut connection is retried with back-off and resumes where the
        server stands, and running the same command again after the client stopped resumes the same upload
        (its URL is kept in the cache folder, named by the zip's SHA-256). Then it waits for the server to
        ingest the batch and prints the report, as `exam audio ingest` does.

        Exit codes: 0 all accepted, 65 something (or the whole batch) was refused, 64 usage or a refused token,
        1 the server could not be reached.

        Example:
          exam upload batches/T01-AM --server https://exam.example.org:8443 --token-file T01.token --session AM
          exam upload T01-AM.zip --server http://127.0.0.1:8080 --token-file T01.token --json
        """)

    @Argument(help: "The batch zip or folder.") var path: String
    @Option(help: "The server's address, e.g. https://exam.example.org:8443.") var server: String
    @Option(help: "File holding the centre's token (from `exam centres tokens issue --out`).") var tokenFile: String
    @Option(help: "Session the batch belongs to.") var session: String?
    @Option(help: "Chunk size in MiB (a cut connection resends at most one chunk).")
    var chunkMb: Int = 4
    @Option(
      help: "Folder for the zip of a folder and the resume state (default: $XDG_CACHE_HOME/exam or ~/.cache/exam).")
    var cache: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Print no progress lines.") var quiet = false
    @Option(help: .hidden) var stopAfterBytes: Int64?

    func validate() throws {
      guard chunkMb >= 1 && chunkMb <= 512 else {
        throw ValidationError("'--chunk-mb' must be 1 to 512 (got \(chunkMb)).")
      }
      guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
        throw ValidationError("'--server' must be an http:// or https:// address (got '\(server)').")
      }
    }

    func run() async throws {
      guard let data = FileManager.default.contents(atPath: tokenFile) else {
        throw ExamError(
          .notFound, file: tokenFile, "cannot read the token file",
          fix: "give the file `exam centres tokens issue --out` wrote")
      }
      let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      guard !token.isEmpty else {
        throw ExamError(.invalidInput, file: tokenFile, "is empty", fix: "give the file holding the centre's token")
      }
      let cacheFolder = cache ?? Self.defaultCache()
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ExamError(.notFound, file: path, "no such batch", fix: "give the batch folder or zip")
      }
      var zip = path
      if isDirectory.boolValue {
        try AtomicFile.makeDirectories(cacheFolder + "/zips")
        let name = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        zip =
          cacheFolder + "/zips/"
          + String(Digest.sha256(text: URL(fileURLWithPath: path).standardizedFileURL.path).prefix(12)) + "-" + name
          + ".zip"
        try BatchZipper.zip(folder: path, to: zip)
      }
      var client = UploadClient(server: URL(string: server)!, token: token, stateFolder: cacheFolder + "/uploads")
      client.chunkBytes = chunkMb << 20
      client.stopAfterBytes = stopAfterBytes
      if !quiet { client.log = { ProgressReporter.writeError("upload: \($0)\n") } }
      let outcome: UploadClient.Outcome
      do {
        outcome = try await client.upload(zip: zip, sessionId: session)
      } catch is UploadClient.Stopped {
        ProgressReporter.writeError("upload: stopped as asked (--stop-after-bytes); run the same command to resume\n")
        throw ExitCode(1)
      }
      if isDirectory.boolValue { try? FileManager.default.removeItem(atPath: zip) }
      if json {
        print(outcome.json)
      } else if let report = outcome.report {
        print(report.text, terminator: "")
      } else {
        print("the server refused the batch: \(UploadClient.message(Data(outcome.json.utf8)))")
      }
      if outcome.status != 200 || (outcome.report?.refusedCount ?? 1) > 0 { throw ExitCode(65) }
    }

    static func defaultCache() -> String {
      if let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/exam" }
      return (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.cache/exam"
    }
  }
}
