import ExamCore
import ExamStorage

/// Moves a candidate off a failed seat to a free reserve seat: the same room first, else another room of
/// the same centre; nobody else moves. A seat reported failed is never used again in that session, so a
/// second failure (of the reserve seat the candidate was moved to) moves them again.
///
/// The one reseat rule: `exam allocate reseat` (a seat reported failed) and proctoring's reseat decision (a
/// candidate moved off their seat) both choose the seat here and move it with one storage write.
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

  /// A candidate moved: the failure record (which names the new seat) and the decision stored with it.
  public struct Move: Sendable, Equatable {
    public var failure: SeatFailure
    public var decision: IncidentDecision?
  }

  /// A seat named by its centre, room and seat ids.
  public struct SeatRef: Sendable, Hashable {
    public var centreId: String
    public var roomId: String
    public var seatId: String
    public init(centreId: String, roomId: String, seatId: String) {
      self.centreId = centreId
      self.roomId = roomId
      self.seatId = seatId
    }
  }

  public let database: any SittingStore
  public init(database: any SittingStore) { self.database = database }

  /// Reports seat `seatId` of room `roomId` failed in `sessionId` and reseats its candidate.
  /// - Parameter centreId: needed only when several centres have a room called `roomId`.
  /// - Throws: `ExamError.notFound` for an unknown exam, session, room or seat; `.usage` for an ambiguous room;
  ///   `.state` when no reserve seat is free in the room or centre.
  public func reseat(
    examId: String, sessionId: String, centreId: String?, roomId: String, seatId: String,
    reason: String, audit: (String) -> AuditEntry
  ) async throws -> Outcome {
    _ = try await database.requireExam(id: examId)
    guard try await database.sessions().contains(where: { $0.id == sessionId }) else {
      throw ExamError(
        .notFound, location: "session \(sessionId)", "is not a session of this sitting",
        fix: "use a session id from the centres file")
    }
    let centres = try await database.centres()
    let matches = centres.filter { c in (centreId == nil || c.id == centreId) && c.rooms.contains { $0.id == roomId } }
    guard let centre = matches.first else {
      throw ExamError(
        .notFound, location: "room \(roomId)", "is not a room\(centreId.map { " of centre \($0)" } ?? "")",
        fix: "use a room id from the centres file")
    }
    guard matches.count == 1 else {
      throw ExamError(
        .usage, location: "room \(roomId)", "exists in centres \(matches.map(\.id).joined(separator: ", "))",
        fix: "add --centre ID")
    }
    let place = SeatRef(centreId: centre.id, roomId: roomId, seatId: seatId)
    guard seat(place, in: centres) != nil else {
      throw ExamError(
        .notFound, location: "room \(centre.id)/\(roomId)", "has no seat \(seatId)",
        fix: "use the seat number printed on the seat plan")
    }
    let failures = try await database.seatFailures(examId: examId).filter { $0.sessionId == sessionId }
    if let previous = failures.first(where: { $0.centreId == centre.id && $0.roomId == roomId && $0.seatId == seatId })
    {
      return .alreadyReported(previous)
    }
    let holder = try await database.allocation(examId: examId).first {
      $0.sessionId == sessionId && $0.centreId == centre.id && $0.roomId == roomId && $0.seatId == seatId
    }
    guard let holder else {
      let entry = audit("seat \(centre.id)/\(roomId)/\(seatId) failed in \(sessionId), empty (\(reason))")
      let record = SeatFailure(
        examId: examId, sessionId: sessionId, centreId: centre.id, roomId: roomId, seatId: seatId,
        candidateId: nil, toCentreId: nil, toRoomId: nil, toSeatId: nil, reason: reason, at: entry.at,
        operator: entry.operator)
      _ = try await database.recordSeatFailure(record, decision: nil, audit: entry)
      return .emptySeatLogged(record)
    }
    return .moved(
      try await move(
        holder, centres: centres, failures: failures, reason: reason, to: nil, avoiding: [],
        decision: nil, audit: audit
      ).failure)
  }

  /// Moves candidate `candidateId` off the seat they hold in `examId` (logged failed for their session, so nobody
  /// is moved onto it) to `target`, or to the best free reserve seat by the same rules as a seat report: the same
  /// room first, else the centre; an accessible room when they need one, an empty room when they sit alone; never a
  /// seat reported failed in that session nor one in `occupied`. `decision` (an incident's reseat decision) is
  /// stored in the same transaction.
  /// - Parameter occupied: seats known to be in use although no one is allocated there (e.g. a login on them).
  /// - Throws: `ExamError.state` when the candidate has no seat or no reserve seat is free; `.invalidInput` for a
  ///   target that does not exist; `.conflict` when the target is taken or has failed in that session.
  public func reseat(
    examId: String, candidateId: String, reason: String, to target: SeatRef? = nil,
    avoiding occupied: Set<SeatRef> = [], decision: IncidentDecision? = nil, audit: (String) -> AuditEntry
  ) async throws -> Move {
    guard let holder = try await database.assignment(examId: examId, candidateId: candidateId) else {
      throw ExamError(
        .state, location: "candidate \(candidateId)", "has no seat in exam \(examId) to move from",
        fix: "allocate the exam first (exam allocate), or decide the incident without --action reseat")
    }
    let centres = try await database.centres()
    if let target, seat(target, in: centres) == nil {
      throw ExamError(
        .invalidInput, location: "--seat", "seat \(target.centreId)/\(target.roomId)/\(target.seatId) does not exist",
        fix: "name a seat of the room, e.g. one of its reserve seats")
    }
    let failures = try await database.seatFailures(examId: examId).filter { $0.sessionId == holder.sessionId }
    return try await move(
      holder, centres: centres, failures: failures, reason: reason, to: target, avoiding: occupied,
      decision: decision, audit: audit)
  }

  /// Logs `holder`'s seat failed and moves them to `target` or the seat `chooseSeat` picks: one storage write.
  func move(
    _ holder: SeatAssignment, centres: [Centre], failures: [SeatFailure], reason: String, to target: SeatRef?,
    avoiding occupied: Set<SeatRef>, decision: IncidentDecision?, audit: (String) -> AuditEntry
  ) async throws -> Move {
    let from = SeatRef(centreId: holder.centreId, roomId: holder.roomId, seatId: holder.seatId)
    guard let centre = centres.first(where: { $0.id == holder.centreId }), let failedSeat = seat(from, in: centres)
    else {
      throw ExamError(
        .state, location: "seat \(from.centreId)/\(from.roomId)/\(from.seatId)", "is no longer in the centres file",
        fix: "import the centres again, or allocate again")
    }
    let to: SeatRef
    if let target {
      to = target
    } else {
      let plan = try await database.allocation(examId: holder.examId).filter {
        $0.sessionId == holder.sessionId && $0.centreId == centre.id
      }
      to = try await chooseSeat(
        for: holder, failedSeat: failedSeat, centre: centre, plan: plan, failures: failures, occupied: occupied)
    }
    let entry = audit(
      "seat \(from.centreId)/\(from.roomId)/\(from.seatId) failed in \(holder.sessionId): candidate "
        + "\(holder.candidateId) moved to \(to.centreId)/\(to.roomId)/\(to.seatId) (\(reason))")
    let record = SeatFailure(
      examId: holder.examId, sessionId: holder.sessionId, centreId: from.centreId, roomId: from.roomId,
      seatId: from.seatId, candidateId: holder.candidateId, toCentreId: to.centreId, toRoomId: to.roomId,
      toSeatId: to.seatId,
      reason: reason, at: entry.at, operator: entry.operator)
    let stored = try await database.recordSeatFailure(record, decision: decision, audit: entry)
    return Move(failure: record, decision: stored)
  }

  /// The seat `ref` names, or nil when there is none.
  func seat(_ ref: SeatRef, in centres: [Centre]) -> Seat? {
    centres.first { $0.id == ref.centreId }?.rooms.first { $0.id == ref.roomId }?.seats.first { $0.id == ref.seatId }
  }

  /// The best free reserve seat: same room first; then fewest same-school neighbours, fewest neighbours with
  /// the candidate's form, nearest to the failed seat.
  func chooseSeat(
    for holder: SeatAssignment, failedSeat: Seat, centre: Centre, plan: [SeatAssignment],
    failures: [SeatFailure], occupied: Set<SeatRef> = []
  ) async throws -> SeatRef {
    let candidates = try await database.candidates()
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
      for seat in room.seats {
        if let a = occupants[seat.id], a.candidateId != holder.candidateId {
          byPlace[.init(row: seat.row, column: seat.column)] = a
        }
      }
      for seat in room.seats
      where seat.reserve && occupants[seat.id] == nil && !failed.contains(room.id + "\u{1}" + seat.id)
        && !occupied.contains(SeatRef(centreId: centre.id, roomId: room.id, seatId: seat.id))
      {
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
      throw ExamError(
        .state, location: "centre \(centre.id), session \(holder.sessionId)",
        "has no free reserve seat for candidate \(holder.candidateId)\(needsAccessible ? " (accessible room needed)" : "")",
        fix: "seat the candidate in a later session, or free a reserve seat (the failure was not recorded)")
    }
    return SeatRef(centreId: centre.id, roomId: best.room, seatId: best.seat)
  }
}
