/// An ingested spoken answer, as the store keeps it.
public struct StoredRecording: Sendable, Codable, Equatable {
  public var id: Int64?
  public var examId: String
  public var candidateId: String
  public var itemId: String
  /// 1 for the first recording; a different recording for the same candidate and item is version 2, …
  public var version: Int
  /// Whether this is the version that counts.
  public var isCurrent: Bool
  /// SHA-256 of the centre's original bytes (kept in the content store as `.orig`).
  public var originalSha256: String
  public var originalName: String
  /// SHA-256 of the 16 kHz mono 16-bit FLAC in the content store (`.flac`).
  public var storedSha256: String
  public var durationSeconds: Double
  public var originalSampleRate: Int
  public var originalChannels: Int
  /// libsndfile's container/encoding, e.g. `WAV/PCM_16`.
  public var originalFormat: String
  public var centreId: String
  public var sessionId: String?
  public var seatId: String?
  /// ISO 8601, from the seat machine.
  public var recordedAt: String
  public var ingestedAt: String
  public var batchId: String
  /// Accepted-but-flagged conditions: `silent`, `clipped`, `zero-run`, …
  public var flags: [String]

  public init(
    id: Int64? = nil, examId: String, candidateId: String, itemId: String, version: Int = 1, isCurrent: Bool = true,
    originalSha256: String, originalName: String, storedSha256: String, durationSeconds: Double,
    originalSampleRate: Int, originalChannels: Int, originalFormat: String, centreId: String,
    sessionId: String? = nil, seatId: String? = nil, recordedAt: String, ingestedAt: String, batchId: String,
    flags: [String] = []
  ) {
    self.id = id
    self.examId = examId
    self.candidateId = candidateId
    self.itemId = itemId
    self.version = version
    self.isCurrent = isCurrent
    self.originalSha256 = originalSha256
    self.originalName = originalName
    self.storedSha256 = storedSha256
    self.durationSeconds = durationSeconds
    self.originalSampleRate = originalSampleRate
    self.originalChannels = originalChannels
    self.originalFormat = originalFormat
    self.centreId = centreId
    self.sessionId = sessionId
    self.seatId = seatId
    self.recordedAt = recordedAt
    self.ingestedAt = ingestedAt
    self.batchId = batchId
    self.flags = flags
  }
}

/// A listening item's answer from a seat machine's log.
public struct ListeningAnswer: Sendable, Codable, Equatable {
  public var examId: String
  public var candidateId: String
  public var itemId: String
  public var choice: String
  public var answeredAt: String
  public var centreId: String
  public var batchId: String

  public init(
    examId: String, candidateId: String, itemId: String, choice: String, answeredAt: String,
    centreId: String, batchId: String
  ) {
    self.examId = examId
    self.candidateId = candidateId
    self.itemId = itemId
    self.choice = choice
    self.answeredAt = answeredAt
    self.centreId = centreId
    self.batchId = batchId
  }
}

/// A candidate's finalised result for one exam.
public struct CandidateResult: Sendable, Codable, Equatable {
  public var examId: String
  public var candidateId: String
  /// `YYYY-MM-DD` of the sitting.
  public var sittingDate: String
  /// Points, out of the exam's total.
  public var total: Double
  public var listening: Double
  public var speaking: Double
  /// Points per section id.
  public var sectionScores: [String: Double]
  /// Grade band (e.g. A/B/C/D).
  public var level: String
  public var finalisedAt: String

  /// The `level` of an allocated candidate who did not sit: no recording and no listening answer (缺考).
  public static let absentLevel = "absent"
  public var isAbsent: Bool { level == Self.absentLevel }

  public init(
    examId: String, candidateId: String, sittingDate: String, total: Double, listening: Double,
    speaking: Double, sectionScores: [String: Double], level: String, finalisedAt: String
  ) {
    self.examId = examId
    self.candidateId = candidateId
    self.sittingDate = sittingDate
    self.total = total
    self.listening = listening
    self.speaking = speaking
    self.sectionScores = sectionScores
    self.level = level
    self.finalisedAt = finalisedAt
  }
}
