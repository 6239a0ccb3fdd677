/// The flow network behind "no two candidates of one school side by side or front/back".
///
/// Each centre-session ("bin") has two parts: its accessible rooms and its other rooms. A part offers `seats`
/// usable seats in all, and at most `schoolSeats` to any one school: the sum over its rooms of the seats one
/// school can take with no two neighbours. Schools send their candidates (accessible-seat candidates only to
/// accessible parts, and only to bins their district may reach) with at most `schoolSeats` per school and part;
/// one joint node per (school, accessible part) lets a school's accessible-seat and other candidates share it.
///
/// Splitting a part's flow over its rooms again respects both limits per room, because each room's school
/// limit is at least half its seats (see the README): so a full flow is a placement of every candidate with
/// each school within one no-neighbour seat set per room — and when the limits are the rooms' independence
/// numbers, no plan can seat more candidates without a same-school pair than the maximum flow.
struct SchoolNetwork {
  struct Part {
    var seats: Int
    var schoolSeats: Int
  }

  /// A school's edges into one bin: `regular`/`accessible` carry its candidates into the bin's accessible part
  /// (through `joint` when the school has accessible-seat candidates), `other` into the other rooms (-1: none).
  struct Link {
    var bin: Int
    var other = -1
    var regular = -1
    var accessible = -1
    var joint = -1
  }

  var graph: MaxFlow
  let source = 0
  let sink = 1
  var links: [[Link]]
  private(set) var sourceEdges: [(regular: Int, accessible: Int)]
  private(set) var sinkEdges: [Int]
  let parts: [Part]
  /// Whether each school is held to `schoolSeats` (false for pseudo-schools that need no such limit).
  let limited: [Bool]
  private let schoolCount: Int

  /// Part `2 × bin + 1` is the accessible part of `bin`, `2 × bin` the other rooms.
  static func part(bin: Int, accessible: Bool) -> Int { 2 * bin + (accessible ? 1 : 0) }

  /// - Parameters:
  ///   - demand: per school, candidates needing any seat and candidates needing an accessible seat.
  ///   - reachableBins: per school, the bins it may use.
  init(parts: [Part], demand: [(regular: Int, accessible: Int)], reachableBins: [[Int]], limited: [Bool]) {
    self.parts = parts
    self.limited = limited
    schoolCount = demand.count
    let partBase = 2 + 2 * schoolCount
    var nodeCount = partBase + parts.count
    var edgeCount = 2 * schoolCount + parts.count
    for (s, bins) in reachableBins.enumerated() {
      if demand[s].accessible > 0 { nodeCount += bins.count }
      edgeCount += bins.count * (demand[s].accessible > 0 ? 4 : 2)
    }
    graph = MaxFlow(nodeCount: nodeCount, edgeCapacity: 2 * edgeCount)
    var next = partBase + parts.count
    sourceEdges = []
    links = []
    for (s, d) in demand.enumerated() {
      sourceEdges.append(
        (
          graph.addEdge(from: 0, to: 2 + s, capacity: d.regular),
          graph.addEdge(from: 0, to: 2 + schoolCount + s, capacity: d.accessible)
        ))
    }
    for (s, bins) in reachableBins.enumerated() {
      var list: [Link] = []
      list.reserveCapacity(bins.count)
      let total = demand[s].regular + demand[s].accessible
      for b in bins {
        var link = Link(bin: b)
        let other = parts[2 * b]
        let accessible = parts[2 * b + 1]
        if other.seats > 0 && demand[s].regular > 0 {
          link.other = graph.addEdge(
            from: 2 + s, to: partBase + 2 * b,
            capacity: min(total, limited[s] ? other.schoolSeats : other.seats))
        }
        if accessible.seats > 0 {
          let limit = min(total, limited[s] ? accessible.schoolSeats : accessible.seats)
          if demand[s].accessible > 0 {
            link.joint = graph.addEdge(from: next, to: partBase + 2 * b + 1, capacity: limit)
            link.accessible = graph.addEdge(from: 2 + schoolCount + s, to: next, capacity: demand[s].accessible)
            if demand[s].regular > 0 {
              link.regular = graph.addEdge(from: 2 + s, to: next, capacity: demand[s].regular)
            }
            next += 1
          } else if demand[s].regular > 0 {
            link.regular = graph.addEdge(from: 2 + s, to: partBase + 2 * b + 1, capacity: limit)
          }
        }
        list.append(link)
      }
      links.append(list)
    }
    var sinkEdges: [Int] = []
    for (p, part) in parts.enumerated() {
      sinkEdges.append(graph.addEdge(from: partBase + p, to: 1, capacity: part.seats))
    }
    self.sinkEdges = sinkEdges
  }

  /// Pushes as much as fits; returns the total flow (loaded flow included).
  mutating func maximise() -> Int {
    _ = graph.augment(source: source, sink: sink)
    return sourceEdges.reduce(0) { $0 + graph.flow(of: $1.regular) + graph.flow(of: $1.accessible) }
  }

  /// Caps the seats each part takes (`seats` of the parts when the network was made is the most).
  mutating func limitSeats(_ seats: [Int]) {
    for (p, e) in sinkEdges.enumerated() { graph.setCapacity(of: e, to: min(seats[p], parts[p].seats)) }
  }

  /// Lifts the per-school limits to the parts' seats (for the candidates that cannot avoid a neighbour).
  mutating func liftSchoolLimits() {
    for list in links {
      for link in list {
        if link.other >= 0 { graph.setCapacity(of: link.other, to: parts[2 * link.bin].seats) }
        let top = parts[2 * link.bin + 1].seats
        if link.joint >= 0 {
          graph.setCapacity(of: link.joint, to: top)
        } else if link.regular >= 0 {
          graph.setCapacity(of: link.regular, to: top)
        }
      }
    }
  }

  /// Loads a known placement: `amounts[s]` lists (part, regular, accessible) of school s.
  mutating func load(_ amounts: [[(part: Int, regular: Int, accessible: Int)]]) {
    for (s, list) in amounts.enumerated() {
      let index = Dictionary(uniqueKeysWithValues: links[s].enumerated().map { ($1.bin, $0) })
      for (p, regular, accessible) in list {
        guard let k = index[p / 2] else { continue }
        let link = links[s][k]
        if p % 2 == 0 {
          graph.load(link.other, regular)
        } else if link.joint >= 0 {
          if regular > 0 { graph.load(link.regular, regular) }
          if accessible > 0 { graph.load(link.accessible, accessible) }
          graph.load(link.joint, regular + accessible)
        } else {
          graph.load(link.regular, regular)
        }
        graph.load(sourceEdges[s].regular, regular)
        graph.load(sourceEdges[s].accessible, accessible)
        graph.load(sinkEdges[p], regular + accessible)
      }
    }
  }

  /// The placement the flow describes: per school, (part, regular, accessible) with something in it.
  func amounts() -> [[(part: Int, regular: Int, accessible: Int)]] {
    links.map { list in
      var out: [(part: Int, regular: Int, accessible: Int)] = []
      for link in list {
        if link.other >= 0, graph.flow(of: link.other) > 0 { out.append((2 * link.bin, graph.flow(of: link.other), 0)) }
        let regular = link.regular >= 0 ? graph.flow(of: link.regular) : 0
        let accessible = link.accessible >= 0 ? graph.flow(of: link.accessible) : 0
        if regular + accessible > 0 { out.append((2 * link.bin + 1, regular, accessible)) }
      }
      return out
    }
  }

  /// Candidates of each school the flow could not place.
  func unplaced(demand: [(regular: Int, accessible: Int)]) -> [Int] {
    demand.indices.map { s in
      demand[s].regular + demand[s].accessible - graph.flow(of: sourceEdges[s].regular)
        - graph.flow(of: sourceEdges[s].accessible)
    }
  }
}
