import Foundation

/// Step 7: where same-school neighbours remain after the repair — a city where they cannot all be avoided — the
/// seats of each centre-session that still has them are searched again by simulated annealing.
///
/// The repair only takes moves that lower the pairs, one candidate at a time, so it stops at the first plan no
/// single move improves; a crowded room often needs several candidates to shift at once (a school's candidates
/// moved off one colour class so that another's can take it). Annealing takes a worse move now and then, less
/// often as it cools, and keeps the best plan it saw. Its moves stay inside a centre-session — a candidate to an
/// empty usable seat, or two candidates of different schools swapped — so no bus trip is added or removed and
/// every hard rule holds (an accessible-seat candidate stays in accessible rooms; reserve seats and separate
/// rooms are never used). Its steps are counted, not timed, and drawn from the plan's seeded generator, so the
/// plan still depends on the seed only.
extension PlannerState {
  /// Steps the annealing may take: a number of tries per candidate of the centre-sessions it searches, capped so
  /// that a large city with a few crowded rooms is not slowed down.
  static func annealingSteps(candidates: Int) -> Int {
    min(annealingStepCap, annealingStepsPerCandidate * max(0, candidates))
  }
  static let annealingStepsPerCandidate = 2_000
  static let annealingStepCap = 6_000_000

  /// Temperatures of the schedule, in pairs: the first accepts a move that adds a pair about once in five tries,
  /// the last about once in 150,000.
  static let annealingTemperatures = (first: 0.6, last: 0.1)

  /// Anneals the seats of every centre-session with same-school neighbours; returns the pairs removed.
  mutating func annealNeighbours() -> Int {
    var board = SeatBoard(problem: problem, roomSessionOf: roomSessionOf, seatOf: seatOf)
    // The seats of each centre-session with pairs, as (room-session, seat) slots.
    var pairsByBin: [Int: Int] = [:]
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 && !exclusive[roomSessionOf[i]] {
      let n = board.clashes(i, roomSession: roomSessionOf[i], seat: seatOf[i], ignoring: -1)
      if n > 0 { pairsByBin[problem.bin(roomSession: roomSessionOf[i]), default: 0] += n }
    }
    let seatedHere = problem.candidates.indices.count {
      roomSessionOf[$0] >= 0 && !exclusive[roomSessionOf[$0]]
        && pairsByBin[problem.bin(roomSession: roomSessionOf[$0])] != nil
    }
    guard seatedHere > 0 else { return 0 }
    // Each centre-session gets a share of the steps by its candidates.
    let steps = Self.annealingSteps(candidates: seatedHere)
    var saved = 0
    for bin in pairsByBin.keys.sorted() {
      let s = bin / problem.centreCount
      var slots: [Slot] = []
      for r in problem.centreRooms[bin % problem.centreCount] {
        let rs = problem.roomSession(session: s, room: r)
        guard !exclusive[rs] else { continue }
        let accessible = problem.rooms[r].room.accessible
        slots += problem.rooms[r].usable.map { Slot(roomSession: rs, seat: $0, accessible: accessible) }
      }
      let here = slots.count { board.holder[$0.roomSession][$0.seat] >= 0 }
      let share = Int(Double(steps) * Double(here) / Double(seatedHere))
      saved += anneal(slots: slots, steps: share, pairs: pairsByBin[bin]! / 2, board: &board)
    }
    return saved
  }

  private struct Slot {
    let roomSession: Int
    let seat: Int
    let accessible: Bool
  }

  /// Anneals one centre-session's `slots`; returns the pairs removed (the best plan seen is kept).
  private mutating func anneal(slots: [Slot], steps: Int, pairs start: Int, board: inout SeatBoard) -> Int {
    guard slots.count > 1, steps > 0, start > 0 else { return 0 }
    let school = problem.candidateSchool
    var pairs = start
    var best = start
    // The best plan seen is copied only when a move is about to leave it.
    var bestSaved = true
    var bestSeats = Self.occupants(of: slots, on: board)
    let (first, last) = Self.annealingTemperatures
    let blocks = 100
    let stepsPerBlock = max(1, steps / blocks)
    for block in 0..<blocks {
      let t = first * pow(last / first, Double(block) / Double(blocks - 1))
      // Chance of taking a move that adds d pairs, for d = 1…4 (more is never taken).
      let take = (1...4).map { UInt64(exp(-Double($0) / t) * Double(UInt64.max >> 11)) }
      for _ in 0..<stepsPerBlock {
        let a = slots[Int(random.next() % UInt64(slots.count))]
        let i = board.holder[a.roomSession][a.seat]
        guard i >= 0 else { continue }
        let b = slots[Int(random.next() % UInt64(slots.count))]
        let j = board.holder[b.roomSession][b.seat]
        guard j != i, j < 0 || school[j] != school[i],
          b.accessible || !needs(i, .accessibleSeat),
          j < 0 || a.accessible || !needs(j, .accessibleSeat)
        else { continue }
        let same = a.roomSession == b.roomSession
        var change =
          board.clashes(i, roomSession: b.roomSession, seat: b.seat, ignoring: same ? a.seat : -1)
          - board.clashes(i, roomSession: a.roomSession, seat: a.seat, ignoring: -1)
        if j >= 0 {
          change +=
            board.clashes(j, roomSession: a.roomSession, seat: a.seat, ignoring: same ? b.seat : -1)
            - board.clashes(j, roomSession: b.roomSession, seat: b.seat, ignoring: -1)
        }
        if change > 0 {
          guard change <= 4, random.next() >> 11 < take[change - 1] else { continue }
          if !bestSaved && pairs == best {
            bestSeats = Self.occupants(of: slots, on: board)
            bestSaved = true
          }
        }
        board.holder[a.roomSession][a.seat] = j
        board.holder[b.roomSession][b.seat] = i
        pairs += change
        if pairs < best {
          best = pairs
          bestSaved = false
        }
      }
    }
    if !bestSaved { bestSeats = Self.occupants(of: slots, on: board) }
    for slot in slots { board.holder[slot.roomSession][slot.seat] = -1 }
    for (candidate, slot) in bestSeats {
      board.holder[slot.roomSession][slot.seat] = candidate
      roomSessionOf[candidate] = slot.roomSession
      seatOf[candidate] = slot.seat
    }
    return start - best
  }

  private static func occupants(of slots: [Slot], on board: SeatBoard) -> [(candidate: Int, slot: Slot)] {
    slots.compactMap { slot in
      let h = board.holder[slot.roomSession][slot.seat]
      return h >= 0 ? (h, slot) : nil
    }
  }
}
