import ExamCore
import ExamStorage

/// What the rules need to know about a sitting: the exam, its sessions in local seconds, who sits where,
/// and which seats are reserves. Loaded once from the store.
public struct SittingContext: Sendable {
  public struct SessionWindow: Sendable {
    public var session: ExamSession
    /// Local wall-clock seconds since 1970 (same clock as `SeatEvent.at`).
    public var start: Double
    public var end: Double
  }

  public var exam: ExamDefinition
  public var sessions: [SessionWindow]
  public var candidateIds: Set<String>
  public var assignmentByCandidate: [String: SeatAssignment]
  /// "session|centre|room|seat" → candidate.
  public var occupantBySeat: [String: String]
  public var reserveSeats: [ProctoringRoom: [String]]
  public var speakingItems: Set<String>
  public var promptSeconds: [String: Double]

  public init(
    exam: ExamDefinition, sessions: [ExamSession], candidateIds: Set<String>, allocation: [SeatAssignment],
    centres: [Centre]
  ) {
    self.exam = exam
    self.sessions = sessions.compactMap { s in
      guard let start = Self.localSeconds(date: s.date, time: s.start),
        let end = Self.localSeconds(date: s.date, time: s.end)
      else { return nil }
      return SessionWindow(session: s, start: start, end: end)
    }.sorted { $0.start < $1.start }
    self.candidateIds = candidateIds
    var byCandidate: [String: SeatAssignment] = [:]
    var bySeat: [String: String] = [:]
    for a in allocation {
      byCandidate[a.candidateId] = a
      bySeat["\(a.sessionId)|\(a.centreId)|\(a.roomId)|\(a.seatId)"] = a.candidateId
    }
    assignmentByCandidate = byCandidate
    occupantBySeat = bySeat
    var reserves: [ProctoringRoom: [String]] = [:]
    for centre in centres {
      for room in centre.rooms {
        reserves[ProctoringRoom(centreId: centre.id, roomId: room.id)] = room.seats.filter(\.reserve).map(\.id).sorted()
      }
    }
    reserveSeats = reserves
    speakingItems = Set(exam.sections.filter { $0.part == .speaking }.flatMap { $0.items.map(\.id) })
    var prompts: [String: Double] = [:]
    for item in exam.items { if let p = item.promptSeconds { prompts[item.id] = p } }
    promptSeconds = prompts
  }

  /// Loads everything from the store.
  /// - Throws: `ExamError.notFound` for an unknown exam.
  public static func load(_ store: any SittingStore, examId: String) async throws -> SittingContext {
    let exam = try await store.requireExam(id: examId)
    return SittingContext(
      exam: exam, sessions: try await store.sessions(), candidateIds: Set(try await store.candidates().map(\.id)),
      allocation: try await store.allocation(examId: examId), centres: try await store.centres())
  }

  /// The session an event at `at` belongs to: the one whose window (with slack) holds it, nearest start first.
  public func session(at: Double, settings: RuleSettings) -> SessionWindow? {
    var best: SessionWindow?
    for w in sessions
    where at >= w.start - settings.sessionSlackBeforeSeconds && at <= w.end + settings.sessionSlackAfterSeconds {
      if best == nil || abs(at - w.start) < abs(at - best!.start) { best = w }
    }
    return best
  }

  /// `date` `YYYY-MM-DD` and `time` `HH:MM` as local seconds since 1970.
  static func localSeconds(date: String, time: String) -> Double? {
    Timestamp.parse(date + "T" + time + ":00Z")
  }

  /// `HH:MM:SS` of local seconds.
  public static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded(.down)) % 86_400
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
  }

  /// `YYYY-MM-DD HH:MM:SS` of local seconds.
  public static func dateTime(_ seconds: Double) -> String {
    let utc = Timestamp.format(epochSeconds: Int(seconds.rounded(.down)))
    return String(utc.prefix(10)) + " " + clock(seconds)
  }
}
