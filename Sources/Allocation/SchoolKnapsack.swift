/// φ_s(λ) of one school (`PlanChecker.lagrangianTripsBound`): the cheapest Σ (1 + λ_b · x_b) over centre-sessions
/// placing all n candidates, 0 < x_b ≤ cap_b. A best placement fills its centre-sessions cheapest first, so all but
/// its dearest one are full: over the centre-sessions in order of price, a knapsack of full ones (exactly j seats)
/// among the cheaper ones, and the dearest one takes the rest.
///
/// A school with candidates who need an accessible room must use a centre-session that has one, and its a such
/// candidates take a of those centre-sessions' accessible seats: one of its centre-sessions with accessible rooms
/// is its host, charged `hostCharges` (a · μ_b). Charging all a to the cheapest host used is at most what any real
/// split of them costs. Moving candidates as above, a best placement then has every centre-session full but the
/// dearest, except that the host may keep a single candidate while a cheaper one is not full. So the value is the
/// lesser of (a) the knapsack with two states, host chosen or not, the host full or the dearest, and (b) a host
/// with one candidate, at its least cost over all hosts, beside the plain knapsack of the other n − 1 (which may
/// then use the host's centre-session too: never more than the real cost) — a lower bound of φ_s, exact when no
/// host is needed.
enum SchoolKnapsack {
  /// - Parameter hostCharges: per centre-session, nil where it has no accessible room, else what hosting the
  ///   school's accessible candidates costs there; nil when the school has none.
  /// - Returns: the value, the candidates the best placement puts in each centre-session (index into `caps`), and
  ///   its host (index into `caps`).
  static func solve(n: Int, caps: [Int], prices: [Double], hostCharges: [Double?]? = nil)
    -> (value: Double, amounts: [(Int, Int)], host: Int?)
  {
    let hosted = knapsack(n: n, caps: caps, prices: prices, hostCharges: hostCharges)
    guard let hostCharges else { return hosted }
    // (b): the cheapest host with one candidate, and the rest without one.
    var single: (charge: Double, host: Int)?
    for (k, charge) in hostCharges.enumerated() where caps[k] > 0 {
      guard let charge else { continue }
      let total = 1 + prices[k] + charge
      if single == nil || total < single!.charge { single = (total, k) }
    }
    guard let single else { return hosted }
    let rest = n > 1 ? knapsack(n: n - 1, caps: caps, prices: prices, hostCharges: nil) : (value: 0, amounts: [], host: nil)
    guard rest.value + single.charge < hosted.value else { return hosted }
    var amounts = rest.amounts
    if let k = amounts.firstIndex(where: { $0.0 == single.host }) {
      amounts[k].1 += 1
    } else {
      amounts.append((single.host, 1))
    }
    return (rest.value + single.charge, amounts, single.host)
  }

  /// (a) of `solve`: with `hostCharges`, the host full or the dearest.
  private static func knapsack(n: Int, caps: [Int], prices: [Double], hostCharges: [Double?]?)
    -> (value: Double, amounts: [(Int, Int)], host: Int?)
  {
    let order = caps.indices.filter { caps[$0] > 0 }.sorted { (prices[$0], $0) < (prices[$1], $1) }
    let items = order.count
    let width = n + 1
    // cost[state][j]: state 1 once a host is chosen (from the start when none is needed).
    var cost = [Array(repeating: Double.infinity, count: width), Array(repeating: Double.infinity, count: width)]
    cost[hostCharges == nil ? 1 : 0][0] = 0
    // How cost[state][j] was last lowered at each position: `Step`.
    var how = [Array(repeating: Step.none, count: items * width), Array(repeating: Step.none, count: items * width)]
    // best: the value, the seats in full centre-sessions before the dearest, the dearest (position in `order`),
    // whether the dearest is the host.
    var best = (value: Double.infinity, full: 0, last: -1, host: false)
    for (position, k) in order.enumerated() {
      let cap = min(caps[k], n)
      let charge = 1 + prices[k] * Double(cap)
      let host = hostCharges?[k]
      // k as the dearest: the cheaper ones hold j exactly, k takes the rest n − j (1…cap).
      for j in max(0, n - cap)..<n {
        let rest = 1 + prices[k] * Double(n - j)
        if cost[1][j] + rest < best.value { best = (cost[1][j] + rest, j, position, false) }
        if let host, cost[0][j] + rest + host < best.value { best = (cost[0][j] + rest + host, j, position, true) }
      }
      // k full, for the dearer ones after it.
      let at = position * width
      for j in stride(from: n, through: cap, by: -1) {
        if cost[1][j - cap] + charge < cost[1][j] {
          cost[1][j] = cost[1][j - cap] + charge
          how[1][at + j] = .full
        }
        if let host, cost[0][j - cap] + charge + host < cost[1][j] {
          cost[1][j] = cost[0][j - cap] + charge + host
          how[1][at + j] = .host
        }
        if cost[0][j - cap] + charge < cost[0][j] {
          cost[0][j] = cost[0][j - cap] + charge
          how[0][at + j] = .full
        }
      }
    }
    guard best.last >= 0 else { return (.infinity, [], nil) }
    var amounts = [(order[best.last], n - best.full)]
    var hostItem: Int? = best.host ? order[best.last] : nil
    var state = best.host ? 0 : 1
    var j = best.full
    for position in stride(from: best.last - 1, through: 0, by: -1) where j > 0 {
      let k = order[position]
      let step = how[state][position * width + j]
      guard step != .none else { continue }
      amounts.append((k, min(caps[k], n)))
      j -= min(caps[k], n)
      if step == .host {
        hostItem = k
        state = 0
      }
    }
    return (best.value, amounts, hostItem)
  }

  /// How a knapsack state was reached at a centre-session: not through it, through it full (no change of state),
  /// or through it full as the host.
  private enum Step: UInt8 { case none, full, host }
}
