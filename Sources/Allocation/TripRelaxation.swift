/// The relaxed program of `PlanChecker.lagrangianTripsBound`: per school its size, its candidates who need an
/// accessible room, and the centre-sessions (bins) it may reach with their no-neighbour seats; per bin its usable
/// seats and those of its accessible rooms. Bins are numbered centre × sessions + session here (not as the
/// planner numbers them).
struct TripRelaxation {
  /// Schools with candidates.
  let schools: [Int]
  /// Per school, its candidates, at most the no-neighbour seats it may reach: a school larger than those has no
  /// plan without neighbours (the bound says nothing then) and counts every bin, as the per-school bound does.
  let size: [Int]
  /// Per school, its candidates who need an accessible seat (0 where it may reach no accessible room: the bound
  /// then says nothing of them).
  let accessible: [Int]
  /// Per school, the bins it may reach and what it may take of each.
  let bins: [[Int]]
  let caps: [[Int]]
  /// Per bin, its usable seats, and those of its accessible rooms.
  let seats: [Double]
  let accessibleSeats: [Double]

  /// - Parameters:
  ///   - demand: per school, the candidates to place and how many of them need an accessible seat, if not its own
  ///     (a planner's: a dry run's with held seats, or without the separate-room candidates already in rooms).
  ///   - binSeats: per bin, its seats and those of its accessible rooms, if not all usable seats (a planner's:
  ///     without the rooms of separate-room candidates).
  init(
    _ checker: PlanChecker, demand: [(regular: Int, accessible: Int)]? = nil,
    binSeats: (all: [Int], accessible: [Int])? = nil
  ) {
    let problem = checker.problem
    let (usable, independent) = checker.centreSeats()
    var accessibleUsable = Array(repeating: 0, count: problem.centreCount)
    for info in problem.rooms where info.room.accessible { accessibleUsable[info.centre] += info.usable.count }
    let sessions = problem.sessions.count
    var size = Array(repeating: 0, count: problem.schoolNames.count)
    var accessible = size
    for (i, s) in problem.candidateSchool.enumerated() {
      size[s] += 1
      if problem.candidates[i].accommodations.contains(.accessibleSeat) { accessible[s] += 1 }
    }
    if let demand {
      size = demand.map { $0.regular + $0.accessible }
      accessible = demand.map(\.accessible)
    }
    let binsOfDistrict: [[Int]] = problem.districtNames.indices.map { d in
      (0..<problem.centreCount).filter { problem.reachable(district: d, centre: $0) && independent[$0] > 0 }
        .flatMap { c in (0..<sessions).map { c * sessions + $0 } }
    }
    let bins = problem.schoolDistrict.map { binsOfDistrict[$0] }
    for s in size.indices {
      size[s] = min(size[s], bins[s].reduce(0) { $0 + independent[$1 / sessions] })
      accessible[s] = min(accessible[s], size[s])
      if !bins[s].contains(where: { accessibleUsable[$0 / sessions] > 0 }) { accessible[s] = 0 }
    }
    self.bins = bins
    self.size = size
    self.accessible = accessible
    caps = size.indices.map { s in bins[s].map { min(size[s], independent[$0 / sessions]) } }
    schools = size.indices.filter { size[$0] > 0 }
    let binCount = problem.centreCount * sessions
    seats = binSeats.map { $0.all.map(Double.init) } ?? (0..<binCount).map { Double(usable[$0 / sessions]) }
    accessibleSeats =
      binSeats.map { $0.accessible.map(Double.init) }
      ?? (0..<binCount).map { Double(accessibleUsable[$0 / sessions]) }
  }

  /// Σ over schools of the fewest bins whose per-school seats hold it (the per-school bound): its largest caps first.
  func perSchoolBound() -> Int {
    schools.reduce(0) { total, s in
      var sums = [0]
      for cap in caps[s].sorted(by: >) { sums.append(sums[sums.count - 1] + cap) }
      return total + max(1, sums.firstPrefix(reaching: size[s]))
    }
  }

  /// φ_s(λ, μ): school `s`'s cheapest placement at seat prices `prices` and accessible-seat prices
  /// `accessiblePrices` (per bin), its candidates per bin, and the bin charged for its accessible candidates.
  /// - Parameter pricedBins: only this many of its bins, the cheapest (largest first among equal prices), and more
  ///   until they hold twice the school, plus one with an accessible room if it needs one: faster, not exact.
  func cheapest(_ s: Int, prices: [Double], accessiblePrices: [Double], pricedBins: Int? = nil)
    -> (value: Double, amounts: [(bin: Int, amount: Int)], accessibleHost: Int?)
  {
    let hostCharge: [Double?] = bins[s].map { b in
      accessibleSeats[b] > 0 ? Double(accessible[s]) * accessiblePrices[b] : nil
    }
    var items = Array(bins[s].indices)
    if let pricedBins, items.count > pricedBins {
      items.sort { (prices[bins[s][$0]], -caps[s][$0], $0) < (prices[bins[s][$1]], -caps[s][$1], $1) }
      var kept: [Int] = []
      var room = 0
      for k in items where kept.count < pricedBins || room < 2 * size[s] {
        kept.append(k)
        room += caps[s][k]
      }
      if accessible[s] > 0 && !kept.contains(where: { hostCharge[$0] != nil }),
        let host = items.dropFirst(kept.count).first(where: { hostCharge[$0] != nil })
      {
        kept.append(host)
      }
      items = kept
    }
    let result = SchoolKnapsack.solve(
      n: size[s], caps: items.map { caps[s][$0] }, prices: items.map { prices[bins[s][$0]] },
      hostCharges: accessible[s] > 0 ? items.map { hostCharge[$0] } : nil)
    return (
      result.value, result.amounts.map { (bins[s][items[$0.0]], $0.1) }, result.host.map { bins[s][items[$0]] }
    )
  }
}
