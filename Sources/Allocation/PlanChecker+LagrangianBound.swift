/// A lower bound on the bus trips of plans without same-school neighbours that sees schools compete for seats
/// across the whole city: the Lagrangian relaxation of every centre-session's seat limit.
public struct LagrangianTripsBound: Sendable, Equatable, Codable {
  /// The best bound found (rounded up: trips are whole).
  public var bound: Int
  /// The per-school bound (`PlanQuality.schoolTripsWithoutNeighboursLowerBound`), which the first iteration gives.
  public var perSchoolBound: Int
  public var iterations: Int
}

extension PlanChecker {
  /// Why it is a bound. The relaxed program: school s puts x[s,b] of its n_s candidates in centre-session b its
  /// district may reach, at most b's independent seats (no two of its candidates neighbours), y[s,b] = 1 when it
  /// does; all schools together at most b's usable seats; minimise Σ y. Moving the seat rows into the objective
  /// with prices λ_b ≥ 0 gives, for any prices, Σ_s φ_s(λ) − Σ_b λ_b · seats_b ≤ the fewest trips, where
  /// φ_s(λ) = min Σ_b (y[s,b] + λ_b x[s,b]) over school s's own placements: a plan's trips are at least its
  /// Lagrangian value because its seat rows hold. φ_s is solved exactly per school by a knapsack
  /// (`SchoolKnapsack`). With λ = 0 this is the per-school bound; the prices then follow subgradient steps.
  /// - Parameters:
  ///   - iterations: subgradient steps (each solves every school's knapsack once).
  ///   - upperBound: trips of a known plan, which sets the step lengths (Polyak).
  public func lagrangianTripsBound(iterations: Int, upperBound: Int) -> LagrangianTripsBound {
    let (usable, independent) = centreSeats()
    let sessions = problem.sessions.count
    var size = Array(repeating: 0, count: problem.schoolNames.count)
    for s in problem.candidateSchool { size[s] += 1 }
    let binsOfDistrict: [[Int]] = problem.districtNames.indices.map { d in
      (0..<problem.centreCount).filter { problem.reachable(district: d, centre: $0) && independent[$0] > 0 }
        .flatMap { c in (0..<sessions).map { c * sessions + $0 } }
    }
    let binCount = problem.centreCount * sessions
    let seats = (0..<binCount).map { Double(usable[$0 / sessions]) }
    var price = Array(repeating: 0.0, count: binCount)
    var best = -Double.infinity
    var perSchool = 0
    var theta = 2.0
    var sinceBetter = 0
    var done = 0
    for iteration in 0..<max(1, iterations) {
      var value = 0.0
      var gradient = seats.map { -$0 }
      for (s, n) in size.enumerated() where n > 0 {
        let bins = binsOfDistrict[problem.schoolDistrict[s]]
        // A school larger than all the no-neighbour seats it may reach has no plan without neighbours (the bound
        // says nothing then); it counts every bin, as the per-school bound does.
        let n = min(n, bins.reduce(0) { $0 + independent[$1 / sessions] })
        guard n > 0 else { continue }
        let result = SchoolKnapsack.solve(
          n: n, caps: bins.map { min(n, independent[$0 / sessions]) }, prices: bins.map { price[$0] })
        value += result.value
        for (k, amount) in result.amounts where amount > 0 { gradient[bins[k]] += Double(amount) }
      }
      for b in 0..<binCount { value -= price[b] * seats[b] }
      if iteration == 0 { perSchool = Int((value - 1e-6).rounded(.up)) }
      done = iteration + 1
      if value > best + 1e-9 {
        best = value
        sinceBetter = 0
      } else {
        sinceBetter += 1
        if sinceBetter >= 10 {
          theta /= 2
          sinceBetter = 0
        }
      }
      // Only the seat rows that are violated, or have a positive price, move.
      var norm = 0.0
      for b in 0..<binCount where gradient[b] > 0 || price[b] > 0 { norm += gradient[b] * gradient[b] }
      guard norm > 0, theta > 1e-4 else { break }
      let step = theta * max(1, Double(upperBound) - value) / norm
      for b in 0..<binCount { price[b] = max(0, price[b] + step * gradient[b]) }
    }
    return LagrangianTripsBound(
      bound: max(perSchool, Int((best - 1e-6).rounded(.up))), perSchoolBound: perSchool, iterations: done)
  }
}

/// φ_s(λ) of one school (`PlanChecker.lagrangianTripsBound`): the cheapest Σ (1 + λ_b · x_b) over centre-sessions
/// placing all n candidates, 0 < x_b ≤ cap_b. A best placement fills its centre-sessions cheapest first, so all but
/// its dearest one are full: over the centre-sessions in order of price, a knapsack of full ones (exactly j seats)
/// among the cheaper ones, and the dearest one takes the rest.
enum SchoolKnapsack {
  /// - Returns: the value, and the candidates the best placement puts in each centre-session (index into `caps`).
  static func solve(n: Int, caps: [Int], prices: [Double]) -> (value: Double, amounts: [(Int, Int)]) {
    let order = caps.indices.filter { caps[$0] > 0 }.sorted { (prices[$0], $0) < (prices[$1], $1) }
    let items = order.count
    var cost = Array(repeating: Double.infinity, count: n + 1)
    cost[0] = 0
    var taken = Array(repeating: false, count: items * (n + 1))
    // best: the value, the seats in full centre-sessions before the dearest, the dearest (position in `order`).
    var best = (value: Double.infinity, full: 0, last: -1)
    for (position, k) in order.enumerated() {
      let cap = min(caps[k], n)
      let charge = 1 + prices[k] * Double(cap)
      // k as the dearest: the cheaper ones hold j exactly, k takes the rest n − j (1…cap).
      for j in max(0, n - cap)..<n where cost[j] < .infinity {
        let value = cost[j] + 1 + prices[k] * Double(n - j)
        if value < best.value { best = (value, j, position) }
      }
      // k as a full one, for the dearer ones after it.
      for j in stride(from: n, through: cap, by: -1) where cost[j - cap] + charge < cost[j] {
        cost[j] = cost[j - cap] + charge
        taken[position * (n + 1) + j] = true
      }
    }
    guard best.last >= 0 else { return (.infinity, []) }
    var amounts = [(order[best.last], n - best.full)]
    var j = best.full
    for position in stride(from: best.last - 1, through: 0, by: -1) where j > 0 && taken[position * (n + 1) + j] {
      amounts.append((order[position], min(caps[order[position]], n)))
      j -= min(caps[order[position]], n)
    }
    return (best.value, amounts)
  }
}
