/// Schools into the no-neighbour classes of a part's rooms, one class per school and room ("pure" placement):
/// a school that keeps to one class of a room never has a same-school neighbour there, whatever the others do.
///
/// Largest school first, each takes the largest free class among rooms it is not in yet, until placed. When that
/// greedy leaves something over, a depth-first search (`searchPacking`) tries the other choices, within a fixed
/// number of steps. What still does not fit is returned as left over: such a part needs candidates moved out
/// (`TripSearch.repairClasses`) or one school split over both classes of a room (`PlannerState.seatRoom`), which a
/// full room cannot give.
enum ClassSlots {
  struct Placement: Equatable {
    var school: Int
    var room: Int
    /// 0: the wide class, 1: the narrow one.
    var colour: Int
    var count: Int
  }

  /// - Parameters:
  ///   - classes: per room, the sizes of its wide and narrow classes.
  ///   - groups: (school, candidates) in this part; ties keep this order.
  /// - Returns: the placements, and per school what did not fit (only schools with something left over).
  static func pack(classes: [(wide: Int, narrow: Int)], groups: [(school: Int, count: Int)])
    -> (placements: [Placement], leftover: [(school: Int, count: Int)])
  {
    let greedy = packGreedily(classes: classes, groups: groups)
    guard !greedy.leftover.isEmpty, let found = searchPacking(classes: classes, groups: groups) else { return greedy }
    return (found, [])
  }

  /// The greedy packing of `pack`: largest school first, the tightest class that takes its rest whole, else the
  /// largest.
  static func packGreedily(classes: [(wide: Int, narrow: Int)], groups: [(school: Int, count: Int)])
    -> (placements: [Placement], leftover: [(school: Int, count: Int)])
  {
    var free = classes.map { [$0.wide, $0.narrow] }
    var placements: [Placement] = []
    var leftover: [(school: Int, count: Int)] = []
    let order = groups.indices.sorted { (-groups[$0].count, $0) < (-groups[$1].count, $1) }
    for k in order {
      var left = groups[k].count
      var used = Array(repeating: false, count: classes.count)
      while left > 0 {
        var best: (free: Int, room: Int, colour: Int)?
        for r in free.indices where !used[r] {
          for colour in 0..<2 where free[r][colour] > 0 {
            // The largest class; among classes that take the whole rest, the tightest.
            let fits = free[r][colour] >= left
            let better: Bool
            if let b = best {
              let bestFits = b.free >= left
              better = fits != bestFits ? fits : (fits ? free[r][colour] < b.free : free[r][colour] > b.free)
            } else {
              better = true
            }
            if better { best = (free[r][colour], r, colour) }
          }
        }
        guard let best else { break }
        let n = min(left, best.free)
        placements.append(Placement(school: groups[k].school, room: best.room, colour: best.colour, count: n))
        free[best.room][best.colour] -= n
        used[best.room] = true
        left -= n
      }
      if left > 0 { leftover.append((groups[k].school, left)) }
    }
    return (placements, leftover)
  }

  /// Steps (classes tried) the search of `searchPacking` may take, and its choices each way. In a Python model of
  /// these rules (`Tools/class-slots-model.py`: 995 random near-full parts), the greedy leaves some over on 183, an
  /// exact program packs 166 of those, and the search all 166; a failed search stays cheap.
  static let searchSteps = 100
  static let searchChoices = 2

  /// A packing by depth-first search, schools largest first as in the greedy: at each step the current school's
  /// rest goes to one of the `searchChoices` tightest classes that take it whole, or to one of the
  /// `searchChoices` largest that do not (all of that class). Nil when none is found within `searchSteps` steps.
  static func searchPacking(classes: [(wide: Int, narrow: Int)], groups: [(school: Int, count: Int)])
    -> [Placement]?
  {
    var free = classes.map { [$0.wide, $0.narrow] }
    let order = groups.indices.sorted { (-groups[$0].count, $0) < (-groups[$1].count, $1) }
    var used = Array(repeating: Array(repeating: false, count: classes.count), count: order.count)
    var placements: [Placement] = []
    var steps = 0
    typealias Option = (free: Int, room: Int, colour: Int)
    /// Places the rest (`left`) of the school at `position` of `order`, then the schools after it.
    func fill(_ position: Int, _ left: Int) -> Bool {
      guard left > 0 else {
        return position + 1 == order.count || fill(position + 1, groups[order[position + 1]].count)
      }
      steps += 1
      guard steps <= searchSteps else { return false }
      var whole: [Option] = []
      var partial: [Option] = []
      var reach = 0
      for r in free.indices where !used[position][r] {
        reach += max(free[r][0], free[r][1])
        for colour in 0..<2 where free[r][colour] > 0 {
          if free[r][colour] >= left {
            whole.append((free[r][colour], r, colour))
          } else {
            partial.append((free[r][colour], r, colour))
          }
        }
      }
      guard reach >= left else { return false }
      whole.sort { ($0.free, $0.room, $0.colour) < ($1.free, $1.room, $1.colour) }
      partial.sort { (-$0.free, $0.room, $0.colour) < (-$1.free, $1.room, $1.colour) }
      for option in whole.prefix(searchChoices) + partial.prefix(searchChoices) {
        let n = min(left, option.free)
        free[option.room][option.colour] -= n
        used[position][option.room] = true
        placements.append(
          Placement(school: groups[order[position]].school, room: option.room, colour: option.colour, count: n))
        if fill(position, left - n) { return true }
        placements.removeLast()
        used[position][option.room] = false
        free[option.room][option.colour] += n
      }
      return false
    }
    guard let first = order.first else { return [] }
    return fill(0, groups[first].count) ? placements : nil
  }
}
