import Testing

@testable import Allocation

/// `MaxFlow` (Dinic's algorithm over flat edge arrays, each node's outgoing edges gathered once): its flow values
/// against a plain Edmonds–Karp over a capacity matrix, and the ways the planner uses it — a flow loaded before
/// pushing, capacities changed and edges added between pushes.
@Suite struct MaxFlowTests {
  /// The textbook network (Cormen et al., figure 26.1): 23.
  @Test func theTextbookNetworkCarriesTwentyThree() {
    var graph = MaxFlow(nodeCount: 6)
    for (from, to, capacity) in [
      (0, 1, 16), (0, 2, 13), (1, 3, 12), (2, 1, 4), (2, 4, 14), (3, 2, 9), (3, 5, 20), (4, 3, 7), (4, 5, 4),
    ] {
      graph.addEdge(from: from, to: to, capacity: capacity)
    }
    #expect(graph.augment(source: 0, sink: 5) == 23)
    #expect(graph.augment(source: 0, sink: 5) == 0)
  }

  /// Seeded random networks, some with parallel edges and edges into the source: the same maximum as
  /// Edmonds–Karp on the summed capacity matrix, and every edge within its capacity with flow conserved.
  @Test(arguments: 1...40)
  func randomNetworksAgreeWithEdmondsKarp(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    let nodes = 2 + Int(random.next() % 14)
    let edgeCount = Int(random.next() % UInt64(4 * nodes * nodes / 3 + 1))
    var graph = MaxFlow(nodeCount: nodes, edgeCapacity: seed.isMultiple(of: 2) ? 2 * edgeCount : 0)
    var matrix = Array(repeating: Array(repeating: 0, count: nodes), count: nodes)
    var edges: [(id: Int, from: Int, to: Int, capacity: Int)] = []
    for _ in 0..<edgeCount {
      let from = Int(random.next() % UInt64(nodes))
      let to = Int(random.next() % UInt64(nodes))
      guard from != to else { continue }
      let capacity = Int(random.next() % 20)
      edges.append((graph.addEdge(from: from, to: to, capacity: capacity), from, to, capacity))
      matrix[from][to] += capacity
    }
    let flow = graph.augment(source: 0, sink: nodes - 1)
    #expect(flow == Self.edmondsKarp(matrix, source: 0, sink: nodes - 1))
    var net = Array(repeating: 0, count: nodes)
    for e in edges {
      #expect(graph.flow(of: e.id) <= e.capacity)
      net[e.from] -= graph.flow(of: e.id)
      net[e.to] += graph.flow(of: e.id)
    }
    for v in 1..<(nodes - 1) { #expect(net[v] == 0, "node \(v) keeps \(net[v]) units") }
    #expect(net[nodes - 1] == flow)
  }

  /// As `SchoolNetwork` and `finishPacking` use it: a known placement loaded first, then the rest pushed; a
  /// capacity raised and the flow pushed again; an edge added after a push (its node's outgoing edges gathered
  /// again).
  @Test func aLoadedFlowIsExtendedAndEdgesMayBeAddedBetweenPushes() {
    // source 0 → schools 1, 2 → parts 3, 4 → sink 5.
    var graph = MaxFlow(nodeCount: 6)
    let s1 = graph.addEdge(from: 0, to: 1, capacity: 10)
    let s2 = graph.addEdge(from: 0, to: 2, capacity: 10)
    let a3 = graph.addEdge(from: 1, to: 3, capacity: 10)
    graph.addEdge(from: 1, to: 4, capacity: 10)
    let b3 = graph.addEdge(from: 2, to: 3, capacity: 10)
    let p3 = graph.addEdge(from: 3, to: 5, capacity: 10)
    let p4 = graph.addEdge(from: 4, to: 5, capacity: 5)
    // School 1 placed whole in part 3 beforehand: school 2 can only have part 3 if school 1 moves to part 4.
    for e in [s1, a3, p3] { graph.load(e, 10) }
    #expect(graph.augment(source: 0, sink: 5) == 5)
    #expect(graph.flow(of: b3) == 5 && graph.flow(of: a3) == 5 && graph.flow(of: p4) == 5)
    graph.setCapacity(of: p4, to: 10)
    #expect(graph.augment(source: 0, sink: 5) == 5)
    #expect(graph.flow(of: s2) == 10)
    // A second source edge and a path for it, added after the pushes.
    let extra = graph.addEdge(from: 0, to: 4, capacity: 3)
    #expect(graph.augment(source: 0, sink: 5) == 0)  // part 4's sink edge is full
    graph.setCapacity(of: p4, to: 13)
    #expect(graph.augment(source: 0, sink: 5) == 3)
    #expect(graph.flow(of: extra) == 3)
  }

  /// Edmonds–Karp (shortest augmenting paths by breadth-first search) over a capacity matrix: the reference.
  static func edmondsKarp(_ capacity: [[Int]], source: Int, sink: Int) -> Int {
    var residual = capacity
    let n = capacity.count
    var total = 0
    while true {
      var parent = Array(repeating: -1, count: n)
      parent[source] = source
      var queue = [source]
      var head = 0
      while head < queue.count, parent[sink] < 0 {
        let u = queue[head]
        head += 1
        for v in 0..<n where parent[v] < 0 && residual[u][v] > 0 {
          parent[v] = u
          queue.append(v)
        }
      }
      guard parent[sink] >= 0 else { return total }
      var push = Int.max
      var v = sink
      while v != source {
        push = min(push, residual[parent[v]][v])
        v = parent[v]
      }
      v = sink
      while v != source {
        residual[parent[v]][v] -= push
        residual[v][parent[v]] += push
        v = parent[v]
      }
      total += push
    }
  }
}
