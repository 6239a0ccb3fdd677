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

  @Test func theCurveIsTighterThanKönigWhereTheRoomIsFull() {
    let positions = Self.rooms[0].positions  // 3 × 3: α = 5, 12 neighbour pairs
    let curve = RoomPairCost(positions, independentSeats: 5)
    let atSeven = curve.marginals.prefix(7).reduce(0, +)
    #expect(atSeven > 2, "König alone gives 7 − 5 = 2; degrees give more")
    #expect(atSeven <= 6)
  }

  @Test func segmentsMergeRoomsCheapestFirst() {
    let segments = RoomPairCost.segments([0, 0, 1.5, 0, 3, 1.5])
    #expect(segments.map(\.cost) == [0, 1.5, 3])
    #expect(segments.map(\.width) == [3, 2, 1])
  }
}
