import ExamCore

/// The result of `SeatPlanner.plan`: where every candidate sits, and how good the plan is.
public struct SeatPlan: Sendable {
  public var examId: String
  public var seed: UInt64
  /// One per candidate, ordered by session (date, start), centre, room, seat row and column.
  public var assignments: [SeatAssignment]
  public var quality: PlanQuality
  /// The even fill the planner aimed at (fraction of usable seats per room-session), from step 2.
  public var targetFill: Double = 0
  /// What the bus-trip search did.
  public var search = SearchReport()

  public init(examId: String, seed: UInt64, assignments: [SeatAssignment], quality: PlanQuality) {
    self.examId = examId
    self.seed = seed
    self.assignments = assignments
    self.quality = quality
  }
}

/// Seats missing in one district, found before anything is placed.
public struct SeatShortage: Sendable, Equatable, Codable {
  public enum Kind: String, Sendable, Codable {
    /// Any seat in a centre of the district or an adjacent one.
    case seats
    /// A seat in an accessible room.
    case accessibleSeats = "accessible-seats"
    /// A whole room for a `separate-room` candidate.
    case separateRooms = "separate-rooms"
  }

  public var district: String
  public var kind: Kind
  /// Candidates of this district who need this kind of place.
  public var needed: Int
  /// How many of them cannot be placed.
  public var short: Int

  /// The shortage as an error naming the district, the numbers and what to do.
  public func error(neighbours: [String]) -> ExamError {
    let near = neighbours.isEmpty ? "no adjacent district" : "adjacent: " + neighbours.joined(separator: ", ")
    let what: String
    switch kind {
    case .seats: what = "seats"
    case .accessibleSeats: what = "seats in accessible rooms"
    case .separateRooms: what = "rooms of their own (separate-room)"
    }
    return ExamError(
      .state, location: "district \(district)",
      "\(needed) candidates need \(what) in this district or an adjacent one (\(near)); \(short) cannot be placed",
      fix: "add rooms or sessions in or next to \(district), or declare more adjacent districts in the centres file")
  }
}
