/// SplitMix64: a small seeded random number generator, so `exam allocate --seed N` is reproducible on every
/// platform (the standard library's generator is not seedable).
struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A Fisher–Yates shuffle that depends only on the seed (not on the standard library's algorithm).
  mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = Int(next() % UInt64(i + 1))
      array.swapAt(i, j)
    }
  }
}
