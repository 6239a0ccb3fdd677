/// Finds recordings that are the same audio (re-encoded, gain-changed or trimmed) across a whole sitting
/// without comparing every pair.
///
/// Every loud sub-fingerprint becomes an index entry `(hash, recording, frame)`; sorting the entries puts
/// equal hashes side by side (an inverted index in one flat array). Each run of equal hashes votes for
/// (recording A, recording B, frame offset); hashes shared by more than `maxRun` frames are common sounds
/// and are skipped (a stop list). Pairs with enough votes at one offset are verified by their bit error
/// rate over the aligned overlap: below 0.20 is the same audio (Haitsma–Kalker use 0.35 for music; unrelated
/// speech from one synthesiser came as close as 0.25 in our benchmark, re-encoded copies stay under 0.16). Work grows with the
/// number of frames (n log n for the sort), not with the number of pairs.
public struct DuplicateFinder: Sendable {
  public struct Match: Sendable, Equatable, Codable {
    /// Indexes into the input arrays; `first < second`.
    public var first: Int
    public var second: Int
    /// Frame offset of `first` against `second`.
    public var offset: Int
    public var bitErrorRate: Double
  }

  public var maxRun = 48
  public var minimumVotes = 1
  public var maximumBitErrorRate = 0.20
  public var minimumOverlap = 32

  public init() {}

  /// Matches between recordings of different `groups` (e.g. candidates); recordings of one group are not
  /// compared with each other.
  public func matches(_ prints: [AudioFingerprint], groups: [Int]) -> [Match] {
    precondition(prints.count == groups.count)
    var starts: [Int] = []
    var total = 0
    for p in prints {
      starts.append(total)
      total += p.frames.count
    }
    var recordingOf = [UInt32](repeating: 0, count: total)
    var entries: [UInt64] = []
    entries.reserveCapacity(total)
    for (r, p) in prints.enumerated() {
      let base = starts[r]
      for f in 0..<p.frames.count {
        recordingOf[base + f] = UInt32(r)
        if p.loud[f] { entries.append(UInt64(p.frames[f]) << 32 | UInt64(base + f)) }
      }
    }
    entries.sort()
    var votes: [UInt64: Int32] = [:]  // (a, b) pair id → packed later; key = a<<40 | b<<16 | offset+32768
    var runStart = 0
    while runStart < entries.count {
      let hash = entries[runStart] >> 32
      var runEnd = runStart + 1
      while runEnd < entries.count && entries[runEnd] >> 32 == hash { runEnd += 1 }
      let length = runEnd - runStart
      if length >= 2 && length <= maxRun {
        for i in runStart..<runEnd {
          let gi = Int(entries[i] & 0xFFFF_FFFF)
          let ri = Int(recordingOf[gi])
          for j in (i + 1)..<runEnd {
            let gj = Int(entries[j] & 0xFFFF_FFFF)
            let rj = Int(recordingOf[gj])
            guard ri != rj, groups[ri] != groups[rj] else { continue }
            let (a, b, fa, fb) =
              ri < rj ? (ri, rj, gi - starts[ri], gj - starts[rj]) : (rj, ri, gj - starts[rj], gi - starts[ri])
            let offset = fa - fb
            guard abs(offset) < 32768 else { continue }
            let key = UInt64(a) << 40 | UInt64(b) << 16 | UInt64(offset + 32768)
            votes[key, default: 0] += 1
          }
        }
      }
      runStart = runEnd
    }
    var best: [UInt64: (offset: Int, votes: Int32)] = [:]
    for (key, count) in votes where count >= Int32(minimumVotes) {
      let pair = key >> 16
      let offset = Int(key & 0xFFFF) - 32768
      if let current = best[pair], current.votes >= count { continue }
      best[pair] = (offset, count)
    }
    var found: [Match] = []
    for (pair, candidate) in best {
      let a = Int(pair >> 24), b = Int(pair & 0xFF_FFFF)
      var bestRate: Double?
      var bestOffset = candidate.offset
      for offset in (candidate.offset - 1)...(candidate.offset + 1) {
        if let rate = prints[a].bitErrorRate(against: prints[b], offset: offset, minimumOverlap: minimumOverlap),
          rate < (bestRate ?? 1)
        {
          bestRate = rate
          bestOffset = offset
        }
      }
      if let bestRate, bestRate < maximumBitErrorRate {
        found.append(Match(first: a, second: b, offset: bestOffset, bitErrorRate: bestRate))
      }
    }
    return found.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
  }
}
