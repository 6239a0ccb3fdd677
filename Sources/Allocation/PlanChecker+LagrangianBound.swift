/// A lower bound on the bus trips of plans without same-school neighbours that sees schools compete for seats
/// across the whole city: the Lagrangian relaxation of every centre-session's seat limit.
public struct LagrangianTripsBound: Sendable, Equatable, Codable {
  /// The best bound found (rounded up: trips are whole).
  public var bound: Int
  /// The per-school bound (`PlanQuality.schoolTripsWithoutNeighboursLowerBound`).
  public var perSchoolBound: Int
  /// Rounds of column generation run; `converged`: the last found no placement to add, so `bound` is the best
  /// this relaxation gives.
  public var rounds: Int
  public var converged: Bool
}

extension PlanChecker {
  /// Why it is a bound. The relaxed program: school s puts x[s,b] of its n_s candidates in centre-session b its
  /// district may reach, at most b's independent seats (no two of its candidates neighbours), y[s,b] = 1 when it
  /// does, and its a_s candidates who need an accessible room in centre-sessions that have one; all schools
  /// together at most b's usable seats, and at most the seats of b's accessible rooms for those candidates;
  /// minimise Σ y. Moving the seat rows into the objective with prices λ_b, μ_b ≥ 0 gives, for any prices,
  /// Σ_s φ_s(λ, μ) − Σ_b (λ_b · seats_b + μ_b · accessible seats_b) ≤ the fewest trips, where φ_s is the least
  /// Σ_b (y[s,b] + λ_b x[s,b]) + μ-cost of its accessible candidates over school s's own placements: a plan's trips
  /// are at least its Lagrangian value because its seat rows hold. φ_s is bounded from below per school by a
  /// knapsack (`SchoolKnapsack`, exact without accessible candidates); with λ = μ = 0 and no accessible candidates
  /// this is the per-school bound.
  ///
  /// The best prices come from column generation (Dantzig–Wolfe): the master program chooses for each school a mix
  /// (weights summing to 1) of its own placements, the mixes together within every centre-session's seats; its
  /// linear relaxation over all placements is the Lagrangian dual. CLP solves it over the placements found so far;
  /// its row prices are the seat prices at which each school's cheapest placement is found, and added when it
  /// undercuts the school's row price. Every round's Lagrangian value is a valid bound whatever the master holds;
  /// when no placement undercuts, it equals the master's value, the best this relaxation gives (when no school
  /// needs a host, whose knapsack is a lower bound only). Each school starts
  /// with one placement that takes no seats and costs more than any real one, so that the master is feasible from
  /// the first round.
  /// - Parameter rounds: at most this many master solves (a 100,000-candidate city converged in 42).
  public func lagrangianTripsBound(rounds: Int) -> LagrangianTripsBound {
    var master = TripMaster(TripRelaxation(self), start: nil)
    return master.run(rounds: rounds, pricedBins: nil).bound
  }
}

/// The master program of the column generation (`PlanChecker.lagrangianTripsBound`): one row per school (its mix
/// of placements sums to 1), then the seats of each bin, then the seats of each bin's accessible rooms.
struct TripMaster {
  let relaxation: TripRelaxation
  private let lp: LinearProgram
  /// Per column of `lp`: its school and its candidates per bin (none for the starting placeholder).
  private var columns: [(school: Int, amounts: [(bin: Int, amount: Int)])]
  private var seatRow: Int { relaxation.schools.count }
  private var accessibleRow: Int { relaxation.schools.count + relaxation.seats.count }
  /// The row prices of the last solve, if any: per bin the seat price and the accessible-seat price, per school row.
  private var prices: (seat: [Double], accessible: [Double], school: [Double])?

  /// - Parameter start: per school, a placement to start from (bins as the relaxation numbers them), such as a
  ///   plan's, used only when it places the school's size within its bins; the master starts solved over them.
  init(_ relaxation: TripRelaxation, start: [[(bin: Int, regular: Int, accessible: Int)]]?) {
    self.relaxation = relaxation
    let schools = relaxation.schools
    lp = LinearProgram(
      rowLower: Array(repeating: 1, count: schools.count)
        + Array(repeating: -Double.greatestFiniteMagnitude, count: 2 * relaxation.seats.count),
      rowUpper: Array(repeating: 1, count: schools.count) + relaxation.seats + relaxation.accessibleSeats)
    lp.addColumns(schools.enumerated().map { row, s in (Double(relaxation.bins[s].count + 1), 1, [(row, 1)]) })
    columns = schools.map { ($0, []) }
    guard let start else { return }
    var warm: [(cost: Double, upper: Double, entries: [(row: Int, value: Double)])] = []
    for (row, s) in schools.enumerated() {
      let list = start[s]
      guard !list.isEmpty, list.reduce(0, { $0 + $1.regular + $1.accessible }) == relaxation.size[s],
        list.allSatisfy({ relaxation.bins[s].contains($0.bin) })
      else { continue }
      var entries = [(row: row, value: 1.0)]
      for b in list {
        entries.append((seatRow + b.bin, Double(b.regular + b.accessible)))
        if b.accessible > 0 { entries.append((accessibleRow + b.bin, Double(b.accessible))) }
      }
      warm.append((Double(list.count), 1, entries))
      columns.append((s, list.map { ($0.bin, $0.regular + $0.accessible) }))
    }
    lp.addColumns(warm)
    if lp.solve() == .optimal { prices = rowPrices() }
  }

  private func rowPrices() -> (seat: [Double], accessible: [Double], school: [Double]) {
    let duals = lp.rowDuals
    let bins = relaxation.seats.indices
    return (
      bins.map { max(0, -duals[seatRow + $0]) }, bins.map { max(0, -duals[accessibleRow + $0]) },
      Array(duals[0..<relaxation.schools.count])
    )
  }

  /// Column generation for at most `rounds` master solves.
  /// - Parameter pricedBins: price only this many of each school's cheapest bins (faster; the values are then no
  ///   bound, and the result's `bound` means nothing): for guidance only.
  /// - Parameter workLimit: no further round once the work (`Work`) reaches this.
  /// - Returns: the bound, the master's last solution — per school (index into the problem's schools) its
  ///   placements with their weights — and the work done.
  mutating func run(rounds: Int, pricedBins: Int?, workLimit: Int = .max) -> (
    bound: LagrangianTripsBound, mixes: [[(weight: Double, amounts: [(bin: Int, amount: Int)])]], work: Int
  ) {
    var work = Work()
    let schools = relaxation.schools
    let binCount = relaxation.seats.count
    var current =
      prices
      ?? (
        Array(repeating: 0.0, count: binCount), Array(repeating: 0.0, count: binCount),
        Array(repeating: Double.infinity, count: schools.count)
      )
    var best = -Double.infinity
    var done = 0
    var converged = false
    for round in 0..<max(1, rounds) where round == 0 || work.total < workLimit {
      var value = 0.0
      var added: [(cost: Double, upper: Double, entries: [(row: Int, value: Double)])] = []
      for (row, s) in schools.enumerated() {
        let placement = relaxation.cheapest(
          s, prices: current.seat, accessiblePrices: current.accessible, pricedBins: pricedBins)
        work.cells += relaxation.size[s] * min(relaxation.bins[s].count, pricedBins ?? .max)
        value += placement.value
        guard placement.value < current.school[row] - 1e-7 else { continue }
        var entries = [(row: row, value: 1.0)] + placement.amounts.map { (seatRow + $0.bin, Double($0.amount)) }
        if let host = placement.accessibleHost {
          entries.append((accessibleRow + host, Double(relaxation.accessible[s])))
        }
        added.append((Double(placement.amounts.count), 1, entries))
        columns.append((s, placement.amounts))
      }
      for b in 0..<binCount {
        value -= current.seat[b] * relaxation.seats[b] + current.accessible[b] * relaxation.accessibleSeats[b]
      }
      best = max(best, value)
      done = round + 1
      guard !added.isEmpty else {
        converged = true
        break
      }
      lp.addColumns(added)
      let status = lp.solve()
      work.pivots += lp.iterations * (lp.rowCount + lp.columnCount)
      guard status == .optimal else { break }
      current = rowPrices()
    }
    var mixes = Array(
      repeating: [(weight: Double, amounts: [(bin: Int, amount: Int)])](), count: relaxation.size.count)
    for (k, weight) in lp.columnValues.enumerated() where weight > 1e-9 && !columns[k].amounts.isEmpty {
      mixes[columns[k].school].append((weight, columns[k].amounts))
    }
    let perSchool = pricedBins == nil ? relaxation.perSchoolBound() : 0
    let bound = LagrangianTripsBound(
      bound: max(perSchool, Int((best - 1e-6).rounded(.up))), perSchoolBound: perSchool, rounds: done,
      converged: converged)
    return (bound, mixes, work.total)
  }

  /// The column generation's work in the bus-trip search's units (`TripSearch.workPerSecond`), so that one budget
  /// covers both: knapsack cells (a school's candidates × the bins priced) and simplex pivots (each iteration × the
  /// program's rows and columns). Weighed by a least-squares fit of each round's time on three 100,000-candidate
  /// cities (docs/benchmarks.md, Rooms, session 29): 2.9 ns a cell, 17.8 ns a pivot, where a unit of the search's is
  /// 1 / 35,000,000 s.
  struct Work {
    var cells = 0
    var pivots = 0
    var total: Int { cells / 10 + pivots * 5 / 8 }
  }
}
