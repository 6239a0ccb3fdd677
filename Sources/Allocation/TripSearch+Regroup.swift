/// The second move of the bus-trip search: schools taken out of every bin and placed again, one after the other,
/// in the fewest bins their districts may reach as the others leave them (empty bins included). Closing pieces
/// only ever moves candidates to bins a school already rides to; two moves need this one:
/// - a school split over two half-used bins while a third bin could take it whole (`regroup([s])`);
/// - a school that would fit fewer bins if it had a large bin to itself: it moves into that bin first and the
///   schools already there are placed again after it ("ejection", `regroup([s, t1, t2, …])`).
/// Where neither lowers the trips, `sidewaysPass` makes the same ejections where they keep the trips as they are: a
/// step across the plateau, from which closing and regrouping often find fewer.
extension TripSearch {
  /// Regroups every school that rides to more bins than its own fewest (`fewestBins`), smallest piece first:
  /// alone, else by ejection from the bins large enough to let it leave one of its own (fewest schools there
  /// first, then the largest), keeping the first attempt that lowers the trips. A school that could not be
  /// regrouped is tried again only once a bin it may reach has changed. Returns how many attempts lowered the
  /// trips, or nil when `outOfTime` stopped the pass.
  mutating func regroupPass(outOfTime: () -> Bool) -> Int? {
    byCapacity = areas.map { bins in bins.sorted { (capacity($0), -$0) > (capacity($1), -$1) } }
    capacitySums = byCapacity.map { bins in
      var sums = [0]
      for b in bins { sums.append(sums.last! + capacity(b)) }
      return sums
    }
    let fewest = amount.indices.map { fewestBins($0) }
    var order: [(smallest: Int, school: Int)] = []
    for s in amount.indices {
      let bins = binSet(s)
      guard bins.count > 1, bins.count > fewest[s] else { continue }
      if failedAt[s] >= 0 {
        // Tried before: only a change in its own bins or in a bin it could eject others from can help now.
        let need = ejectionNeed(s)
        guard
          bins.contains(where: { changedAt[$0] > failedAt[s] })
            || reachable[s].contains(where: { changedAt[$0] > failedAt[s] && capacity($0) >= need })
        else { continue }
      }
      var perBin: [Int: Int] = [:]
      for (p, portion) in amount[s] { perBin[p / 2, default: 0] += portion.count }
      order.append((perBin.values.min() ?? 0, s))
    }
    order.sort { ($0.smallest, $0.school) < ($1.smallest, $1.school) }
    var regrouped = 0
    for item in order {
      if work >= workLimit || outOfTime() { return nil }
      let s = item.school
      if regroup([s], fewest: fewest) || eject(s, fewest: fewest) {
        regrouped += 1
      } else {
        failedAt[s] = version
      }
    }
    return regrouped
  }

  /// Ejects every school that rides to more bins than its own fewest, in an order drawn from `round`, where that
  /// keeps the group's trips (`eject(_:fewest:gain:)` with gain 0): the search stops where no single move lowers
  /// the trips, yet a school moved into a large bin, the schools there placed again, often opens a closing or a
  /// regrouping that does (`TripSearch.sidewaysRounds`). Returns the ejections made; stops when the work budget is spent.
  mutating func sidewaysPass(round: Int) -> Int {
    let fewest = amount.indices.map { fewestBins($0) }
    // A fixed mix of school and round (splitmix64's constants): a different order each round, the same every run.
    func key(_ s: Int) -> UInt64 { (UInt64(s) &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9 }
    let order = amount.indices.filter { binSet($0).count > max(1, fewest[$0]) }.sorted { (key($0), $0) < (key($1), $1) }
    var moved = 0
    for s in order {
      if work >= workLimit { break }
      if eject(s, fewest: fewest, gain: 0) { moved += 1 }
    }
    return moved
  }

  /// School `s` moves into a bin large enough to let it leave one of its own, and the schools there are placed
  /// again after it; the first bin for which the group then rides to at least `gain` bins fewer is kept.
  private mutating func eject(_ s: Int, fewest: [Int], gain: Int = 1) -> Bool {
    let need = ejectionNeed(s)
    func crowd(_ b: Int) -> Int { schoolsIn[2 * b].count + schoolsIn[2 * b + 1].count }
    var targets = reachable[s].filter { capacity($0) >= need && !sits(s, inBin: $0) }
    targets.sort { (crowd($0), -capacity($0), $0) < (crowd($1), -capacity($1), $1) }
    for b in targets {
      var group = [s]
      for t in schoolsIn[2 * b] + schoolsIn[2 * b + 1] where !group.contains(t) { group.append(t) }
      if group.count > 1 && regroup(group, fewest: fewest, gain: gain) { return true }
    }
    return false
  }

  /// A school's share of a bin: the bin's per-school limits.
  func capacity(_ b: Int) -> Int { limit[2 * b] + limit[2 * b + 1] }

  /// How large a bin must be for school `s` to ride to one bin fewer with it: of its m bins it keeps the m − 2
  /// largest, leaves the other two and gains the new one, which must take the rest.
  func ejectionNeed(_ s: Int) -> Int {
    let mine = binSet(s).map { capacity($0) }.sorted(by: >)
    return amount[s].reduce(0) { $0 + $1.portion.count } - mine.prefix(max(0, mine.count - 2)).reduce(0, +)
  }

  /// The fewest bins school `s` could ride to if it had each reachable bin's per-school limit to itself (from
  /// `capacitySums`, as of the last `regroupPass`).
  func fewestBins(_ s: Int) -> Int {
    let n = amount[s].reduce(0) { $0 + $1.portion.count }
    return capacitySums[area[s]].firstPrefix(reaching: n)
  }

  /// Marks the bins the logged moves changed, as of a new version (the moves are kept).
  mutating func commit() {
    version += 1
    for entry in log { changedAt[entry.1 / 2] = version }
  }

  /// Takes the schools of `group` out and places them again in this order, each in as few bins as the seats
  /// left allow (its anchors first, then the bin that takes the rest whole, the tightest such, else the bin that
  /// takes most); keeps the result if the group rides to at least `gain` bins fewer in all (0: no more) and every
  /// part a school entered stays packable one class per school and room, else undoes it.
  /// - Parameter fewest: per school, `fewestBins` (what the members after one still need at least).
  mutating func regroup(_ group: [Int], fewest: [Int], gain: Int = 1) -> Bool {
    let before = group.reduce(0) { $0 + binSet($1).count }
    var stillNeeded = group.reduce(0) { $0 + max(1, fewest[$1]) }
    guard stillNeeded + gain <= before else { return false }
    log.removeAll(keepingCapacity: true)
    var demand: [(regular: Int, accessible: Int)] = []
    for s in group {
      var d = (regular: 0, accessible: 0)
      for (p, portion) in amount[s] {
        d.regular += portion.regular
        d.accessible += portion.accessible
        change(s, p, regular: -portion.regular, accessible: -portion.accessible)
      }
      demand.append(d)
    }
    let taken = log.count
    var after = 0
    var placed = true
    for (s, d) in zip(group, demand) {
      stillNeeded -= max(1, fewest[s])
      let most = before - gain - after - stillNeeded
      guard let bins = place(school: s, regular: d.regular, accessible: d.accessible, within: most) else {
        placed = false
        break
      }
      after += bins
    }
    if placed && after + gain <= before && Set(log[taken...].map(\.1)).allSatisfy({ packable($0) }) {
      commit()
      return true
    }
    for (t, q, r, a) in log.reversed() { change(t, q, regular: -r, accessible: -a, logged: false) }
    return false
  }

  /// Places school `s`'s candidates (logged), riding to at most `most` bins (its anchors count); returns the bins
  /// it rides to, or nil when it could not place them all within that.
  private mutating func place(school s: Int, regular: Int, accessible: Int, within most: Int) -> Int? {
    var regular = regular
    var accessible = accessible
    func room(_ q: Int) -> Int { max(0, min(limit[q] - count(s, q), free[q])) }
    // An array, not a set: a school rides to a handful of bins.
    var bins = anchors[s]
    func put(_ b: Int) {
      if !bins.contains(b) { bins.append(b) }
      let a = min(accessible, room(2 * b + 1))
      let r = min(regular, room(2 * b) + room(2 * b + 1) - a)
      let toOther = min(r, room(2 * b))
      change(s, 2 * b, regular: toOther, accessible: 0)
      change(s, 2 * b + 1, regular: r - toOther, accessible: a)
      regular -= r
      accessible -= a
    }
    for b in anchors[s] where regular + accessible > 0 && reachable[s].contains(b) { put(b) }
    while regular + accessible > 0 && bins.count < most {
      guard let best = bestBin(for: s, regular: regular, accessible: accessible, except: bins) else { break }
      put(best)
    }
    return regular + accessible == 0 ? bins.count : nil
  }

  /// The bin (not in `except`) that takes the rest of school `s` whole, the tightest such, else the one that takes
  /// most of it; ties to the lower bin. The search's innermost loop: the reachable bins, largest limit first, until
  /// no bin left can do better (a bin takes at most its limit).
  private mutating func bestBin(for s: Int, regular: Int, accessible: Int, except: [Int]) -> Int? {
    let wanted = regular + accessible
    var scanned = 0
    defer { work += scanned }
    // Whole: key = seats left over (≥ 0, below `partial / 2`); else: key = partial − taken, above every whole key.
    let partial = 1 << 40
    var best = (key: Int.max, bin: Int.max)
    limit.withUnsafeBufferPointer { limit in
      free.withUnsafeBufferPointer { free in
        for b in byCapacity[area[s]] {
          scanned += 1
          let capacity = limit[2 * b] + limit[2 * b + 1]
          let whole = best.key < partial / 2
          if whole ? capacity < wanted : best.key < Int.max && capacity < partial - best.key { break }
          // A school has no candidates in a bin it does not ride to: its room there is the limit or the seats.
          let inOther = max(0, min(limit[2 * b], free[2 * b]))
          let inAccessible = max(0, min(limit[2 * b + 1], free[2 * b + 1]))
          let a = min(accessible, inAccessible)
          let takes = a + min(regular, inOther + inAccessible - a)
          guard takes > 0 else { continue }
          let key = takes == wanted ? inOther + inAccessible - takes : partial - takes
          if (key, b) < best && !except.contains(b) { best = (key, b) }
        }
      }
    }
    return best.key == Int.max ? nil : best.bin
  }
}
