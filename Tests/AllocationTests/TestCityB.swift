import ExamCore
import Foundation
import _ExamTestSupport

@testable import Allocation

/// A city from a second model, independent of `TestCity` and `Tools/make-city.py` (the Swift twin of
/// `Tools/make-city-b.py`, same model, not the same numbers): districts on a random map, heavy-tailed school
/// sizes, districts with too few centres, centres with one room, rooms of every shape (2×2 to 10×10, some
/// with holes, reserve seats anywhere), small accessible rooms, capacity 1.02–1.5× the candidates, 1–6
/// sessions, many accessible-seat and separate-room candidates. Seats are added until no district is short.
struct TestCityB {
  var candidates: [Candidate] = []
  var centres: [Centre] = []
  var sessions: [ExamSession] = []
  var adjacency: [String: Set<String>] = [:]
  var capacityRatio: Double

  init(seed: UInt64, candidates total: Int) {
    var rng = SplitMix64(seed: seed &* 0x9E37_79B9 &+ 17)
    func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &rng) }
    func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    capacityRatio = uniform(1.02...1.5)
    let districtCount = int(4...12)
    let names = (1...districtCount).map { "区" + format2($0) }
    let points = names.map { _ in (uniform(0...1), uniform(0...1)) }
    func distance(_ a: Int, _ b: Int) -> Double {
      let dx = points[a].0 - points[b].0
      let dy = points[a].1 - points[b].1
      return (dx * dx + dy * dy).squareRoot()
    }
    let radius = 1.6 / Double(districtCount).squareRoot()
    for a in names.indices {
      adjacency[names[a], default: []] = adjacency[names[a], default: []]
      for b in names.indices where b > a && distance(a, b) < radius {
        adjacency[names[a], default: []].insert(names[b])
        adjacency[names[b], default: []].insert(names[a])
      }
      if a > 0 && !(0..<a).contains(where: { adjacency[names[a]]!.contains(names[$0]) }) {
        let b = (0..<a).min { distance(a, $0) < distance(a, $1) }!
        adjacency[names[a]]!.insert(names[b])
        adjacency[names[b], default: []].insert(names[a])
      }
    }
    let weight = names.map { _ in uniform(0.2...3) }
    let accessibleRate = uniform(0.005...0.03)
    let separateRate = uniform(0.0005...0.003)
    var left = total
    var school = 0
    var demand = Array(repeating: 0, count: districtCount)
    while left > 0 {
      // Pareto(1.15) × 25, clipped to 3…3,000: many small schools, a few very large ones.
      var size = min(left, min(3000, max(3, Int(25 / pow(1 - uniform(0...0.999_999), 1 / 1.15)))))
      if left - size < 3 { size = left }
      left -= size
      school += 1
      var pick = uniform(0...weight.reduce(0, +))
      var d = 0
      while d < districtCount - 1 && pick > weight[d] {
        pick -= weight[d]
        d += 1
      }
      demand[d] += size
      for _ in 0..<size {
        let n = candidates.count + 1
        var accommodations: [Candidate.Accommodation] = []
        let roll = uniform(0...1)
        if roll < accessibleRate {
          accommodations.append(.accessibleSeat)
        } else if roll < accessibleRate + separateRate {
          accommodations.append(.separateRoom)
        }
        candidates.append(
          Candidate(
            id: "B\(format2(d + 1))\(1_000_000 + n)", name: "考生\(n)", nationalId: "ID\(n)",
            school: "\(names[d])第\(school)学校", district: names[d], accommodations: accommodations))
      }
    }
    let sessionCount = int(1...6)
    sessions = (1...sessionCount).map {
      ExamSession(id: "S\($0)", date: "2026-06-\(13 + $0)", start: "08:30", end: "10:00")
    }
    let share = demand.map { Double($0) * uniform(0.25...1.8) }
    let shareSum = share.reduce(0, +)
    var rooms = Array(repeating: [[Room]](), count: districtCount)
    func makeRoom(_ id: String, accessible: Bool, rows: Int? = nil, columns: Int? = nil) -> Room {
      let rowCount = rows ?? int(2...10)
      let columnCount = columns ?? int(2...10)
      var cells = (0..<rowCount * columnCount).map { (row: $0 / columnCount + 1, column: $0 % columnCount + 1) }
      if uniform(0...1) < 0.1 && cells.count > 6 {
        for _ in 0..<int(1...cells.count / 6) { cells.remove(at: int(0...cells.count - 1)) }
      }
      var seats = cells.enumerated().map {
        Seat(id: format2($0.offset + 1), row: $0.element.row, column: $0.element.column)
      }
      let kind = uniform(0...1)
      if seats.count > 1 {
        if kind < 0.6 {
          let reserve = kind < 0.3 ? max(1, (seats.count + 9) / 10) : int(0...seats.count / 5)
          for i in seats.indices.suffix(reserve) { seats[i].reserve = true }
        } else {
          for _ in 0..<int(1...max(1, seats.count / 6)) { seats[int(0...seats.count - 1)].reserve = true }
          if seats.allSatisfy(\.reserve) { seats[0].reserve = false }
        }
      }
      return Room(id: id, accessible: accessible, rows: rowCount, columns: columnCount, seats: seats)
    }
    func addCentre(_ d: Int) {
      let count = uniform(0...1) < 0.15 ? 1 : int(2...8)
      rooms[d].append((1...count).map { makeRoom("R\($0)", accessible: uniform(0...1) < 0.2) })
    }
    func usable(_ d: Int) -> Int { rooms[d].joined().reduce(0) { $0 + $1.seats.filter { !$0.reserve }.count } }
    for d in 0..<districtCount {
      let wanted = capacityRatio * Double(total) * share[d] / shareSum / Double(sessionCount)
      while Double(usable(d)) < wanted { addCentre(d) }
    }
    func build() -> [Centre] {
      var list: [Centre] = []
      for d in 0..<districtCount {
        for (k, rs) in rooms[d].enumerated() {
          list.append(Centre(id: "K\(format2(d + 1))\(format2(k + 1))", name: "考点", district: names[d], rooms: rs))
        }
      }
      return list
    }
    // Add seats where the planner's feasibility check says a district is short (accessible rooms when those
    // are short), so every city can be planned.
    for _ in 0..<1000 {
      let shortages = SeatPlanner().shortages(
        candidates: candidates, centres: build(), sessions: sessions,
        adjacency: adjacency)
      guard let first = shortages.first, let d = names.firstIndex(of: first.district) else { break }
      if first.kind == .accessibleSeats, !rooms[d].isEmpty {
        rooms[d][int(0...rooms[d].count - 1)].append(
          makeRoom("A\(rooms[d].count)\(int(0...9999))", accessible: true, rows: 6, columns: 6))
      } else {
        addCentre(d)
      }
    }
    centres = build()
  }
}
