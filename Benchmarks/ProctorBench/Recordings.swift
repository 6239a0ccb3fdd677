import AudioIO
import ExamCore
import ExamStorage
import Foundation
import Proctoring
import _ExamTestSupport

/// Writes 3 spoken answers for each of the first `candidates` seated candidates of the exam in the store,
/// with planted faults (one per chosen candidate), and appends the truth to `truth`.
func plantRecordings(db: ExamDatabase, store: ContentStore, candidates count: Int, truth: String) throws {
  let exam = try db.allocation(examId: examId).isEmpty ? try db.examIds().first ?? examId : examId
  let allocation = Array(try db.allocation(examId: exam).prefix(count))
  let items = try db.requireExam(id: exam).sections.filter { $0.part == .speaking }.flatMap(\.items).map(\.id)
  guard items.count >= 2 else { throw ExamError(.state, "exam \(exam) needs two speaking items") }
  let kinds = ["silence", "clipping", "digital-zeros", "dropouts", "duplicate-recording", "voice-change", "noisy-room"]
  var truthLines: [String] = []
  var recordings: [StoredRecording] = []
  let temporary = NSTemporaryDirectory() + "/proctor-bench-\(getpid())"
  try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
  for (k, a) in allocation.enumerated() {
    let voice = SyntheticSpeech.voice(seed: UInt64(k + 1))
    // Every third candidate gets one planted fault, cycling through the kinds.
    let planted: String? = k % 3 == 1 ? kinds[(k / 3) % kinds.count] : nil
    for (n, item) in items.enumerated() {
      var x = voice.speak(seconds: 8, seed: UInt64(k * 100 + n))
      let target = n == items.count - 1
      if let planted, target {
        switch planted {
        case "silence": x = x.map { $0 * 0.0005 }
        case "clipping": x = x.map { max(-1, min(1, $0 * 6)) }
        case "digital-zeros": x = [Float](repeating: 0, count: x.count)
        case "dropouts": for i in 40_000..<41_600 { x[i] = 0 }
        case "duplicate-recording":
          // The previous candidate's answer to the same item, quieter and slightly shifted.
          let previous = SyntheticSpeech.voice(seed: UInt64(k)).speak(seconds: 8, seed: UInt64((k - 1) * 100 + n))
          x = Array(previous.dropFirst(128)).map { $0 * 0.6 }
        case "voice-change":
          x = SyntheticSpeech.voice(seed: UInt64(k + 50_000)).speak(seconds: 8, seed: UInt64(k * 100 + n))
        case "noisy-room":
          let noise = TestSignal.noise(seconds: Double(x.count) / 16_000, amplitude: 0.08, seed: UInt64(k))
          x = zip(x, noise).map { $0 + $1 }
        default: break
        }
        truthLines.append("\(planted),\(a.candidateId),\(a.centreId),\(a.roomId),\(a.seatId)")
        // A copy of another candidate's answer is also another voice among this candidate's answers.
        if planted == "duplicate-recording" {
          truthLines.append("voice-change,\(a.candidateId),\(a.centreId),\(a.roomId),\(a.seatId)")
        }
      }
      let file = "\(temporary)/\(a.candidateId)-\(item).flac"
      try writeMono(x, sampleRate: 16_000, to: file, encoding: .flac16)
      let sha = try store.put(fileAtPath: file, ext: "flac")
      unlink(file)
      recordings.append(
        StoredRecording(
          examId: exam, candidateId: a.candidateId, itemId: item, originalSha256: sha,
          originalName: "\(item).flac", storedSha256: sha, durationSeconds: Double(x.count) / 16_000,
          originalSampleRate: 16_000,
          originalChannels: 1, originalFormat: "FLAC/PCM_16", centreId: a.centreId, sessionId: a.sessionId,
          seatId: a.seatId,
          recordedAt: "2026-06-14T09:00:00+08:00", ingestedAt: Timestamp.now(), batchId: "bench"))
    }
  }
  _ = try db.insertAnswers(recordings: recordings, listening: [], audit: audit)
  let handle =
    FileHandle(forWritingAtPath: truth)
    ?? {
      FileManager.default.createFile(atPath: truth, contents: Data("rule,candidate,centre,room,seat\n".utf8))
      return FileHandle(forWritingAtPath: truth)!
    }()
  handle.seekToEndOfFile()
  handle.write(Data(truthLines.map { $0 + "\n" }.joined().utf8))
  handle.closeFile()
  print("\(recordings.count) recordings of \(allocation.count) candidates stored, \(truthLines.count) planted faults")
}
