import ExamCore
import _ExamTestSupport

/// A small generated city for property tests: districts on a line (each adjacent to the next), schools of
/// varied size, centres with grid rooms (some accessible), and a few candidates with accommodations.
struct TestCity {
  var candidates: [Candidate] = []
  var centres: [Centre] = []
  var sessions: [ExamSession] = []
  var adjacency: [String: Set<String>] = [:]

  init(
    seed: UInt64, districts: Int = 3, schools: Int = 8, centresPerDistrict: Int = 2, sessions sessionCount: Int = 2,
    fill: Double = 0.6
  ) {
    var rng = SplitMix64(seed: seed)
    let names = (1...districts).map { "区\($0)" }
    for (k, name) in names.enumerated() {
      var near: Set<String> = []
      if k > 0 { near.insert(names[k - 1]) }
      if k + 1 < districts { near.insert(names[k + 1]) }
      adjacency[name] = near
    }
    sessions = (1...sessionCount).map {
      ExamSession(id: "S\($0)", date: "2026-06-1\($0)", start: "08:30", end: "10:00")
    }
    var usable = 0
    var centreNumber = 0
    for name in names {
      for _ in 0..<centresPerDistrict {
        centreNumber += 1
        var rooms: [Room] = []
        for r in 1...Int.random(in: 2...3, using: &rng) {
          let rows = Int.random(in: 4...6, using: &rng)
          let columns = Int.random(in: 5...7, using: &rng)
          let count = rows * columns
          let reserve = max(1, (count + 9) / 10)
          var seats: [Seat] = []
          for i in 0..<count {
            seats.append(
              Seat(
                id: String(format2(i + 1)), row: i / columns + 1, column: i % columns + 1,
                reserve: i >= count - reserve))
          }
          usable += count - reserve
          rooms.append(
            Room(id: "R\(r)", accessible: r == 1 && centreNumber % 2 == 1, rows: rows, columns: columns, seats: seats))
        }
        centres.append(
          Centre(
            id: "C\(format2(centreNumber))", name: "考点\(centreNumber)", district: name,
            address: "\(name)路\(centreNumber)号", rooms: rooms))
      }
    }
    let total = Int(Double(usable * sessionCount) * fill)
    var weights = (0..<schools).map { _ in Double.random(in: 0.3...1.7, using: &rng) }
    let sum = weights.reduce(0, +)
    weights = weights.map { $0 / sum }
    var n = 0
    for s in 0..<schools {
      let size = s == schools - 1 ? total - n : Int(Double(total) * weights[s])
      for _ in 0..<size {
        n += 1
        var accommodations: [Candidate.Accommodation] = []
        let roll = Double.random(in: 0..<1, using: &rng)
        if roll < 0.01 { accommodations.append(.separateRoom) }
        if roll >= 0.01 && roll < 0.03 { accommodations.append(.accessibleSeat) }
        if roll > 0.97 { accommodations.append(.extraTime) }
        candidates.append(
          Candidate(
            id: "26\(format2(s))\(n + 100_000)", name: "考生\(n)", nationalId: "ID\(n)",
            school: "中学\(s)", district: names[s % districts], accommodations: accommodations))
      }
    }
  }
}

func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
