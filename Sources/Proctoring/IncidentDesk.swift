import ExamCore
import ExamStorage

/// Decisions on incidents: every decision is stored with who, when and why, and audited with it.
public struct IncidentDesk: Sendable {
  public let database: ExamDatabase

  public init(database: ExamDatabase) { self.database = database }

  /// Records `action` on incident `id`.
  ///
  /// `reseat` moves the candidate's allocation to `seat` (`SEAT` in the incident's room, or
  /// `CENTRE/ROOM/SEAT`), or when `seat` is nil to the first reserve seat of the incident's room that is free
  /// in that session — in the same transaction as the decision.
  /// - Throws: `ExamError.notFound` (no such incident), `.invalidInput` (empty reason, bad seat),
  ///   `.state` (no free reserve seat), `.conflict` (seat taken).
  public func resolve(id: Int64, action: IncidentDecision.Action, reason: String, operator name: String, seat: String? = nil,
    audit: AuditEntry) throws -> IncidentDecision
  {
    let reason = reason.trimmingSpaces()
    guard !reason.isEmpty else {
      throw ExamError(.invalidInput, location: "--reason", "a decision needs a reason", fix: "say why, e.g. --reason \"machine replaced\"")
    }
    guard let incident = try database.incident(id: id) else {
      throw ExamError(.notFound, location: "incident \(id)", "no such incident", fix: "list incidents with `exam proctor incidents`")
    }
    var target: (centreId: String, roomId: String, seatId: String)?
    if action == .reseat {
      target = try reseatTarget(incident, seat: seat)
    } else if seat != nil {
      throw ExamError(.usage, location: "--seat", "only --action reseat takes a seat", fix: "drop --seat or use --action reseat")
    }
    let decision = IncidentDecision(incidentId: id, action: action, reason: reason, operator: name, at: Timestamp.now())
    return try database.decideIncident(decision, reseatTo: target, audit: audit)
  }

  func reseatTarget(_ incident: Incident, seat: String?) throws -> (centreId: String, roomId: String, seatId: String) {
    guard let centreId = incident.centreId, let roomId = incident.roomId else {
      throw ExamError(.invalidInput, location: "incident \(incident.id ?? 0)", "has no room to reseat in",
        fix: "give the seat as --seat CENTRE/ROOM/SEAT")
    }
    let centres = try database.centres()
    func exists(_ c: String, _ r: String, _ s: String) -> Bool {
      centres.first { $0.id == c }?.rooms.first { $0.id == r }?.seats.contains { $0.id == s } ?? false
    }
    if let seat {
      let parts = seat.split(separator: "/").map(String.init)
      let t = parts.count == 3 ? (parts[0], parts[1], parts[2]) : (centreId, roomId, seat)
      guard exists(t.0, t.1, t.2) else {
        throw ExamError(.invalidInput, location: "--seat", "seat \(t.0)/\(t.1)/\(t.2) does not exist",
          fix: "name a seat of the room, e.g. one of its reserve seats")
      }
      return t
    }
    let taken = Set(try database.allocation(examId: incident.examId).filter { $0.sessionId == incident.sessionId }
      .map { "\($0.centreId)/\($0.roomId)/\($0.seatId)" })
    let used = Set(try database.seatEvents(examId: incident.examId, room: ProctoringRoom(centreId: centreId, roomId: roomId))
      .filter { $0.type == .login && $0.candidateId != incident.candidateId }.map(\.seatId))
    let reserves = centres.first { $0.id == centreId }?.rooms.first { $0.id == roomId }?.seats.filter(\.reserve) ?? []
    guard let free = reserves.first(where: { !taken.contains("\(centreId)/\(roomId)/\($0.id)") && !used.contains($0.id) }) else {
      throw ExamError(.state, location: "room \(centreId)/\(roomId)", "has no free reserve seat",
        fix: "name a seat in another room with --seat CENTRE/ROOM/SEAT")
    }
    return (centreId, roomId, free.id)
  }
}
