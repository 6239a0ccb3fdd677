/// Neighbourhood of seats in a room grid: two seats are neighbours when they are side by side (same row,
/// adjacent columns) or front/back (same column, adjacent rows) — the rule exam offices use for "no two
/// candidates of one school next to each other".
enum SeatGrid {
  struct Position: Hashable, Sendable {
    var row: Int
    var column: Int
  }

  /// The neighbours of each position among `positions`, as indices into it.
  static func neighbours(_ positions: [Position]) -> [[Int]] {
    var index: [Position: Int] = [:]
    for (i, p) in positions.enumerated() { index[p] = i }
    return positions.map { p in
      [
        Position(row: p.row, column: p.column - 1), Position(row: p.row, column: p.column + 1),
        Position(row: p.row - 1, column: p.column), Position(row: p.row + 1, column: p.column),
      ].compactMap { index[$0] }
    }
  }

  /// Splits `positions` into two sets with no two neighbours inside either: in each connected group of seats,
  /// the larger checkerboard class (row + column parity) goes to the first set ("wide"), the smaller to the
  /// second ("narrow"). Rooms with holes or reserve seats in the middle thus get a wide set larger than either
  /// global checkerboard class. Returned as indices into `positions`, in the order given.
  static func wideAndNarrowClasses(_ positions: [Position]) -> (wide: [Int], narrow: [Int]) {
    let adjacency = neighbours(positions)
    var component = [Int](repeating: -1, count: positions.count)
    var evenCount: [Int] = []
    var oddCount: [Int] = []
    for start in positions.indices where component[start] < 0 {
      let id = evenCount.count
      evenCount.append(0)
      oddCount.append(0)
      component[start] = id
      var stack = [start]
      while let u = stack.popLast() {
        if (positions[u].row + positions[u].column) & 1 == 0 { evenCount[id] += 1 } else { oddCount[id] += 1 }
        for v in adjacency[u] where component[v] < 0 {
          component[v] = id
          stack.append(v)
        }
      }
    }
    var wide: [Int] = []
    var narrow: [Int] = []
    for i in positions.indices {
      let even = (positions[i].row + positions[i].column) & 1 == 0
      let evenWide = evenCount[component[i]] >= oddCount[component[i]]
      if even == evenWide { wide.append(i) } else { narrow.append(i) }
    }
    return (wide, narrow)
  }

  /// The size of the largest set of positions with no two neighbours. The seat graph is bipartite (colour
  /// by row + column parity), so this is the number of seats minus a maximum matching (König).
  static func independenceNumber(_ positions: [Position]) -> Int {
    let adjacency = neighbours(positions)
    let left = positions.indices.filter { (positions[$0].row + positions[$0].column) & 1 == 0 }
    var matchOfRight = [Int](repeating: -1, count: positions.count)
    func augment(_ u: Int, _ seen: inout [Bool]) -> Bool {
      for v in adjacency[u] where !seen[v] {
        seen[v] = true
        if matchOfRight[v] < 0 || augment(matchOfRight[v], &seen) {
          matchOfRight[v] = u
          return true
        }
      }
      return false
    }
    var matching = 0
    for u in left {
      var seen = [Bool](repeating: false, count: positions.count)
      if augment(u, &seen) { matching += 1 }
    }
    return positions.count - matching
  }
}
