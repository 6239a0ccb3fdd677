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
    let rest =
      n > 1 ? knapsack(n: n - 1, caps: caps, prices: prices, hostCharges: nil) : (value: 0, amounts: [], host: nil)
    guard rest.value + single.charge < hosted.value else { return hosted }
    var amounts = rest.amounts
    if let k = amounts.firstIndex(where: { $0.0 == single.host }) {
      amounts[k].1 += 1
    } else {
      amounts.append((single.host, 1))
    }
    return (rest.value + single.charge, amounts, single.host)
  }

  /// (a) of `solve`: with `hostCharges`, the host full or the dearest. The innermost loops of the column
  /// generation: flat buffers, and the host state only for a school that needs one.
  private static func knapsack(n: Int, caps: [Int], prices: [Double], hostCharges: [Double?]?)
    -> (value: Double, amounts: [(Int, Int)], host: Int?)
  {
    let order = caps.indices.filter { caps[$0] > 0 }.sorted { (prices[$0], $0) < (prices[$1], $1) }
    let items = order.count
    let width = n + 1
    let hosting = hostCharges != nil
    // cost1[j]: the least cost of full centre-sessions holding exactly j, a host among them (or none needed);
    // cost0[j]: the same before a host is chosen. how1/how0: how each was last lowered at each position (`Step`).
    var cost1 = [Double](repeating: .infinity, count: width)
    var cost0 = [Double](repeating: .infinity, count: hosting ? width : 0)
    var how1 = [UInt8](repeating: Step.none.rawValue, count: items * width)
    var how0 = [UInt8](repeating: Step.none.rawValue, count: hosting ? items * width : 0)
    if hosting { cost0[0] = 0 } else { cost1[0] = 0 }
    // best: the value, the seats in full centre-sessions before the dearest, the dearest (position in `order`),
    // whether the dearest is the host.
    var best = (value: Double.infinity, full: 0, last: -1, host: false)
    cost1.withUnsafeMutableBufferPointer { cost1 in
      cost0.withUnsafeMutableBufferPointer { cost0 in
        how1.withUnsafeMutableBufferPointer { how1 in
          how0.withUnsafeMutableBufferPointer { how0 in
            for (position, k) in order.enumerated() {
              let cap = min(caps[k], n)
              let price = prices[k]
              let charge = 1 + price * Double(cap)
              let host = hostCharges?[k] ?? nil
              // k as the dearest: the cheaper ones hold j exactly, k takes the rest n − j (1…cap).
              for j in max(0, n - cap)..<n {
                let rest = 1 + price * Double(n - j)
                if cost1[j] + rest < best.value { best = (cost1[j] + rest, j, position, false) }
                if let host, cost0[j] + rest + host < best.value { best = (cost0[j] + rest + host, j, position, true) }
              }
              // k full, for the dearer ones after it.
              let at = position * width
              for j in stride(from: n, through: cap, by: -1) {
                if cost1[j - cap] + charge < cost1[j] {
                  cost1[j] = cost1[j - cap] + charge
                  how1[at + j] = Step.full.rawValue
                }
                guard hosting else { continue }
                if let host, cost0[j - cap] + charge + host < cost1[j] {
                  cost1[j] = cost0[j - cap] + charge + host
                  how1[at + j] = Step.host.rawValue
                }
                if cost0[j - cap] + charge < cost0[j] {
                  cost0[j] = cost0[j - cap] + charge
                  how0[at + j] = Step.full.rawValue
                }
              }
            }
          }
        }
      }
    }
    guard best.last >= 0 else { return (.infinity, [], nil) }
    var amounts = [(order[best.last], n - best.full)]
    var hostItem: Int? = best.host ? order[best.last] : nil
    var inHostState = !best.host
    var j = best.full
    for position in stride(from: best.last - 1, through: 0, by: -1) where j > 0 {
      let k = order[position]
      let step = inHostState ? how1[position * width + j] : how0[position * width + j]
      guard step != Step.none.rawValue else { continue }
      amounts.append((k, min(caps[k], n)))
      j -= min(caps[k], n)
      if step == Step.host.rawValue {
        hostItem = k
        inHostState = false
      }
    }
    return (best.value, amounts, hostItem)
  }

  /// How a knapsack state was reached at a centre-session: not through it, through it full (no change of state),
  /// or through it full as the host.
  private enum Step: UInt8 { case none, full, host }
}
