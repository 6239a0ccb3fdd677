/// A lower bound on the bus trips of plans without same-school neighbours that sees schools compete for seats
/// across the whole city: the Lagrangian relaxation of every centre-session's seat limit.
public struct LagrangianTripsBound: Sendable, Equatable, Codable {
  /// The best bound found (rounded up: trips are whole).
  public var bound: Int
  /// The per-school bound (`PlanQuality.schoolTripsWithoutNeighboursLowerBound`), which the first round gives.
  public var perSchoolBound: Int
  /// Rounds of column generation run; `converged`: the last found no placement to add, so `bound` is the best
  /// this relaxation gives.
  public var rounds: Int
  public var converged: Bool
}

extension PlanChecker {
  /// Why it is a bound. The relaxed program: school s puts x[s,b] of its n_s candidates in centre-session b its
  /// district may reach, at most b's independent seats (no two of its candidates neighbours), y[s,b] = 1 when it
  /// does; all schools together at most b's usable seats; minimise Σ y. Moving the seat rows into the objective
  /// with prices λ_b ≥ 0 gives, for any prices, Σ_s φ_s(λ) − Σ_b λ_b · seats_b ≤ the fewest trips, where
  /// φ_s(λ) = min Σ_b (y[s,b] + λ_b x[s,b]) over school s's own placements: a plan's trips are at least its
  /// Lagrangian value because its seat rows hold. φ_s is solved exactly per school by a knapsack
  /// (`SchoolKnapsack`); with λ = 0 this is the per-school bound.
  ///
  /// The best prices come from column generation (Dantzig–Wolfe): the master program chooses for each school a mix
  /// (weights summing to 1) of its own placements, the mixes together within every centre-session's seats; its
  /// linear relaxation over all placements is the Lagrangian dual. CLP solves it over the placements found so far;
  /// its row prices are the seat prices λ at which each school's cheapest placement is found, and added when it
  /// undercuts the school's row price. Every round's Σ_s φ_s(λ) − Σ_b λ_b · seats_b is a valid bound whatever the
  /// master holds; when no placement undercuts, it equals the master's value, the best this relaxation gives.
  /// Each school starts with one placement that takes no seats and costs more than any real one, so that the
  /// master is feasible from the first round.
  /// - Parameter rounds: at most this many master solves (a 100,000-candidate city converged in 47).
  public func lagrangianTripsBound(rounds: Int) -> LagrangianTripsBound {
    let relaxation = TripRelaxation(self)
    let schools = relaxation.schools
    let binCount = relaxation.seats.count
    let lp = LinearProgram(
      rowLower: Array(repeating: 1, count: schools.count)
        + Array(repeating: -Double.greatestFiniteMagnitude, count: binCount),
      rowUpper: Array(repeating: 1, count: schools.count) + relaxation.seats)
    lp.addColumns(schools.enumerated().map { row, s in (Double(relaxation.bins[s].count + 1), 1, [(row, 1)]) })
    var price = Array(repeating: 0.0, count: binCount)
    var rowPrice = Array(repeating: Double.infinity, count: schools.count)
    var best = -Double.infinity
    var perSchool = 0
    var done = 0
    var converged = false
    for round in 0..<max(1, rounds) {
      var value = 0.0
      var columns: [(cost: Double, upper: Double, entries: [(row: Int, value: Double)])] = []
      for (row, s) in schools.enumerated() {
        let (schoolValue, amounts) = relaxation.cheapest(s, prices: price)
        value += schoolValue
        if schoolValue < rowPrice[row] - 1e-7 {
          columns.append(
            (Double(amounts.count), 1, [(row, 1)] + amounts.map { (schools.count + $0.bin, Double($0.amount)) }))
        }
      }
      for b in 0..<binCount { value -= price[b] * relaxation.seats[b] }
      if round == 0 { perSchool = Int((value - 1e-6).rounded(.up)) }
      best = max(best, value)
      done = round + 1
      guard !columns.isEmpty else {
        converged = true
        break
      }
      lp.addColumns(columns)
      guard lp.solve() == .optimal else { break }
      let duals = lp.rowDuals
      rowPrice = Array(duals[0..<schools.count])
      for b in 0..<binCount { price[b] = max(0, -duals[schools.count + b]) }
    }
    return LagrangianTripsBound(
      bound: max(perSchool, Int((best - 1e-6).rounded(.up))), perSchoolBound: perSchool, rounds: done,
      converged: converged)
  }
}

/// The relaxed program of `PlanChecker.lagrangianTripsBound`: per school its size and the centre-sessions
/// (bins) it may reach with their no-neighbour seats; per bin its usable seats.
struct TripRelaxation {
  /// Schools with candidates.
  let schools: [Int]
  /// Per school, its candidates, at most the no-neighbour seats it may reach: a school larger than those has no
  /// plan without neighbours (the bound says nothing then) and counts every bin, as the per-school bound does.
  let size: [Int]
  /// Per school, the bins it may reach (centre × sessions + session) and what it may take of each.
  let bins: [[Int]]
  let caps: [[Int]]
  /// Per bin, its usable seats.
  let seats: [Double]

  init(_ checker: PlanChecker) {
    let problem = checker.problem
    let (usable, independent) = checker.centreSeats()
    let sessions = problem.sessions.count
    var size = Array(repeating: 0, count: problem.schoolNames.count)
    for s in problem.candidateSchool { size[s] += 1 }
    let binsOfDistrict: [[Int]] = problem.districtNames.indices.map { d in
      (0..<problem.centreCount).filter { problem.reachable(district: d, centre: $0) && independent[$0] > 0 }
        .flatMap { c in (0..<sessions).map { c * sessions + $0 } }
    }
    let bins = problem.schoolDistrict.map { binsOfDistrict[$0] }
    for s in size.indices { size[s] = min(size[s], bins[s].reduce(0) { $0 + independent[$1 / sessions] }) }
    self.bins = bins
    self.size = size
    caps = size.indices.map { s in bins[s].map { min(size[s], independent[$0 / sessions]) } }
    schools = size.indices.filter { size[$0] > 0 }
    seats = (0..<problem.centreCount * sessions).map { Double(usable[$0 / sessions]) }
  }

  /// φ_s(λ): school `s`'s cheapest placement at seat prices `prices` (per bin), and its candidates per bin.
  func cheapest(_ s: Int, prices: [Double]) -> (value: Double, amounts: [(bin: Int, amount: Int)]) {
    let result = SchoolKnapsack.solve(n: size[s], caps: caps[s], prices: bins[s].map { prices[$0] })
    return (result.value, result.amounts.map { (bins[s][$0.0], $0.1) })
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
