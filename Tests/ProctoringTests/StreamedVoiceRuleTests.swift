import ExamCore
import ExamStorage
import Foundation
import Testing
import _ExamTestSupport

@testable import Proctoring

/// `proctor scan` keeps one byte per answer for the voice-change rule and runs it one candidate at a time from the
/// analysis cache (memory bounded at city scale); its incidents are those of the rule over the whole sitting.
@Suite struct StreamedVoiceRuleTests {
  @Test func streamedByCandidateEqualsTheRuleOverTheWholeSitting() async throws {
    try await withTemporaryDirectory { dir in
      try await ScanTests.withPlantedSitting(on: .sqlite, in: dir) { db, content, planted in
        var scanner = planted
        let encoder = try #require(scanner.speakerEncoder)
        _ = try await scanner.scanRecordings(contentStore: content, raisedBy: "test", audit: ScanTests.scanAudit)
        let recordings = try await db.recordings(examId: "E1", currentOnly: true)
        var analyses: [RecordingAnalysis] = []
        for r in recordings {
          let json = try #require(
            try await db.audioAnalysis(storedSha256: r.storedSha256, version: RecordingAnalysis.version))
          analyses.append(try JSONDecoder().decode(RecordingAnalysis.self, from: Data(json.utf8)))
        }
        let voices = analyses.map { scanner.recordingRules.voice($0) }
        let kinds = voices.map { ProctorScanner.VoiceKind($0) }
        #expect(kinds.filter { $0 == .comparable }.count >= 8)
        for cohortSize in [400, 6, 1] {
          scanner.recordingRules.settings.voiceCohortSize = cohortSize
          let whole = scanner.recordingRules.voiceIncidents(examId: "E1", recordings: recordings, voices: voices)
          let streamed = try await scanner.voiceIncidentsByCandidate(recordings: recordings, kinds: kinds)
          #expect(!whole.isEmpty)
          #expect(streamed.map(\.key) == whole.map(\.key), "cohort \(cohortSize)")
          #expect(streamed.map(\.comment) == whole.map(\.comment), "cohort \(cohortSize)")
        }
        // The scan's batched analyses (16 recordings a task) against one recording at a time.
        for (r, a) in zip(recordings, analyses) {
          let path = content.path(sha256: r.storedSha256, ext: "flac")
          let one = try RecordingAnalyzer(encoder: encoder).analyze(path: path)
          #expect(one.levels == a.levels && one.fingerprint == a.fingerprint && one.voiceSkipped == a.voiceSkipped)
          #expect((one.voice == nil) == (a.voice == nil))
          if let x = one.voice, let y = a.voice { #expect(x.cosine(y) >= 0.9999) }
        }
      }
    }
  }
}
