/// Schools into the no-neighbour classes of a part's rooms, one class per school and room ("pure" placement):
/// a school that keeps to one class of a room never has a same-school neighbour there, whatever the others do.
///
/// Largest school first, each takes the largest free class among rooms it is not in yet, until placed. What does
/// not fit is returned as left over: such a part needs candidates moved out (`TripSearch.repairClasses`) or one
/// school split over both classes of a room (`PlannerState.seatRoom`), which a full room cannot give.
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
}
