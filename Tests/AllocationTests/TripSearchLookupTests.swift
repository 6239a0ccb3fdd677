import Testing

@testable import Allocation

/// The lookups of a school's parts in the bus-trip search (`TripSearch.portion`, `count(in:besides:part:)`,
/// `firstIndex(in:notBelow:)`): by bisection and by the entry beside, the same answers as a linear search.
@Suite struct TripSearchLookupTests {
  typealias Entry = (part: Int, portion: TripSearch.Portion)

  /// Random schools' parts: increasing, no repeats, often both parts of a bin, sometimes one.
  static func lists(count: Int) -> [[Entry]] {
    var random = SeededGenerator(seed: 15)
    return (0..<count).map { _ in
      var list: [Entry] = []
      for bin in 0..<12 where Int.random(in: 0..<3, using: &random) > 0 {
        for part in [2 * bin, 2 * bin + 1] where Bool.random(using: &random) {
          let regular = Int.random(in: 0...9, using: &random)
          list.append((part, TripSearch.Portion(regular: regular, accessible: part & 1 == 1 ? regular % 3 : 0)))
        }
      }
      return list
    }
  }

  @Test func theLookupsAgreeWithALinearSearch() {
    var checked = 0
    for list in Self.lists(count: 300) {
      for p in -1...25 {
        #expect(TripSearch.firstIndex(in: list, notBelow: p) == (list.firstIndex { $0.part >= p } ?? list.count))
        let linear = list.first { $0.part == p }?.portion
        #expect(TripSearch.portion(in: list, part: p)?.regular == linear?.regular)
        #expect(TripSearch.portion(in: list, part: p)?.accessible == linear?.accessible)
      }
      for k in list.indices {
        let p = list[k].part
        for q in p & ~1...(p | 1) {
          #expect(
            TripSearch.count(in: list, besides: k, part: q) == (list.first { $0.part == q }?.portion.count ?? 0))
          checked += 1
        }
      }
    }
    #expect(checked > 1_000)
  }
}
