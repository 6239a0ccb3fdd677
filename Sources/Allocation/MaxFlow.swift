/// Dinic's maximum flow with integer capacities.
///
/// Used to decide whether every district's candidates fit in the seats of their own and adjacent districts
/// (Hall's condition, exactly), and to name the districts that are short of seats; to place schools in
/// centre-sessions with no same-school neighbours (`SchoolNetwork`) and to split a centre-session's schools
/// over its rooms.
struct MaxFlow {
  private struct Edge {
    var to: Int
    var capacity: Int
    var flow: Int
  }

  private var edges: [Edge] = []
  private var outgoing: [[Int]]
  private var level: [Int]
  private var next: [Int]

  init(nodeCount: Int) {
    outgoing = Array(repeating: [], count: nodeCount)
    level = Array(repeating: 0, count: nodeCount)
    next = Array(repeating: 0, count: nodeCount)
  }

  /// Adds an edge and returns its id (for `flow(of:)`).
  @discardableResult
  mutating func addEdge(from: Int, to: Int, capacity: Int) -> Int {
    outgoing[from].append(edges.count)
    edges.append(Edge(to: to, capacity: capacity, flow: 0))
    outgoing[to].append(edges.count)
    edges.append(Edge(to: from, capacity: 0, flow: 0))
    return edges.count - 2
  }

  func flow(of edge: Int) -> Int { edges[edge].flow }

  func capacity(of edge: Int) -> Int { edges[edge].capacity }

  mutating func setCapacity(of edge: Int, to capacity: Int) { edges[edge].capacity = capacity }

  /// Adds `amount` of flow on `edge` without looking for a path (to start from a known partial flow); the
  /// caller keeps flow conservation by loading every edge of the paths it took.
  mutating func load(_ edge: Int, _ amount: Int) {
    edges[edge].flow += amount
    edges[edge ^ 1].flow -= amount
  }

  /// Pushes as much more flow as possible from `source` to `sink`; returns the amount added.
  mutating func augment(source: Int, sink: Int) -> Int {
    var total = 0
    while buildLevels(source: source, sink: sink) {
      for i in next.indices { next[i] = 0 }
      while true {
        let pushed = push(source, sink, Int.max)
        if pushed == 0 { break }
        total += pushed
      }
    }
    return total
  }

  /// Nodes reachable from `source` in the residual graph (the source side of a minimum cut).
  func residualReachable(from source: Int) -> Set<Int> {
    var seen: Set<Int> = [source]
    var stack = [source]
    while let u = stack.popLast() {
      for e in outgoing[u] where edges[e].capacity - edges[e].flow > 0 && !seen.contains(edges[e].to) {
        seen.insert(edges[e].to)
        stack.append(edges[e].to)
      }
    }
    return seen
  }

  private mutating func buildLevels(source: Int, sink: Int) -> Bool {
    for i in level.indices { level[i] = -1 }
    level[source] = 0
    var queue = [source]
    var head = 0
    while head < queue.count {
      let u = queue[head]
      head += 1
      for e in outgoing[u] where level[edges[e].to] < 0 && edges[e].capacity - edges[e].flow > 0 {
        level[edges[e].to] = level[u] + 1
        queue.append(edges[e].to)
      }
    }
    return level[sink] >= 0
  }

  private mutating func push(_ u: Int, _ sink: Int, _ limit: Int) -> Int {
    if u == sink { return limit }
    while next[u] < outgoing[u].count {
      let e = outgoing[u][next[u]]
      let v = edges[e].to
      let residual = edges[e].capacity - edges[e].flow
      if residual > 0 && level[v] == level[u] + 1 {
        let pushed = push(v, sink, min(limit, residual))
        if pushed > 0 {
          edges[e].flow += pushed
          edges[e ^ 1].flow -= pushed
          return pushed
        }
      }
      next[u] += 1
    }
    return 0
  }
}
