import ExamCore
import ExamStorage

/// Moves a candidate off a failed seat to a free reserve seat: the same room first, else another room of
/// the same centre; nobody else moves. A seat reported failed is never used again in that session, so a
/// second failure (of the reserve seat the candidate was moved to) moves them again.
public struct Reseater: Sendable {
  /// What a reseat did.
  public enum Outcome: Sendable, Equatable {
    /// The candidate was moved; the failure record names the new seat.
    case moved(SeatFailure)
    /// Nobody sat there; the seat is logged failed so no one is moved onto it.
    case emptySeatLogged(SeatFailure)
    /// The seat had already been reported failed; nothing changed.
    case alreadyReported(SeatFailure)

    public var failure: SeatFailure {
      switch self {
      case .moved(let f), .emptySeatLogged(let f), .alreadyReported(let f): f
      }
    }
  }

  public let database: ExamDatabase
  public init(database: ExamDatabase) { self.database = database }

  /// Reports seat `seatId` of room `roomId` failed in `sessionId` and reseats its candidate.
  /// - Parameter centreId: needed only when several centres have a room called `roomId`.
  /// - Throws: `ExamError.notFound` for an unknown exam, session, room or seat; `.usage` for an ambiguous room;
  ///   `.state` when no reserve seat is free in the room or centre.
  public func reseat(examId: String, sessionId: String, centreId: String?, roomId: String, seatId: String,
    reason: String, audit: (String) -> AuditEntry) throws -> Outcome
  {
    _ = try database.requireExam(id: examId)
    guard try database.sessions().contains(where: { $0.id == sessionId }) else {
      throw ExamError(.notFound, location: "session \(sessionId)", "is not a session of this sitting",
        fix: "use a session id from the centres file")
    }
    let centres = try database.centres()
    let matches = centres.filter { c in (centreId == nil || c.id == centreId) && c.rooms.contains { $0.id == roomId } }
    guard let centre = matches.first else {
      throw ExamError(.notFound, location: "room \(roomId)", "is not a room\(centreId.map { " of centre \($0)" } ?? "")",
        fix: "use a room id from the centres file")
    }
    guard matches.count == 1 else {
      throw ExamError(.usage, location: "room \(roomId)", "exists in centres \(matches.map(\.id).joined(separator: ", "))",
        fix: "add --centre ID")
    }
    let room = centre.rooms.first { $0.id == roomId }!
    guard let failedSeat = room.seats.first(where: { $0.id == seatId }) else {
      throw ExamError(.notFound, location: "room \(centre.id)/\(roomId)", "has no seat \(seatId)",
        fix: "use the seat number printed on the seat plan")
    }
    let failures = try database.seatFailures(examId: examId).filter { $0.sessionId == sessionId }
    if let previous = failures.first(where: { $0.centreId == centre.id && $0.roomId == roomId && $0.seatId == seatId }) {
      return .alreadyReported(previous)
    }
    let plan = try database.allocation(examId: examId).filter { $0.sessionId == sessionId && $0.centreId == centre.id }
    func failure(_ candidate: String?, _ to: (String, String, String)?) -> (SeatFailure, AuditEntry) {
      let entry = audit(candidate.map { c in
        to.map { "seat \(centre.id)/\(roomId)/\(seatId) failed in \(sessionId): candidate \(c) moved to \($0.0)/\($0.1)/\($0.2) (\(reason))" }
          ?? "" } ?? "seat \(centre.id)/\(roomId)/\(seatId) failed in \(sessionId), empty (\(reason))")
      return (SeatFailure(examId: examId, sessionId: sessionId, centreId: centre.id, roomId: roomId, seatId: seatId,
        candidateId: candidate, toCentreId: to?.0, toRoomId: to?.1, toSeatId: to?.2, reason: reason, at: entry.at,
        operator: entry.operator), entry)
    }
    guard let holder = plan.first(where: { $0.roomId == roomId && $0.seatId == seatId }) else {
      let (record, entry) = failure(nil, nil)
      try database.recordSeatFailure(record, audit: entry)
      return .emptySeatLogged(record)
    }
    let target = try chooseSeat(for: holder, failedSeat: failedSeat, centre: centre, plan: plan, failures: failures)
    let (record, entry) = failure(holder.candidateId, (centre.id, target.room, target.seat))
    try database.recordSeatFailure(record, audit: entry)
    return .moved(record)
  }

  /// The best free reserve seat: same room first; then fewest same-school neighbours, fewest neighbours with
  /// the candidate's form, nearest to the failed seat.
  func chooseSeat(for holder: SeatAssignment, failedSeat: Seat, centre: Centre, plan: [SeatAssignment],
    failures: [SeatFailure]) throws -> (room: String, seat: String)
  {
    let candidates = try database.candidates()
    let school = Dictionary(candidates.map { ($0.id, $0.school) }, uniquingKeysWith: { a, _ in a })
    let me = candidates.first { $0.id == holder.candidateId }
    let needsAccessible = me?.accommodations.contains(.accessibleSeat) ?? false
    let separate = me?.accommodations.contains(.separateRoom) ?? false
    var taken: [String: [String: SeatAssignment]] = [:]
    for a in plan { taken[a.roomId, default: [:]][a.seatId] = a }
    let failed = Set(failures.filter { $0.centreId == centre.id }.map { $0.roomId + "\u{1}" + $0.seatId })
    var best: (key: (Int, Int, Int, Int, String, String), room: String, seat: String)?
    for room in centre.rooms {
      let sameRoom = room.id == holder.roomId
      if !sameRoom && needsAccessible && !room.accessible { continue }
      if !sameRoom && separate && !(taken[room.id] ?? [:]).isEmpty { continue }
      let occupants = taken[room.id] ?? [:]
      var byPlace: [SeatGrid.Position: SeatAssignment] = [:]
      for seat in room.seats { if let a = occupants[seat.id], a.candidateId != holder.candidateId { byPlace[.init(row: seat.row, column: seat.column)] = a } }
      for seat in room.seats where seat.reserve && occupants[seat.id] == nil && !failed.contains(room.id + "\u{1}" + seat.id) {
        if sameRoom && seat.id == failedSeat.id { continue }
        var sameSchool = 0
        var sameForm = 0
        for (dr, dc) in [(0, -1), (0, 1), (-1, 0), (1, 0)] {
          guard let n = byPlace[.init(row: seat.row + dr, column: seat.column + dc)] else { continue }
          if school[n.candidateId] == school[holder.candidateId] { sameSchool += 1 }
          if n.form == holder.form { sameForm += 1 }
        }
        let distance = sameRoom ? abs(seat.row - failedSeat.row) + abs(seat.column - failedSeat.column) : 0
        let key = (sameRoom ? 0 : 1, sameSchool, sameForm, distance, room.id, seat.id)
        if best == nil || key < best!.key { best = (key, room.id, seat.id) }
      }
    }
    guard let best else {
      throw ExamError(.state, location: "centre \(centre.id), session \(holder.sessionId)",
        "has no free reserve seat for candidate \(holder.candidateId)\(needsAccessible ? " (accessible room needed)" : "")",
        fix: "seat the candidate in a later session, or free a reserve seat (the failure was not recorded)")
    }
    return (best.room, best.seat)
  }
}
