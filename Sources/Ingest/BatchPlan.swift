import ExamCore
import ExamStorage
import Signing

/// The cheap checks, done before any audio is touched: every manifest and answers row against the exam, the
/// allocation and the files present. What passes becomes a `RecordingJob` or a listening answer to insert.
struct BatchPlan {
  var jobs: [RecordingJob] = []
  var listening: [ListeningAnswer] = []
  var listeningAlreadyStored = 0
  var refusals: [Refusal] = []

  struct Context {
    var exam: ExamDefinition
    var centreId: String
    var sessionId: String?
    var batchId: String
    var folder: String
    /// Regular files in the batch (relative paths), manifest.csv and answers.csv excluded.
    var files: Set<String>
    /// Entries already refused while unpacking, by relative name.
    var refusedEarlier: Set<String>
    var allocation: [String: SeatAssignment]
    var storedKeys: Set<String>
    var storedChoices: [String: String]
  }

  init(manifest: [ManifestRow], answers: [AnswerRow], context c: Context) {
    var pairs = Set<String>()
    var referenced = Set<String>()
    var claimed = Set<String>()
    for row in manifest {
      func refuse(_ reason: RefusalReason, _ message: String) {
        refusals.append(
          Refusal(
            file: row.file.isEmpty ? "manifest.csv" : row.file, line: row.line,
            candidateId: row.candidateId.isEmpty ? nil : row.candidateId, itemId: row.itemId.isEmpty ? nil : row.itemId,
            reason: reason, message: message))
      }
      let empty = [
        ("candidate", row.candidateId), ("item", row.itemId), ("file", row.file),
        ("recorded_at", row.recordedAt), ("sha256", row.sha256),
      ].filter { $0.1.isEmpty }.map(\.0)
      if !empty.isEmpty { refuse(.badRow, "empty column(s): \(empty.joined(separator: ", "))"); continue }
      guard let relative = BatchPath.safeRelative(row.file) else {
        refuse(.unsafePath, "the file path \(row.file.debugDescription) escapes the batch"); continue
      }
      referenced.insert(relative)
      guard Digest.isSHA256Hex(row.sha256) else {
        refuse(.badRow, "sha256 \(row.sha256.debugDescription) is not 64 hex digits"); continue
      }
      guard Timestamp.parse(row.recordedAt) != nil else {
        refuse(.badRow, "recorded_at \(row.recordedAt.debugDescription) is not an ISO 8601 time"); continue
      }
      guard pairs.insert(row.candidateId + "|" + row.itemId).inserted else {
        refuse(.duplicateRow, "candidate \(row.candidateId) and item \(row.itemId) are listed again"); continue
      }
      guard claimed.insert(relative).inserted else {
        refuse(.duplicateRow, "\(relative) is already the answer of another row"); continue
      }
      guard let item = c.exam.item(row.itemId) else {
        refuse(.unknownItem, "item \(row.itemId) is not in exam \(c.exam.id)"); continue
      }
      guard item.type.isSpoken else {
        refuse(
          .wrongItemType,
          "item \(row.itemId) is a listening item (\(item.type.rawValue)); it takes a choice in answers.csv, not a recording"
        )
        continue
      }
      if let reason = Self.allocationProblem(row.candidateId, c) { refuse(.notAllocated, reason); continue }
      guard c.files.contains(relative) else {
        if c.refusedEarlier.contains(relative) { continue }  // reported when unpacking
        refuse(.missingFile, "\(relative) is not in the batch"); continue
      }
      let seat = c.allocation[row.candidateId]
      var flags: [RecordingFlag] = []
      if let seat, !row.seat.isEmpty, row.seat != seat.seatId, row.seat != "\(seat.roomId)/\(seat.seatId)" {
        flags.append(.seatMismatch)
      }
      var fixed = row
      fixed.file = relative
      jobs.append(
        RecordingJob(
          row: fixed, sourcePath: c.folder + "/" + relative, minSeconds: item.minAnswerSeconds,
          maxSeconds: item.maxAnswerSeconds,
          knownInStore: c.storedKeys.contains("\(row.candidateId)|\(row.itemId)|\(row.sha256)"),
          extraFlags: flags, examId: c.exam.id, centreId: c.centreId, sessionId: seat?.sessionId,
          seatId: row.seat.isEmpty ? seat?.seatId : row.seat, batchId: c.batchId))
    }
    for file in c.files.subtracting(referenced).sorted() {
      refusals.append(Refusal(file: file, reason: .unlistedFile, message: "no manifest row names \(file)"))
    }
    checkAnswers(answers, c)
  }

  private mutating func checkAnswers(_ answers: [AnswerRow], _ c: Context) {
    var pairs = Set<String>()
    for a in answers {
      func refuse(_ reason: RefusalReason, _ message: String) {
        refusals.append(
          Refusal(
            file: "answers.csv", line: a.line, candidateId: a.candidateId.isEmpty ? nil : a.candidateId,
            itemId: a.itemId.isEmpty ? nil : a.itemId, reason: reason, message: message))
      }
      let empty = [
        ("candidate", a.candidateId), ("item", a.itemId), ("choice", a.choice), ("answered_at", a.answeredAt),
      ]
      .filter { $0.1.isEmpty }.map(\.0)
      if !empty.isEmpty { refuse(.badRow, "empty column(s): \(empty.joined(separator: ", "))"); continue }
      guard Timestamp.parse(a.answeredAt) != nil else {
        refuse(.badRow, "answered_at \(a.answeredAt.debugDescription) is not an ISO 8601 time"); continue
      }
      guard a.choice.count <= 16, a.choice.allSatisfy({ $0.isLetter || $0.isNumber }) else {
        refuse(.badRow, "choice \(a.choice.debugDescription) is not a choice label such as A, B, C or D"); continue
      }
      guard pairs.insert(a.candidateId + "|" + a.itemId).inserted else {
        refuse(.duplicateRow, "candidate \(a.candidateId) and item \(a.itemId) are listed again"); continue
      }
      guard let item = c.exam.item(a.itemId) else {
        refuse(.unknownItem, "item \(a.itemId) is not in exam \(c.exam.id)"); continue
      }
      guard !item.type.isSpoken else {
        refuse(
          .wrongItemType,
          "item \(a.itemId) is a spoken item (\(item.type.rawValue)); it takes a recording in manifest.csv")
        continue
      }
      if let reason = Self.allocationProblem(a.candidateId, c) { refuse(.notAllocated, reason); continue }
      if let stored = c.storedChoices["\(a.candidateId)|\(a.itemId)"] {
        if stored == a.choice {
          listeningAlreadyStored += 1
        } else {
          refuse(.answerConflict, "choice \(a.choice) differs from the stored choice \(stored)")
        }
        continue
      }
      listening.append(
        ListeningAnswer(
          examId: c.exam.id, candidateId: a.candidateId, itemId: a.itemId, choice: a.choice,
          answeredAt: a.answeredAt, centreId: c.centreId, batchId: c.batchId))
    }
  }

  /// Why `candidateId` may not answer at this centre (and session), or nil when allocated here.
  static func allocationProblem(_ candidateId: String, _ c: Context) -> String? {
    guard let seat = c.allocation[candidateId] else {
      return "candidate \(candidateId) has no seat in exam \(c.exam.id)"
    }
    if seat.centreId != c.centreId {
      return "candidate \(candidateId) is allocated to centre \(seat.centreId), not \(c.centreId)"
    }
    if let session = c.sessionId, seat.sessionId != session {
      return "candidate \(candidateId) sits in session \(seat.sessionId), not \(session)"
    }
    return nil
  }
}
