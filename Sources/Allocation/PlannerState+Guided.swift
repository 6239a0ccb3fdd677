/// Plans guided by the column-generation master program (`TripMaster`): where the bus-trip search stops at a
/// local optimum, the linear relaxation sees how schools should share the large centre-sessions across the city.
extension PlannerState {
  /// The master program for this state's demand and seats, started from `pieces` (a plan), run for
  /// `guideRounds` rounds, or fewer once its work reaches `guideWork`, with each school priced over its `guideBins`
  /// cheapest bins; per school its placements (planner bins) with their weights in the master's last solution,
  /// the rounds run and their work.
  func masterSolution(from pieces: [[Piece]]) -> (
    mixes: [[(weight: Double, amounts: [(bin: Int, amount: Int)])]], rounds: Int, work: Int
  ) {
    let sessions = problem.sessions.count
    let centres = problem.centreCount
    func relaxed(_ b: Int) -> Int { (b % centres) * sessions + b / centres }
    let parts = bagParts(packing: true)
    var all = Array(repeating: 0, count: centres * sessions)
    var accessible = all
    for b in 0..<centres * sessions {
      all[relaxed(b)] = parts[2 * b].seats + parts[2 * b + 1].seats
      accessible[relaxed(b)] = parts[2 * b + 1].seats
    }
    let start: [[(bin: Int, regular: Int, accessible: Int)]] = pieces.map { list in
      var byBin: [Int: (regular: Int, accessible: Int)] = [:]
      for p in list {
        byBin[relaxed(p.part / 2), default: (0, 0)].regular += p.regular
        byBin[relaxed(p.part / 2), default: (0, 0)].accessible += p.accessible
      }
      return byBin.keys.sorted().map { (bin: $0, regular: byBin[$0]!.regular, accessible: byBin[$0]!.accessible) }
    }
    let relaxation = TripRelaxation(PlanChecker(problem: problem), demand: schoolDemand(), binSeats: (all, accessible))
    var master = TripMaster(relaxation, start: start)
    let run = master.run(rounds: guideRounds, pricedBins: Self.guideBins, workLimit: guideWork)
    let mixes = run.mixes.map { mix in
      mix.map {
        ($0.weight, $0.amounts.map { (problem.bin(session: $0.bin % sessions, centre: $0.bin / sessions), $0.amount) })
      }
    }
    return (mixes, run.bound.rounds, run.work)
  }

  /// Bins priced per school in the guiding master program (its cheapest; `TripRelaxation.cheapest`): on city B
  /// (100,000 candidates) a round then takes 18 ms instead of 57, and the plans differ by a few trips either way.
  static let guideBins = 48

  /// Packs the schools from the master's solution `mixes`: each school its heaviest placement, most certain first
  /// (then largest), where every part it needs still has the seats and per-school room; the rest largest first
  /// into the bin that takes them whole (the tightest such) else most of them, as `packSchools(anchors:)` does;
  /// whatever is left by flow (`finishPacking`).
  mutating func packSchools(guide mixes: [[(weight: Double, amounts: [(bin: Int, amount: Int)])]]) -> Packing {
    let demand = schoolDemand()
    let parts = bagParts(packing: true)
    var free = parts.map(\.seats)
    var pieces = Array(repeating: [Piece](), count: demand.count)
    func total(_ s: Int) -> Int { demand[s].regular + demand[s].accessible }
    func room(_ p: Int) -> Int { min(parts[p].schoolSeats, free[p]) }
    /// Puts up to `n` of school s's candidates (its accessible ones first) in bin b: other rooms first.
    func put(_ s: Int, _ b: Int, _ n: Int, accessible: inout Int) {
      let a = min(accessible, room(2 * b + 1), n)
      let other = min(n - a, room(2 * b))
      let rest = min(n - a - other, room(2 * b + 1) - a)
      if other > 0 { pieces[s].append(Piece(part: 2 * b, regular: other, accessible: 0)) }
      if a + rest > 0 { pieces[s].append(Piece(part: 2 * b + 1, regular: rest, accessible: a)) }
      free[2 * b] -= other
      free[2 * b + 1] -= a + rest
      accessible -= a
    }
    var heaviest: [(weight: Double, school: Int, amounts: [(bin: Int, amount: Int)])] = []
    for (s, mix) in mixes.enumerated() {
      if let h = mix.max(by: { $0.weight < $1.weight }) { heaviest.append((h.weight, s, h.amounts)) }
    }
    heaviest.sort { ($0.weight, total($0.school), -$0.school) > ($1.weight, total($1.school), -$1.school) }
    var guided = Array(repeating: false, count: demand.count)
    for (_, s, amounts) in heaviest where amounts.reduce(0, { $0 + $1.amount }) == total(s) {
      guard amounts.allSatisfy({ room(2 * $0.bin) + room(2 * $0.bin + 1) >= $0.amount }),
        amounts.reduce(0, { $0 + min(room(2 * $1.bin + 1), $1.amount) }) >= demand[s].accessible
      else { continue }
      var accessible = demand[s].accessible
      for (b, n) in amounts { put(s, b, n, accessible: &accessible) }
      guided[s] = true
    }
    let reachable = reachableBins()
    for s in demand.indices.filter({ !guided[$0] }).sorted(by: { (-total($0), $0) < (-total($1), $1) }) {
      var left = total(s)
      var accessible = demand[s].accessible
      while left > 0 {
        var best: (key: (Int, Int, Int), bin: Int, takes: Int)?
        for b in reachable[s] where !pieces[s].contains(where: { $0.part / 2 == b }) {
          let a = min(accessible, room(2 * b + 1))
          let takes = a + min(left - accessible, room(2 * b) + room(2 * b + 1) - a)
          guard takes > 0 else { continue }
          let key = takes == left ? (0, room(2 * b) + room(2 * b + 1) - takes, b) : (1, -takes, b)
          if best == nil || key < best!.key { best = (key, b, takes) }
        }
        guard let best else { break }
        put(s, best.bin, best.takes, accessible: &accessible)
        left -= best.takes
      }
    }
    return finishPacking(pieces: pieces, parts: parts, demand: demand, reachable: reachable)
  }
}
