// Usage: desk-bench-seed DIR [ANSWERS [RATERS]] — a store for Tools/bench-desk.sh: the sample exam plus an open
// item O1 (4 points), ANSWERS candidates in 20 schools with one spoken answer each (the same 15 s synthetic FLAC),
// machine scores that send every answer to people, RATERS raters (R001…, 20 schools) with desk accounts whose
// password is `password-<id>` (bcrypt cost 4: a test store, never production), and the double-marking plan.
// Writes DIR/exam.sqlite (or, with $DESK_DB=postgres://…, that migrated database) and DIR/store/; prints the number of
// assignments. `desk-bench-seed verify DIR` checks the store after the load: prints JSON with the assignments, the human marks,
// the answers not marked exactly twice (by their two assigned raters) and marks by raters not assigned; exit 1 if any.
import AudioIO
import ExamCore
import ExamStorage
import Foundation
import MarkingServer
import Scoring
import _ExamTestSupport

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  FileHandle.standardError.write(Data("usage: desk-bench-seed DIR [ANSWERS [RATERS]]\n".utf8))
  exit(64)
}
/// The store: DIR/exam.sqlite, or the PostgreSQL database $DESK_DB names.
func open(_ dir: String) async throws -> any ServerStore {
  guard let url = ProcessInfo.processInfo.environment["DESK_DB"], !url.isEmpty else {
    return try ExamDatabase(path: dir + "/exam.sqlite")
  }
  return try await PostgresStore.connect(url: url, migrate: true)
}

if arguments[1] == "verify", arguments.count == 3 {
  let database = try await open(arguments[2])
  let assignments = try await database.assignments(examId: "E1")
  let human = try await database.marks(examId: "E1").filter { $0.kind == .human }
  let marksByAnswer = Dictionary(grouping: human, by: \.recordingId)
  let assignedByAnswer = Dictionary(grouping: assignments, by: \.recordingId)
  let notTwice = assignedByAnswer.filter { id, list in
    Set((marksByAnswer[id] ?? []).map(\.raterId)) != Set(list.map(\.raterId)) || (marksByAnswer[id] ?? []).count != 2
  }.count
  let unassigned = human.filter { m in !(assignedByAnswer[m.recordingId] ?? []).contains { $0.raterId == m.raterId } }
    .count
  let status = try await MarkingDesk(store: database, contentStore: ContentStore(root: arguments[2] + "/store")).status(
    examId: "E1")
  print(
    "{\"answers\":\(assignedByAnswer.count),\"assignments\":\(assignments.count),\"humanMarks\":\(human.count),"
      + "\"answersNotMarkedExactlyTwice\":\(notTwice),\"marksByUnassignedRaters\":\(unassigned),"
      + "\"final\":\(status.final),\"awaitingArbitration\":\(status.awaitingArbitration),\"awaitingMarks\":\(status.awaitingMarks)}"
  )
  exit(notTwice == 0 && unassigned == 0 && human.count == assignments.count ? 0 : 1)
}
let dir = arguments[1]
let answers = arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000
let raterCount = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
let audit = AuditEntry(
  at: Timestamp.now(), operator: "desk-bench-seed", command: "seed", arguments: "", summary: "bench store")
let database = try await open(dir)
let store = ContentStore(root: dir + "/store")
var exam = SampleData.exam()
exam.sections[1].items.append(
  ItemDefinition(
    id: "O1", type: .pictureTalk, points: 4, promptText: "Talk about the picture.",
    minAnswerSeconds: 0.5, maxAnswerSeconds: 60,
    rubric: Rubric(criteria: [.init(name: "content", points: 2), .init(name: "language", points: 2)], tolerance: 1)))
exam.sections[1].points = 5
_ = try await database.importExam(exam, audit: audit)
let candidates = (1...answers).map { SampleData.candidate($0, school: "S\(($0 - 1) % 20 + 1)") }
_ = try await database.importCandidates(candidates, audit: audit)
try writeMono(
  SyntheticSpeech.voice(seed: 3).speak(seconds: 15, seed: 3), sampleRate: 16_000, to: dir + "/answer.flac",
  encoding: .flac16)
let sha = try store.put(fileAtPath: dir + "/answer.flac", ext: "flac")
_ = try await database.insertAnswers(
  recordings: candidates.map { c in
    StoredRecording(
      examId: "E1", candidateId: c.id, itemId: "O1", originalSha256: sha, originalName: "\(c.id).wav",
      storedSha256: sha,
      durationSeconds: 15, originalSampleRate: 16_000, originalChannels: 1, originalFormat: "WAV/PCM_16",
      centreId: "T1",
      recordedAt: audit.at, ingestedAt: audit.at, batchId: "B1")
  }, listening: [], audit: audit)
_ = try await database.saveMachineScores(
  try await database.recordings(examId: "E1", currentOnly: true).map { r in
    MachineScore(
      recordingId: r.id!, examId: "E1", candidateId: r.candidateId, itemId: r.itemId,
      features: ["duration_s": 15, "speech_s": 11, "pause_count": 4], aspects: [:], points: 2, confidence: 0.3,
      needsHuman: true,
      reason: "open answer", modelVersion: "bench", scoredAt: audit.at)
  }, finalRecordingIds: [], audit: audit)
var list = "rater_id,name,school\n"
for i in 1...raterCount { list += "R\(String(format: "%03d", i)),Rater \(i),S\((i - 1) % 20 + 1)\n" }
try list.write(toFile: dir + "/raters.csv", atomically: true, encoding: .utf8)
let raters = try await RaterAccounts.importList(path: dir + "/raters.csv", arbiters: [], into: database, audit: audit)
for r in raters {
  try await RaterAccounts.setPassword(
    raterId: r.id, password: "password-\(r.id)", hashing: PasswordHashing(cost: PasswordHashing.minimumCost),
    in: database, audit: audit)
}
_ = try await MarkingDesk(store: database, contentStore: store).plan(examId: "E1", raters: raters, audit: audit)
print(try await database.assignments(examId: "E1").count)
