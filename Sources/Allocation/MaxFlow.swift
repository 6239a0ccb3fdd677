/// Dinic's maximum flow with integer capacities.
///
/// Used to decide whether every district's candidates fit in the seats of their own and adjacent districts
/// (Hall's condition, exactly), and to name the districts that are short of seats; to place schools in
/// centre-sessions with no same-school neighbours (`SchoolNetwork`) and to split a centre-session's schools
/// over its rooms.
///
/// Edges live in flat arrays (edge `e` and its reverse `e ^ 1`); each node's outgoing edges are gathered into one
/// array, in the order they were added, the first time a flow is pushed after edges were added. (An array per
/// node, grown edge by edge, took a tenth of `exam allocate`'s time at 100,000 candidates, mostly in allocation.)
struct MaxFlow {
  private var head: [Int] = []
  private var capacities: [Int] = []
  private var flows: [Int] = []
  /// Per edge, the node it leaves (to gather the outgoing lists).
  private var tails: [Int] = []
  /// Outgoing edges of node u: `outgoing[firstOutgoing[u] ..< firstOutgoing[u + 1]]`; stale when `gathered` is
  /// below the edge count.
  private var firstOutgoing: [Int]
  private var outgoing: [Int] = []
  private var gathered = 0
  private var level: [Int]
  private var next: [Int]
  private var queue: [Int] = []
  private let nodeCount: Int

  /// - Parameter edgeCapacity: edges the network will have (both directions), if known: reserved at once.
  init(nodeCount: Int, edgeCapacity: Int = 0) {
    self.nodeCount = nodeCount
    firstOutgoing = Array(repeating: 0, count: nodeCount + 1)
    level = Array(repeating: 0, count: nodeCount)
    next = Array(repeating: 0, count: nodeCount)
    if edgeCapacity > 0 {
      head.reserveCapacity(edgeCapacity)
      capacities.reserveCapacity(edgeCapacity)
      flows.reserveCapacity(edgeCapacity)
      tails.reserveCapacity(edgeCapacity)
    }
  }

  /// Adds an edge and returns its id (for `flow(of:)`).
  @discardableResult
  mutating func addEdge(from: Int, to: Int, capacity: Int) -> Int {
    head.append(to)
    capacities.append(capacity)
    flows.append(0)
    tails.append(from)
    head.append(from)
    capacities.append(0)
    flows.append(0)
    tails.append(to)
    return head.count - 2
  }

  func flow(of edge: Int) -> Int { flows[edge] }

  func capacity(of edge: Int) -> Int { capacities[edge] }

  mutating func setCapacity(of edge: Int, to capacity: Int) { capacities[edge] = capacity }

  /// Adds `amount` of flow on `edge` without looking for a path (to start from a known partial flow); the
  /// caller keeps flow conservation by loading every edge of the paths it took.
  mutating func load(_ edge: Int, _ amount: Int) {
    flows[edge] += amount
    flows[edge ^ 1] -= amount
  }

  /// Pushes as much more flow as possible from `source` to `sink`; returns the amount added.
  mutating func augment(source: Int, sink: Int) -> Int {
    gather()
    var total = 0
    while buildLevels(source: source, sink: sink) {
      for u in 0..<nodeCount { next[u] = firstOutgoing[u] }
      while true {
        let pushed = push(source, sink, Int.max)
        if pushed == 0 { break }
        total += pushed
      }
    }
    return total
  }

  /// Gathers each node's outgoing edges, in the order they were added (a counting sort by tail).
  private mutating func gather() {
    guard gathered < head.count else { return }
    for u in 0...nodeCount { firstOutgoing[u] = 0 }
    for t in tails { firstOutgoing[t + 1] += 1 }
    for u in 0..<nodeCount { firstOutgoing[u + 1] += firstOutgoing[u] }
    outgoing = Array(repeating: 0, count: head.count)
    var fill = Array(firstOutgoing[0..<nodeCount])
    for (e, t) in tails.enumerated() {
      outgoing[fill[t]] = e
      fill[t] += 1
    }
    gathered = head.count
  }

  private mutating func buildLevels(source: Int, sink: Int) -> Bool {
    for u in 0..<nodeCount { level[u] = -1 }
    level[source] = 0
    queue.removeAll(keepingCapacity: true)
    queue.append(source)
    var front = 0
    while front < queue.count {
      let u = queue[front]
      front += 1
      let nextLevel = level[u] + 1
      for k in firstOutgoing[u]..<firstOutgoing[u + 1] {
        let e = outgoing[k]
        let v = head[e]
        if level[v] < 0 && capacities[e] - flows[e] > 0 {
          level[v] = nextLevel
          queue.append(v)
        }
      }
    }
    return level[sink] >= 0
  }

  /// One augmenting path in the level graph from `u`; `next[u]` is the position in `outgoing` of the next edge
  /// of `u` to try.
  private mutating func push(_ u: Int, _ sink: Int, _ limit: Int) -> Int {
    if u == sink { return limit }
    let end = firstOutgoing[u + 1]
    while next[u] < end {
      let e = outgoing[next[u]]
      let v = head[e]
      let residual = capacities[e] - flows[e]
      if residual > 0 && level[v] == level[u] + 1 {
        let pushed = push(v, sink, min(limit, residual))
        if pushed > 0 {
          flows[e] += pushed
          flows[e ^ 1] -= pushed
          return pushed
        }
      }
      next[u] += 1
    }
    return 0
  }
}
