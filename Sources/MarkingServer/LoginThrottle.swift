/// Wrong passwords per client address in a sliding window (in memory: an address that is refused is refused until
/// its old failures age out; a restart forgets, the per-account lock-out in the store does not).
actor LoginThrottle {
  private var failures: [String: [Double]] = [:]
  let limit: Int
  let windowSeconds: Double

  init(limit: Int, windowSeconds: Int) {
    self.limit = limit
    self.windowSeconds = Double(windowSeconds)
  }

  /// Whether `address` may try a password at `now` (seconds since 1970).
  func allows(_ address: String, now: Double) -> Bool {
    let recent = (failures[address] ?? []).filter { now - $0 < windowSeconds }
    failures[address] = recent.isEmpty ? nil : recent
    return recent.count < limit
  }

  func recordFailure(_ address: String, now: Double) {
    failures[address, default: []].append(now)
  }
}
