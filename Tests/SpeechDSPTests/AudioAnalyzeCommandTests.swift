import ArgumentParser
import AudioIO
import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import ExamCLI
@testable import SpeechDSP

@Suite struct AudioAnalyzeCommandTests {
  @Test func analyzesAFileAndComparesWithAReference() async throws {
    try await withTemporaryDirectory { directory in
      let path = directory.file("answer.flac")
      var samples = TestSignal.silence(seconds: 0.4)
      for k in 0..<4 {
        samples += SyntheticSpeech.vowel(f0: 150 + Double(k) * 10, seconds: 0.3) + TestSignal.silence(seconds: 0.1)
      }
      try writeMono(samples, sampleRate: 16_000, to: path, encoding: .flac16)
      let f = try SpeechAnalyzer().analyze(path: path, referencePath: path)
      #expect(f.file == path)
      #expect(f.refDistance == 0)
      #expect(f.syllableCount == 4)
      var command = try ExamCommand.parseAsRoot(["audio", "analyze", path, "--reference", path, "--json"])
      if var a = command as? AsyncParsableCommand { try await a.run() } else { try command.run() }
      var bad = try ExamCommand.parseAsRoot(["audio", "analyze", directory.file("missing.flac"), "--json"])
      await #expect(throws: ExamError.self) {
        if var a = bad as? AsyncParsableCommand { try await a.run() } else { try bad.run() }
      }
    }
  }

  @Test func reportsAMissingFileByCode() {
    let error = #expect(throws: ExamError.self) { try SpeechAnalyzer().analyze(path: "/nonexistent/answer.flac") }
    #expect(error?.code == .notFound)
  }

  @Test func rejectsAnUnknownSetting() {
    var configuration = AnalyzerConfiguration()
    let error = #expect(throws: ExamError.self) { try configuration.set("no_such_setting=1") }
    #expect(error?.code == .invalidInput)
  }

  @Test func requiresAFile() {
    #expect(throws: (any Error).self) { _ = try ExamCommand.parseAsRoot(["audio", "analyze"]) }
  }
}
