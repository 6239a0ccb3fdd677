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

/// A plan not checked yet (`SeatPlanner.draft`): its rows, and what the check needs to measure them.
public struct SeatPlanDraft: Sendable {
  public var examId: String
  public var seed: UInt64
  public var assignments: [SeatAssignment]
  let checker: PlanChecker
  /// The lower bounds, computed on another thread (`SeatPlanner.draft`).
  let bounds: Pending<PlanBounds>
  let exactTrips: ExactTripsReport?
  let targetFill: Double
  let search: SearchReport

  /// The plan with its quality, measured from the rows alone by the independent checker.
  /// - Throws: `ExamError(.state)` when the check finds a hard violation (a bug of the planner).
  public func checked() throws -> SeatPlan {
    var quality = checker.quality(of: assignments, bounds: bounds.value)
    quality.exactTrips = exactTrips
    guard quality.hardViolations == 0 else {
      throw ExamError(
        .state,
        "the planner produced \(quality.hardViolations) hard-constraint violation(s) ("
          + quality.violations.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
          + "); nothing was written",
        fix: "report this as a bug with the roster and centres file")
    }
    var plan = SeatPlan(examId: examId, seed: seed, assignments: assignments, quality: quality)
    plan.targetFill = targetFill
    plan.search = search
    return plan
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
