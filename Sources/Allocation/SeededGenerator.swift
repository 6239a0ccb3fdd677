import ExamCore

/// SplitMix64: a small seeded random number generator, so `exam allocate --seed N` is reproducible on every
/// platform (the standard library's generator is not seedable).
struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var base: SplitMix64
  init(seed: UInt64) { base = SplitMix64(seed: seed) }
  mutating func next() -> UInt64 { base.next() }

  /// A Fisher–Yates shuffle that depends only on the seed (not on the standard library's algorithm).
  mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = Int(next() % UInt64(i + 1))
      array.swapAt(i, j)
    }
  }
}
