/// The fewest same-school neighbour pairs k candidates of one school can make in a room, for k = 0…seats, made
/// convex.
///
/// Exact (`fewestPairs`) for rooms with a side of at most `exactWidthLimit` seats, which is every room of the
/// city models; for wider rooms, a lower bound: for a set S of k usable seats, pairs inside S ≥ k − α (König: α
/// is the room's independence number), and pairs = (Σ over S of degrees − edges leaving S) / 2 ≥ (the k smallest
/// degrees − the seats − k largest) / 2, since every edge leaving S ends on a seat outside it. Then its lower
/// convex hull, so that a school's cheapest way to put k candidates into a part's rooms is to take the rooms'
/// cheapest increments first.
struct RoomPairCost {
  /// Increments of the convex curve: the cost of the k-th candidate, k = 1…seats, nondecreasing.
  let marginals: [Double]
  /// The fewest pairs of k candidates, k = 0…seats, where counted exactly (`fewestPairs`); nil for wider rooms.
  let fewest: [Int]?

  init(_ positions: [SeatGrid.Position], independentSeats: Int) {
    fewest = Self.fewestPairs(positions)
    if let fewest {
      marginals = Self.hullIncrements(fewest.map(Double.init))
      return
    }
    let degrees = SeatGrid.neighbours(positions).map(\.count).sorted()
    let n = degrees.count
    var smallest = [0]
    for d in degrees { smallest.append(smallest.last! + d) }
    let total = smallest[n]
    let lower = (0...n).map { k -> Double in
      let largestOutside = total - smallest[k]  // the n − k largest degrees
      return Double(max(0, k - independentSeats, (smallest[k] - largestOutside + 1) / 2))
    }
    marginals = Self.hullIncrements(lower)
  }

  /// Each room's curve (nil for a room with no usable seats), made once per shape of usable seats: every session
  /// of a centre has the same rooms, and rooms of one plan share shapes.
  static func ofRooms(_ problem: PlanningProblem) -> [RoomPairCost?] {
    var byShape: [[SeatGrid.Position]: RoomPairCost] = [:]
    return problem.rooms.map { info in
      guard !info.usable.isEmpty else { return nil }
      let shape = info.usableShape
      let cost = byShape[shape] ?? RoomPairCost(shape, independentSeats: info.independentSeats)
      byShape[shape] = cost
      return cost
    }
  }

  /// The widest room, in seats along its narrower side, that `fewestPairs` counts exactly: its work per row of
  /// seats is 2^width × width × seats (12: 7 million steps a row at 144 seats).
  static let exactWidthLimit = 12

  /// The fewest neighbour pairs among any k of `positions`, k = 0…count, or nil when the room is wider than
  /// `exactWidthLimit` both ways.
  ///
  /// A dynamic program over the rows of seats (along the longer side): a state is the set of seats taken in the
  /// last row (a bit mask) and how many are taken so far, its value the fewest pairs. A row's own pairs are its
  /// adjacent bits; its pairs with the row before are the bits both masks share, minimised over the masks before
  /// one bit at a time (the minimum of f(p) + |p ∩ m| over all p is a min-plus transform over the bits).
  static func fewestPairs(_ positions: [SeatGrid.Position]) -> [Int]? {
    guard let rows = SeatRows(positions, widthLimit: exactWidthLimit) else { return nil }
    let last = rows.run(keepingLines: false).last!
    var fewest = [Int](repeating: Int.max, count: rows.seats + 1)
    for m in 0..<rows.masks {
      for k in 0...rows.seats where last[m * rows.stride + k] < SeatRows.unreachable {
        fewest[k] = min(fewest[k], Int(last[m * rows.stride + k]))
      }
    }
    return fewest
  }

  /// The widest room, in seats along its narrower side, whose best seats `fewestPairSeats` finds (it keeps every
  /// row's table: 2^width × seats values a row).
  static let seatsWidthLimit = 10

  /// `count` of `positions` (indices into it) with the fewest neighbour pairs among them, or nil when the room is
  /// wider than `seatsWidthLimit` both ways or `count` is more than its seats. Deterministic: ties go to the
  /// smallest masks.
  static func fewestPairSeats(_ positions: [SeatGrid.Position], count: Int) -> [Int]? {
    guard count <= positions.count, let rows = SeatRows(positions, widthLimit: seatsWidthLimit) else { return nil }
    let tables = rows.run(keepingLines: true)
    func value(_ line: Int, _ m: Int, _ k: Int) -> Int32 { tables[line][m * rows.stride + k] }
    var mask = (0..<rows.masks).min { (value(rows.lines - 1, $0, count), $0) < (value(rows.lines - 1, $1, count), $1) }!
    var k = count
    var masks = [Int](repeating: 0, count: rows.lines)
    for line in stride(from: rows.lines - 1, through: 0, by: -1) {
      masks[line] = mask
      let before = k - mask.nonzeroBitCount
      guard line > 0 else { break }
      let target = value(line, mask, k) - Int32((mask & (mask >> 1)).nonzeroBitCount)
      // A mask of the line before that the minimum came from (an unreachable one never matches).
      mask = (0..<rows.masks).first { p in value(line - 1, p, before) + Int32((p & mask).nonzeroBitCount) == target }!
      k = before
    }
    return positions.indices.filter { masks[rows.line(of: positions[$0])] & (1 << rows.bit(of: positions[$0])) != 0 }
  }

  /// Increments of the lower convex hull of (k, values[k]).
  static func hullIncrements(_ values: [Double]) -> [Double] {
    var hull: [Int] = []
    for k in values.indices {
      while hull.count >= 2 {
        let (a, b) = (hull[hull.count - 2], hull[hull.count - 1])
        // b lies on or above the line from a to k: not a vertex of the lower hull.
        if (values[b] - values[a]) * Double(k - a) >= (values[k] - values[a]) * Double(b - a) {
          hull.removeLast()
        } else {
          break
        }
      }
      hull.append(k)
    }
    var increments: [Double] = []
    for (a, b) in zip(hull, hull.dropFirst()) {
      let slope = (values[b] - values[a]) / Double(b - a)
      increments += Array(repeating: slope, count: b - a)
    }
    return increments
  }

  /// Increments of several rooms merged, cheapest first, equal costs joined: (cost, how many).
  static func segments(_ marginals: [Double]) -> [(cost: Double, width: Int)] {
    var segments: [(cost: Double, width: Int)] = []
    for cost in marginals.sorted() {
      if let last = segments.last, abs(last.cost - cost) < 1e-9 {
        segments[segments.count - 1].width += 1
      } else {
        segments.append((cost, 1))
      }
    }
    return segments
  }
}

/// A room's usable seats as rows of bit masks along its longer side, and the dynamic program of `RoomPairCost` over
/// them.
struct SeatRows {
  static let unreachable = Int32.max / 2
  let transposed: Bool
  let firstRow: Int
  let firstColumn: Int
  let width: Int
  let lines: Int
  /// Per line, its usable seats as bits.
  let usable: [Int]
  let seats: Int
  var masks: Int { 1 << width }
  var stride: Int { seats + 1 }

  /// nil when the room is wider than `widthLimit` both ways.
  init?(_ positions: [SeatGrid.Position], widthLimit: Int) {
    let rows = positions.map(\.row)
    let columns = positions.map(\.column)
    guard let firstRow = rows.min(), let lastRow = rows.max(), let firstColumn = columns.min(),
      let lastColumn = columns.max()
    else { return nil }
    transposed = lastColumn - firstColumn > lastRow - firstRow
    width = 1 + (transposed ? lastRow - firstRow : lastColumn - firstColumn)
    lines = 1 + (transposed ? lastColumn - firstColumn : lastRow - firstRow)
    guard width <= widthLimit else { return nil }
    (self.firstRow, self.firstColumn) = (firstRow, firstColumn)
    seats = positions.count
    var usable = [Int](repeating: 0, count: lines)
    for p in positions {
      let (row, column) = (p.row - firstRow, p.column - firstColumn)
      if transposed { usable[column] |= 1 << row } else { usable[row] |= 1 << column }
    }
    self.usable = usable
  }

  func line(of p: SeatGrid.Position) -> Int { transposed ? p.column - firstColumn : p.row - firstRow }
  func bit(of p: SeatGrid.Position) -> Int { transposed ? p.row - firstRow : p.column - firstColumn }

  /// The program's table after each line (all of them when `keepingLines`, else the last only): per mask m of
  /// the line's taken seats and k taken so far, at index m × stride + k, the fewest pairs.
  func run(keepingLines: Bool) -> [[Int32]] {
    var current = [Int32](repeating: Self.unreachable, count: masks * stride)
    var next = current
    var kept: [[Int32]] = []
    current[0] = 0  // before the first line: nothing taken
    var seatedBefore = 0
    for line in 0..<lines {
      current.withUnsafeMutableBufferPointer { value in
        for bit in 0..<width {
          let b = 1 << bit
          for x in 0..<masks where x & b == 0 {
            let (without, with) = (x * stride, (x | b) * stride)
            for k in 0...seatedBefore {
              let (a, c) = (value[without + k], value[with + k])
              value[without + k] = min(a, c)  // this line leaves the seat free: no pair through it
              value[with + k] = min(a, c + 1)  // this line takes it: a pair if the line before did
            }
          }
        }
      }
      let allowed = usable[line]
      next.withUnsafeMutableBufferPointer { out in
        out.update(repeating: Self.unreachable)
        current.withUnsafeBufferPointer { value in
          var m = allowed
          while true {
            let taken = m.nonzeroBitCount
            let sidePairs = Int32((m & (m >> 1)).nonzeroBitCount)
            for k in 0...seatedBefore where value[m * stride + k] < Self.unreachable {
              out[m * stride + k + taken] = value[m * stride + k] + sidePairs
            }
            if m == 0 { break }
            m = (m - 1) & allowed
          }
        }
      }
      swap(&current, &next)
      if keepingLines { kept.append(current) }
      seatedBefore += allowed.nonzeroBitCount
    }
    return keepingLines ? kept : [current]
  }
}
