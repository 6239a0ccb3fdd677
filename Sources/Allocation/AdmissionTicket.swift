import ExamCore
import ExamStorage

/// Everything a candidate needs to find their seat: printed on the admission ticket and by
/// `exam allocate show --candidate N`.
public struct AdmissionTicket: Sendable, Codable, Equatable {
  public var candidate: String
  public var name: String
  public var school: String
  public var session: String
  public var date: String
  public var start: String
  public var end: String
  public var centre: String
  public var centreName: String
  public var address: String
  public var room: String
  public var seat: String
  public var row: Int
  public var col: Int
  public var machine: String?
  public var form: String
  public var accommodations: [String]
  /// The seat this candidate was moved from after a machine failure, if any.
  public var movedFrom: String?

  /// Tickets for every seated candidate of `examId`, by candidate number.
  public static func all(examId: String, database: any SittingStore) async throws -> [AdmissionTicket] {
    try await make(database.allocation(examId: examId), examId: examId, database: database)
  }

  /// The ticket of one candidate.
  /// - Throws: `ExamError.notFound` when the candidate is unknown or has no seat.
  public static func one(examId: String, candidateId: String, database: any SittingStore) async throws
    -> AdmissionTicket
  {
    guard try await database.candidate(id: candidateId) != nil else {
      throw ExamError(
        .notFound, location: "candidate \(candidateId)", "is not on the roster",
        fix: "check the admission number, or import the roster with `exam candidates import`")
    }
    guard let a = try await database.assignment(examId: examId, candidateId: candidateId) else {
      throw ExamError(
        .notFound, location: "candidate \(candidateId)", "has no seat in exam \(examId)",
        fix: "run `exam allocate --exam \(examId)` first")
    }
    return try await make([a], examId: examId, database: database)[0]
  }

  static func make(_ assignments: [SeatAssignment], examId: String, database: any SittingStore) async throws
    -> [AdmissionTicket]
  {
    let candidates = Dictionary(try await database.candidates().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let sessions = Dictionary(try await database.sessions().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let centres = Dictionary(try await database.centres().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var moved: [String: String] = [:]
    for f in try await database.seatFailures(examId: examId) {
      if let c = f.candidateId { moved[c] = "\(f.centreId)/\(f.roomId)/\(f.seatId)" }
    }
    return assignments.compactMap { a -> AdmissionTicket? in
      guard let c = candidates[a.candidateId], let s = sessions[a.sessionId], let centre = centres[a.centreId],
        let room = centre.rooms.first(where: { $0.id == a.roomId }),
        let seat = room.seats.first(where: { $0.id == a.seatId })
      else { return nil }
      return AdmissionTicket(
        candidate: c.id, name: c.name, school: c.school, session: s.id, date: s.date, start: s.start,
        end: s.end, centre: centre.id, centreName: centre.name, address: centre.address, room: room.id, seat: seat.id,
        row: seat.row, col: seat.column, machine: seat.machineId, form: a.form,
        accommodations: c.accommodations.map(\.rawValue), movedFrom: moved[c.id])
    }.sorted { $0.candidate < $1.candidate }
  }
}
