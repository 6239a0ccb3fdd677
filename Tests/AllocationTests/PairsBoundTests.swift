import Testing

@testable import Allocation

/// The per-room cost curve of the same-school pairs bound against every seat set of small rooms.
struct PairsBoundTests {
  /// The fewest neighbour pairs inside any k of `positions`, for every k, by trying every subset.
  static func fewestPairs(_ positions: [SeatGrid.Position]) -> [Int] {
    let neighbours = SeatGrid.neighbours(positions)
    var fewest = Array(repeating: Int.max, count: positions.count + 1)
    for mask in 0..<(1 << positions.count) {
      var pairs = 0
      for i in positions.indices where mask & (1 << i) != 0 {
        pairs += neighbours[i].filter { $0 > i && mask & (1 << $0) != 0 }.count
      }
      let k = mask.nonzeroBitCount
      fewest[k] = min(fewest[k], pairs)
    }
    return fewest
  }

  static let rooms: [(name: String, positions: [SeatGrid.Position])] = [
    ("3 × 3", (0..<9).map { .init(row: $0 / 3, column: $0 % 3) }),
    ("3 × 4", (0..<12).map { .init(row: $0 / 4, column: $0 % 4) }),
    ("4 × 4 without two corners", (0..<16).filter { $0 != 0 && $0 != 15 }.map { .init(row: $0 / 4, column: $0 % 4) }),
    ("2 × 6", (0..<12).map { .init(row: $0 / 6, column: $0 % 6) }),
    (
      "a plus of 5",
      [
        .init(row: 0, column: 1), .init(row: 1, column: 0), .init(row: 1, column: 1),
        .init(row: 1, column: 2), .init(row: 2, column: 1),
      ]
    ),
  ]

  @Test(arguments: rooms.indices)
  func theCurveNeverExceedsTheFewestPairsOfAnySeatSet(room: Int) {
    let positions = Self.rooms[room].positions
    let truth = Self.fewestPairs(positions)
    let curve = RoomPairCost(positions, independentSeats: SeatGrid.independenceNumber(positions))
    #expect(curve.marginals.count == positions.count)
    #expect(zip(curve.marginals, curve.marginals.dropFirst()).allSatisfy { $0 <= $1 + 1e-12 }, "convex")
    var total = 0.0
    for k in 1...positions.count {
      total += curve.marginals[k - 1]
      #expect(total <= Double(truth[k]) + 1e-9, "\(Self.rooms[room].name), \(k) seats: \(total) > \(truth[k])")
    }
    // Nothing below the independence number; every neighbour pair when the room is full.
    let alpha = SeatGrid.independenceNumber(positions)
    #expect(curve.marginals.prefix(alpha).allSatisfy { $0 == 0 })
    #expect(abs(total - Double(truth[positions.count])) < 1e-9)
  }

  @Test func theCurveIsTighterThanKönig() {
    let positions = Self.rooms[0].positions  // 3 × 3: α = 5, 12 neighbour pairs
    let curve = RoomPairCost(positions, independentSeats: 5)
    #expect(RoomPairCost.fewestPairs(positions)?[7] == 6, "König alone gives 7 − 5 = 2")
    // The convex curve: 8 seats (all but the middle) make 8 pairs, so at 7 the hull of (5, 0) and (8, 8): 16/3,
    // above the degrees' bound (5).
    let atSeven = curve.marginals.prefix(7).reduce(0, +)
    #expect(abs(atSeven - 16.0 / 3) < 1e-9)
    // 6 × 6 (α = 18), 20 seats: König gives 2, the degrees nothing; one more class seat beside a full class
    // touches at least two of it, so 4.
    let square = (0..<36).map { SeatGrid.Position(row: $0 / 6, column: $0 % 6) }
    #expect(RoomPairCost.fewestPairs(square)?[20] == 4)
    // 10 × 10, the widest room of the city models: one seat past a class costs 2 (a corner), the full room 180.
    let large = (0..<100).map { SeatGrid.Position(row: $0 / 10, column: $0 % 10) }
    let fewest = RoomPairCost.fewestPairs(large)
    #expect(fewest?[50] == 0 && fewest?[51] == 2 && fewest?[100] == 180)
  }

  /// Rooms of 8–14 seats in a 4 × 5 grid, every one a different random subset (holes, reserve seats, pieces
  /// that do not touch), tall and wide: the dynamic program's fewest pairs are those of every seat subset.
  @Test func theFewestPairsAreThoseOfEverySeatSet() {
    var random = SeededGenerator(seed: 7)
    for trial in 0..<24 {
      let (rows, columns) = trial % 2 == 0 ? (4, 5) : (5, 4)
      var cells = (0..<rows * columns).map { SeatGrid.Position(row: $0 / columns + 3, column: $0 % columns - 2) }
      random.shuffle(&cells)
      let positions = Array(cells.prefix(8 + Int(random.next() % 7)))
      #expect(RoomPairCost.fewestPairs(positions) == Self.fewestPairs(positions), "trial \(trial): \(positions)")
    }
    for room in Self.rooms {
      #expect(RoomPairCost.fewestPairs(room.positions) == Self.fewestPairs(room.positions), "\(room.name)")
    }
  }

  /// `fewestPairSeats` gives k seats making exactly the fewest pairs, for every k, on the same random rooms.
  @Test func theBestSeatsMakeTheFewestPairs() {
    var random = SeededGenerator(seed: 11)
    for trial in 0..<12 {
      let (rows, columns) = trial % 2 == 0 ? (4, 5) : (5, 4)
      var cells = (0..<rows * columns).map { SeatGrid.Position(row: $0 / columns, column: $0 % columns) }
      random.shuffle(&cells)
      let positions = Array(cells.prefix(8 + Int(random.next() % 7)))
      let truth = Self.fewestPairs(positions)
      let neighbours = SeatGrid.neighbours(positions)
      for k in 0...positions.count {
        guard let seats = RoomPairCost.fewestPairSeats(positions, count: k) else {
          Issue.record("trial \(trial), \(k) seats: none")
          continue
        }
        let set = Set(seats)
        let pairs = seats.reduce(0) { $0 + neighbours[$1].filter { set.contains($0) }.count } / 2
        #expect(set.count == k && pairs == truth[k], "trial \(trial), \(k) seats: \(pairs) pairs, \(truth[k]) best")
      }
    }
    let wide = (0..<11 * 11).map { SeatGrid.Position(row: $0 / 11, column: $0 % 11) }
    #expect(RoomPairCost.fewestPairSeats(wide, count: 70) == nil, "wider than seatsWidthLimit both ways")
  }

  @Test func roomsWiderThanTheLimitBothWaysKeepTheBound() {
    let side = RoomPairCost.exactWidthLimit + 1
    let square = (0..<side * side).map { SeatGrid.Position(row: $0 / side, column: $0 % side) }
    #expect(RoomPairCost.fewestPairs(square) == nil)
    let narrow = (0..<side * 3).map { SeatGrid.Position(row: $0 / 3, column: $0 % 3) }
    #expect(RoomPairCost.fewestPairs(narrow) != nil, "3 wide, \(side) long: counted along its length")
    let curve = RoomPairCost(square, independentSeats: SeatGrid.independenceNumber(square))
    let pairs = 2 * side * (side - 1)
    #expect(abs(curve.marginals.reduce(0, +) - Double(pairs)) < 1e-9, "every pair when the room is full")
    #expect(curve.marginals.prefix((side * side + 1) / 2).allSatisfy { $0 == 0 })
  }

  @Test func segmentsMergeRoomsCheapestFirst() {
    let segments = RoomPairCost.segments([0, 0, 1.5, 0, 3, 1.5])
    #expect(segments.map(\.cost) == [0, 1.5, 3])
    #expect(segments.map(\.width) == [3, 2, 1])
  }
}
