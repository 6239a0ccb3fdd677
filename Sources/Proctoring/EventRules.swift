import ExamCore
import ExamStorage

/// The rules over seat-machine events: wrong seat, machine down, timing, identity and mic-check faults.
///
/// Rooms are evaluated one at a time (`evaluate(room:events:)`), so memory holds one room's events; the
/// only cross-room rule (the same candidate on two seats) keeps one small presence record per login and
/// is settled by `finish()`.
public struct EventRules: Sendable {
  public let context: SittingContext
  public let settings: RuleSettings
  public private(set) var incidents: [Incident] = []
  /// candidate → where and when they were seen (one entry per seat and session).
  private var presence: [String: [Presence]] = [:]
  /// "candidate|session" → the candidate's first login anywhere in that session.
  private var firstLogins:
    [String: (event: SeatEvent, window: SittingContext.SessionWindow, seat: (String, String, String))] = [:]

  struct Presence: Sendable {
    var session: String
    var seat: String
    var first: Double
    var last: Double
    var eventId: Int64?
  }

  public init(context: SittingContext, settings: RuleSettings = RuleSettings()) {
    self.context = context
    self.settings = settings
  }

  /// Evaluates one room's events (time order).
  public mutating func evaluate(room: ProctoringRoom, events: [SeatEvent]) {
    var bySession: [String: [SeatEvent]] = [:]
    var windows: [String: SittingContext.SessionWindow] = [:]
    for e in events {
      guard let w = context.session(at: e.at, settings: settings) else { continue }
      bySession[w.session.id, default: []].append(e)
      windows[w.session.id] = w
    }
    for (sessionId, sessionEvents) in bySession.sorted(by: { $0.key < $1.key }) {
      guard let window = windows[sessionId] else { continue }
      evaluate(room: room, window: window, events: sessionEvents)
    }
  }

  /// Settles the cross-room rules and returns every incident found.
  public mutating func finish() -> [Incident] {
    for (candidate, seen) in presence.sorted(by: { $0.key < $1.key }) where seen.count > 1 {
      for (i, a) in seen.enumerated() {
        for b in seen[(i + 1)...]
        where a.session == b.session && a.seat != b.seat && a.first <= b.last && b.first <= a.last {
          let parts = b.seat.split(separator: "|").map(String.init)
          add(
            rule: "two-seats", key: "two-seats:\(candidate):\(a.session)", .examinee, "seating", .high,
            session: a.session, seat: parts.count == 3 ? (parts[0], parts[1], parts[2]) : nil, candidate: candidate,
            at: b.first,
            comment:
              "candidate \(candidate) active on two seats at once: \(a.seat.replacingAll("|", with: "/")) and \(b.seat.replacingAll("|", with: "/"))",
            evidence: [a.eventId, b.eventId].compactMap { $0.map { "event:\($0)" } })
        }
      }
    }
    for (_, first) in firstLogins.sorted(by: { $0.key < $1.key }) {
      let (e, window, seat) = first
      guard let c = e.candidateId, context.assignmentByCandidate[c] != nil,
        e.at > window.start + settings.lateLoginGraceSeconds
      else { continue }
      add(
        rule: "late-login", key: "late-login:\(c):\(window.session.id)", .examinee, "late", .low,
        session: window.session.id,
        seat: seat, candidate: c, at: e.at,
        comment:
          "candidate \(c) logged in at \(SittingContext.clock(e.at)), \(Int((e.at - window.start) / 60)) min after the start \(window.session.start)",
        evidence: e.id.map { ["event:\($0)"] } ?? [])
    }
    presence = [:]
    firstLogins = [:]
    return incidents
  }

  // MARK: - Implementation details

  private mutating func add(
    rule: String, key: String, _ category: Incident.Category, _ subcategory: String,
    _ severity: Incident.Severity, session: String?, seat: (String, String, String)?, candidate: String?, at: Double?,
    comment: String, evidence: [String], suggestion: String? = nil
  ) {
    incidents.append(
      Incident(
        examId: context.exam.id, key: key, rule: rule, category: category, subcategory: subcategory,
        severity: severity, sessionId: session, centreId: seat?.0, roomId: seat?.1, seatId: seat?.2,
        candidateId: candidate,
        at: at, comment: comment, evidence: evidence, suggestion: suggestion))
  }

  private mutating func evaluate(room: ProctoringRoom, window: SittingContext.SessionWindow, events: [SeatEvent]) {
    let session = window.session.id
    var bySeat: [String: [SeatEvent]] = [:]
    for e in events { bySeat[e.seatId, default: []].append(e) }
    let roomEnd = events.last?.at ?? window.end
    let busySeats = Set(events.filter { $0.type == .login }.map(\.seatId))
    let freeReserves = (context.reserveSeats[room] ?? []).filter {
      !busySeats.contains($0) && context.occupantBySeat["\(session)|\(room.centreId)|\(room.roomId)|\($0)"] == nil
    }
    for (seatId, seatEvents) in bySeat.sorted(by: { $0.key < $1.key }) {
      evaluateSeat(
        room: room, seatId: seatId, window: window, events: seatEvents, roomEnd: roomEnd, freeReserves: freeReserves)
    }
    // Session overrun: work (not heartbeats) after the end.
    let late = events.filter {
      $0.at > window.end + settings.overrunGraceSeconds && $0.type != .heartbeat && $0.type != .logout
    }
    if let first = late.first {
      let lastAt = late.last?.at ?? first.at
      add(
        rule: "session-overrun", key: "session-overrun:\(session):\(room.centreId)/\(room.roomId)", .proctorStaff,
        "timing",
        .medium, session: session, seat: (room.centreId, room.roomId, first.seatId), candidate: nil, at: first.at,
        comment:
          "room \(room.centreId)/\(room.roomId) still working \(Int((lastAt - window.end) / 60)) min after the session's end \(window.session.end) (\(late.count) events)",
        evidence: late.prefix(5).compactMap { $0.id.map { "event:\($0)" } })
    }
  }

  private mutating func evaluateSeat(
    room: ProctoringRoom, seatId: String, window: SittingContext.SessionWindow,
    events: [SeatEvent], roomEnd: Double, freeReserves: [String]
  ) {
    let session = window.session.id
    let seat = (room.centreId, room.roomId, seatId)
    let seatName = "\(room.centreId)/\(room.roomId)/\(seatId)"
    let ev: (SeatEvent) -> [String] = { e in e.id.map { ["event:\($0)"] } ?? [] }
    var loginCandidates: [String] = []
    var firstLogin: [String: SeatEvent] = [:]
    var openItems: [String: SeatEvent] = [:]  // item → its item-start
    var itemsEnded: [String: Set<String>] = [:]  // candidate → items
    var idChecks: [String: [SeatEvent]] = [:]
    var loginAt: Double?
    var lastAlive: SeatEvent?
    var lowMicSeen = Set<String>()
    var seen: [String: Presence] = [:]
    let gap = GapPlace(session: session, seat: seat, seatName: seatName, room: room, freeReserves: freeReserves)

    for e in events {
      if let c = e.candidateId {
        if var p = seen[c] {
          p.last = e.at
          seen[c] = p
        } else {
          seen[c] = Presence(
            session: session, seat: "\(room.centreId)|\(room.roomId)|\(seatId)", first: e.at, last: e.at, eventId: e.id)
        }
      }
      switch e.type {
      case .login:
        guard let c = e.candidateId else { break }
        if loginAt == nil {
          loginAt = e.at
          lastAlive = e
        }
        if !loginCandidates.contains(c) { loginCandidates.append(c) }
        if firstLogin[c] == nil {
          firstLogin[c] = e
          checkSeat(candidate: c, login: e, window: window, seat: seat, seatName: seatName)
        }
      case .heartbeat:
        if loginAt != nil, let last = lastAlive { heartbeatGap(from: last, to: e.at, next: e, gap) }
        if loginAt != nil { lastAlive = e }
      case .idCheck:
        if let c = e.candidateId { idChecks[c, default: []].append(e) }
      case .micCheck:
        if let level = e.level, level < settings.minMicLevelDb, !lowMicSeen.contains(e.machineId) {
          lowMicSeen.insert(e.machineId)
          add(
            rule: "mic-level-low", key: "mic-level-low:\(session):\(e.machineId)", .technical, "microphone", .medium,
            session: session, seat: seat, candidate: e.candidateId, at: e.at,
            comment: "mic check at \(seatName) measured \(level) dBFS, below \(settings.minMicLevelDb) dBFS",
            evidence: ev(e),
            suggestion: "check or replace the headset before recording")
        }
      case .itemStart:
        if let item = e.itemId { openItems[item] = e }
      case .itemEnd:
        guard let item = e.itemId, let c = e.candidateId else { break }
        itemsEnded[c, default: []].insert(item)
        if let start = openItems.removeValue(forKey: item), let prompt = context.promptSeconds[item],
          e.at - start.at < prompt
        {
          add(
            rule: "item-too-fast", key: "item-too-fast:\(c):\(item)", .examinee, "timing", .medium, session: session,
            seat: seat,
            candidate: c, at: e.at,
            comment:
              "item \(item) answered \(String(format1: e.at - start.at)) s after it started; its prompt plays \(String(format1: prompt)) s",
            evidence: ev(start) + ev(e))
        }
      case .recordingSaved:
        if let item = e.itemId { openItems.removeValue(forKey: item) }
      case .networkLost:
        if let (item, start) = openItems.first(where: { context.speakingItems.contains($0.key) }) {
          add(
            rule: "network-loss-recording", key: "network-loss-recording:\(e.machineId):\(e.seq)", .technical,
            "network", .high,
            session: session, seat: seat, candidate: e.candidateId ?? start.candidateId, at: e.at,
            comment: "network lost at \(seatName) while recording item \(item)", evidence: ev(start) + ev(e),
            suggestion: "check the recording of \(item); allow a re-take if it is incomplete")
        }
      case .clientCrash:
        add(
          rule: "client-crash", key: "client-crash:\(e.machineId):\(e.seq)", .technical, "testing workstation", .high,
          session: session, seat: seat, candidate: e.candidateId, at: e.at,
          comment: "exam client crashed on \(e.machineId) at \(seatName)", evidence: ev(e),
          suggestion: openItems.isEmpty
            ? nil : "items open at the crash: \(openItems.keys.sorted().joined(separator: ", "))")
        openItems = [:]
      case .logout:
        if let last = lastAlive, loginAt != nil { heartbeatGap(from: last, to: e.at, next: e, gap) }
        if let c = e.candidateId, let a = context.assignmentByCandidate[c], a.centreId == room.centreId,
          a.roomId == room.roomId,
          a.seatId == seatId
        {
          let done = itemsEnded[c]?.count ?? 0
          if done < context.exam.items.count && e.at < window.end {
            add(
              rule: "early-finish", key: "early-finish:\(c):\(session)", .examinee, "early finish", .medium,
              session: session,
              seat: seat, candidate: c, at: e.at,
              comment:
                "candidate \(c) logged out at \(SittingContext.clock(e.at)) after \(done) of \(context.exam.items.count) items, \(Int((window.end - e.at) / 60)) min before the end",
              evidence: ev(e))
          }
        }
        loginAt = nil
        lastAlive = nil
      case .networkRestored:
        break
      }
    }
    // A machine that went silent and never logged out.
    if loginAt != nil, let last = lastAlive { heartbeatGap(from: last, to: min(window.end, roomEnd), next: nil, gap) }
    if loginCandidates.count > 1 {
      add(
        rule: "two-candidates", key: "two-candidates:\(session):\(seatName)", .examinee, "seating", .high,
        session: session,
        seat: seat, candidate: loginCandidates[1], at: firstLogin[loginCandidates[1]]?.at,
        comment:
          "\(loginCandidates.count) candidates logged in at \(seatName): \(loginCandidates.joined(separator: ", "))",
        evidence: loginCandidates.compactMap { firstLogin[$0]?.id.map { "event:\($0)" } })
    }
    for (c, checks) in idChecks.sorted(by: { $0.key < $1.key }) {
      guard let lastFail = checks.lastIndex(where: { $0.passed == false }) else { continue }
      if checks[(lastFail + 1)...].contains(where: { $0.passed == true }) { continue }
      add(
        rule: "id-check-failed", key: "id-check-failed:\(c):\(session)", .examinee, "ID/authorisation", .high,
        session: session,
        seat: seat, candidate: c, at: checks[lastFail].at,
        comment: "identity check of \(c) at \(seatName) failed and was not passed later", evidence: checks.flatMap(ev),
        suggestion: "check the candidate's ID card against the roster photo")
    }
    for (c, p) in seen where context.candidateIds.contains(c) { presence[c, default: []].append(p) }
  }

  struct GapPlace {
    var session: String
    var seat: (String, String, String)
    var seatName: String
    var room: ProctoringRoom
    var freeReserves: [String]
  }

  private mutating func heartbeatGap(from: SeatEvent, to: Double, next: SeatEvent?, _ place: GapPlace) {
    let gap = to - from.at
    guard gap > settings.heartbeatGapSeconds else { return }
    let room = place.room
    let suggestion = place.freeReserves.first.map {
      "reseat to reserve seat \(room.centreId)/\(room.roomId)/\($0) (exam proctor resolve ID --action reseat --seat \($0))"
    }
    add(
      rule: "no-heartbeat", key: "no-heartbeat:\(from.machineId):\(from.seq)", .technical, "testing workstation", .high,
      session: place.session, seat: place.seat, candidate: from.candidateId, at: from.at,
      comment:
        "machine \(from.machineId) at \(place.seatName) silent for \(Int(gap)) s from \(SittingContext.clock(from.at))",
      evidence: (from.id.map { ["event:\($0)"] } ?? []) + (next?.id.map { ["event:\($0)"] } ?? []),
      suggestion: suggestion ?? "no free reserve seat in this room")
  }

  private mutating func checkSeat(
    candidate c: String, login e: SeatEvent, window: SittingContext.SessionWindow,
    seat: (String, String, String), seatName: String
  ) {
    let session = window.session.id
    let ev = e.id.map { ["event:\($0)"] } ?? []
    guard context.candidateIds.contains(c) else {
      add(
        rule: "unknown-candidate", key: "unknown-candidate:\(c):\(seatName)", .examinee, "ID/authorisation", .high,
        session: session, seat: seat, candidate: c, at: e.at,
        comment: "login as \(c) at \(seatName): no such candidate",
        evidence: ev, suggestion: "check the admission ticket; remove the person if not registered")
      return
    }
    let sessionKey = "\(c)|\(session)"
    if firstLogins[sessionKey].map({ e.at < $0.event.at }) ?? true { firstLogins[sessionKey] = (e, window, seat) }
    guard let a = context.assignmentByCandidate[c] else {
      add(
        rule: "unknown-candidate", key: "unknown-candidate:\(c):\(seatName)", .examinee, "ID/authorisation", .high,
        session: session, seat: seat, candidate: c, at: e.at,
        comment: "candidate \(c) logged in at \(seatName) but has no seat in exam \(context.exam.id)", evidence: ev)
      return
    }
    if (a.centreId, a.roomId, a.seatId) != seat || a.sessionId != session {
      add(
        rule: "wrong-seat", key: "wrong-seat:\(c):\(seatName)", .examinee, "seating", .medium, session: session,
        seat: seat,
        candidate: c, at: e.at,
        comment:
          "candidate \(c) logged in at \(seatName) (session \(session)); allocated \(a.centreId)/\(a.roomId)/\(a.seatId) (session \(a.sessionId))",
        evidence: ev, suggestion: "move the candidate to \(a.centreId)/\(a.roomId)/\(a.seatId), or confirm the change")
    }
  }
}
