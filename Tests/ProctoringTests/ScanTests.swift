import AudioIO
import ExamCore
import ExamStorage
import Proctoring
import Testing
import _ExamTestSupport

@Suite struct ScanTests {
  /// SampleData's exam with three read-aloud items, SA1…SA3.
  static func exam() -> ExamDefinition {
    var exam = SampleData.exam()
    let item = exam.sections[1].items[0]
    exam.sections[1].items = (1...3).map { n in
      var copy = item
      copy.id = "SA\(n)"
      return copy
    }
    return exam
  }

  /// Stores `samples` as a 16 kHz FLAC answer of `candidate` to `item`.
  static func store(
    _ samples: [Float], candidate: String, item: String, db: any ProctoringStore, content: ContentStore,
    dir: TemporaryDirectory
  ) async throws {
    let temporary = dir.file("\(candidate)-\(item).flac")
    try writeMono(samples, sampleRate: 16_000, to: temporary, encoding: .flac16)
    let sha = try content.put(fileAtPath: temporary, ext: "flac")
    let r = StoredRecording(
      examId: "E1", candidateId: candidate, itemId: item, originalSha256: sha, originalName: "\(item).flac",
      storedSha256: sha, durationSeconds: Double(samples.count) / 16_000, originalSampleRate: 16_000,
      originalChannels: 1,
      originalFormat: "FLAC/PCM_16", centreId: "T1", sessionId: "AM", seatId: nil,
      recordedAt: "2026-06-14T08:45:00+08:00",
      ingestedAt: "2026-06-14T12:00:00Z", batchId: "B1")
    _ = try await db.insertAnswers(recordings: [r], listening: [], audit: nil)
  }

  /// C1…C5 answer SA1…SA3 in their own voices, except: C2's SA2 is silent, C3's SA1 clips, C3's SA3 has a
  /// dropout, C4's SA2 is digital zeros, C5's SA3 is C1's SA3 (re-encoded, quieter: a duplicate and another
  /// voice), C1's SA2 is another voice.
  /// The sitting of `plant` in a new store under `dir`, and a scanner over it with the speaker encoder.
  static func withPlantedSitting(
    on backend: TestBackend, in dir: TemporaryDirectory,
    _ body: (any ProctoringStore, ContentStore, ProctorScanner) async throws -> Void
  ) async throws {
    try await Sitting.withStore(on: backend, exam: exam()) { db in
      let content = ContentStore(root: dir.file("store"))
      try await plant(db: db, content: content, dir: dir)
      var scanner = ProctorScanner(store: db, examId: "E1")
      scanner.speakerEncoder = RecordingAnalysisTests.encoder
      try await body(db, content, scanner)
    }
  }

  static let scanAudit = AuditEntry(at: "", operator: "test", command: "proctor scan", arguments: "", summary: "")

  static func plant(db: any ProctoringStore, content: ContentStore, dir: TemporaryDirectory) async throws {
    for c in 1...5 {
      let voice = SyntheticSpeech(
        f0: [0, 105, 150, 200, 125, 230][c], formantScale: [0, 0.88, 1.0, 1.12, 0.95, 1.1][c])
      for n in 1...3 {
        var x = voice.speak(seconds: 4, seed: UInt64(c * 10 + n))
        switch (c, n) {
        case (2, 2): x = TestSignal.noise(seconds: 4, amplitude: 0.001)
        case (3, 1): x = x.map { max(-1, min(1, $0 * 6)) }
        case (3, 3): for i in 30_000..<31_000 { x[i] = 0 }
        case (4, 2): x = TestSignal.silence(seconds: 4)
        case (5, 3):
          x = try RecordingAnalysisTests.degrade(
            SyntheticSpeech(f0: 105, formantScale: 0.88).speak(seconds: 4, seed: 13), gain: 0.5, in: dir)
        case (1, 2): x = SyntheticSpeech(f0: 180, formantScale: 1.05).speak(seconds: 4, seed: 99)
        default: break
        }
        try await store(x, candidate: "C\(c)", item: "SA\(n)", db: db, content: content, dir: dir)
      }
    }
  }

  @Test(arguments: TestBackend.all) func scanRaisesEveryPlantedRecordingIncidentOnce(backend: TestBackend) async throws
  {
    try await withTemporaryDirectory { dir in
      try await Self.withPlantedSitting(on: backend, in: dir) { db, content, scanner in
        let audit = Self.scanAudit
        let first = try await scanner.scanRecordings(contentStore: content, raisedBy: "test", audit: audit)
        let found = Set(first.added.map { "\($0.rule) \($0.candidateId ?? "")" })
        let expected: Set<String> = [
          "silence C2", "clipping C3", "dropouts C3", "digital-zeros C4", "duplicate-recording C5", "voice-change C5",
          "voice-change C1",
        ]
        // The planted voice changes are caught; with 3 synthetic answers each and a 12-answer cohort the rule also
        // flags other candidates (its false-alarm rate is measured on real speakers by voice-eval, docs/accuracy.md).
        #expect(
          found.filter { !$0.hasPrefix("voice-change") } == expected.filter { !$0.hasPrefix("voice-change") },
          "\(first.added.map { "\($0.rule): \($0.comment)" }.joined(separator: "\n"))")
        #expect(found.isSuperset(of: ["voice-change C1", "voice-change C5"]))
        #expect(first.recordingsAnalysed == 15 && first.unreadable.isEmpty)
        let duplicate = try #require(first.added.first { $0.rule == "duplicate-recording" })
        #expect(duplicate.evidence.count == 2 && duplicate.roomId == "R1" && duplicate.seatId == "2-2")
        // Second scan: analyses come from the cache and nothing new is raised.
        let second = try await scanner.scanRecordings(contentStore: content, raisedBy: "test", audit: audit)
        #expect(second.recordingsAnalysed == 0 && second.added.isEmpty && second.found == first.found)
        #expect(try await db.incidents(examId: "E1", roomId: nil, openOnly: false).map(\.key) == first.added.map(\.key))
      }
    }
  }
}
