import Allocation
import ExamCore
import ExamStorage

/// Decisions on incidents: every decision is stored with who, when and why, and audited with it.
public struct IncidentDesk: Sendable {
  public let store: any ProctoringStore

  public init(store: any ProctoringStore) { self.store = store }

  /// Records `action` on incident `id`.
  ///
  /// `reseat` moves the incident's candidate through Allocation's `Reseater` — the rule `exam allocate reseat`
  /// follows: their seat is logged failed for the session, and they go to `seat` (`SEAT` in the incident's room, or
  /// `CENTRE/ROOM/SEAT`) or, when `seat` is nil, to the best free reserve seat (same room first; accessible room
  /// when needed; never a failed seat or one another candidate logged in at) — in the same transaction as the decision.
  /// - Throws: `ExamError.notFound` (no such incident), `.invalidInput` (empty reason, bad seat),
  ///   `.state` (no candidate to move, no free reserve seat), `.conflict` (seat taken or failed).
  public func resolve(
    id: Int64, action: IncidentDecision.Action, reason: String, operator name: String, seat: String? = nil,
    audit: AuditEntry
  ) async throws -> IncidentDecision {
    let reason = reason.trimmingSpaces()
    guard !reason.isEmpty else {
      throw ExamError(
        .invalidInput, location: "--reason", "a decision needs a reason",
        fix: "say why, e.g. --reason \"machine replaced\"")
    }
    guard let incident = try await store.incident(id: id) else {
      throw ExamError(
        .notFound, location: "incident \(id)", "no such incident", fix: "list incidents with `exam proctor incidents`")
    }
    guard action == .reseat || seat == nil else {
      throw ExamError(
        .usage, location: "--seat", "only --action reseat takes a seat", fix: "drop --seat or use --action reseat")
    }
    let decision = IncidentDecision(incidentId: id, action: action, reason: reason, operator: name, at: Timestamp.now())
    guard action == .reseat else { return try await store.decideIncident(decision, audit: audit) }
    return try await reseat(incident, seat: seat, decision: decision, audit: audit)
  }

  func reseat(_ incident: Incident, seat: String?, decision: IncidentDecision, audit: AuditEntry) async throws
    -> IncidentDecision
  {
    guard let candidateId = incident.candidateId else {
      throw ExamError(
        .state, location: "incident \(decision.incidentId)", "names no allocated candidate to reseat",
        fix: "use --action confirm, or reseat with `exam allocate reseat`")
    }
    var target: Reseater.SeatRef?
    if let seat {
      let parts = seat.split(separator: "/").map(String.init)
      if parts.count == 3 {
        target = Reseater.SeatRef(centreId: parts[0], roomId: parts[1], seatId: parts[2])
      } else if let centreId = incident.centreId, let roomId = incident.roomId {
        target = Reseater.SeatRef(centreId: centreId, roomId: roomId, seatId: seat)
      } else {
        throw ExamError(
          .invalidInput, location: "incident \(incident.id ?? 0)", "has no room to reseat in",
          fix: "give the seat as --seat CENTRE/ROOM/SEAT")
      }
    }
    // Seats another candidate logged in at are in use, whatever the plan says.
    var occupied: Set<Reseater.SeatRef> = []
    if let centreId = incident.centreId, let roomId = incident.roomId {
      for e in try await store.seatEvents(
        examId: incident.examId, room: ProctoringRoom(centreId: centreId, roomId: roomId))
      where e.type == .login && e.candidateId != candidateId {
        occupied.insert(Reseater.SeatRef(centreId: centreId, roomId: roomId, seatId: e.seatId))
      }
    }
    let move = try await Reseater(database: store).reseat(
      examId: incident.examId, candidateId: candidateId, reason: decision.reason,
      to: target, avoiding: occupied, decision: decision
    ) { summary in
      var line = audit
      line.summary += (line.summary.isEmpty ? "" : ": ") + summary
      return line
    }
    return move.decision ?? decision
  }
}
